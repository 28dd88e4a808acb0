// The EndpointSlices a Service should have (upstream's staging endpointslice reconciler.go and
// utils.go, minus the I/O): desired endpoints grouped by (address type, port set); existing slices
// keep the endpoints they hold when those are still desired, slices that end up empty are deleted,
// new endpoints fill slices with room before new slices (≤ 100 endpoints each) are created, and a
// service with no endpoints keeps one placeholder slice per address type.
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import {
  findPort,
  headlessLabel,
  isIPv6,
  isPodReady,
  isServiceIPSet,
  lastChangeTriggerTimeAnnotation,
  type Pod,
  podIPs,
  podReference,
  type PodReference,
  type Service,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpoints/index.ts';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
export const topologyZoneLabel = 'topology.kubernetes.io/zone';
export const maxEndpointsPerSlice = 100;

export type AddressType = 'IPv4' | 'IPv6';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: PodReference;
  nodeName?: string;
  zone?: string;
}

export interface SlicePort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

export interface EndpointGroup {
  readonly addressType: AddressType;
  readonly ports: SlicePort[];
  readonly endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: EndpointSlice[];
}

/** getAddressTypesForService */
export function addressTypesFor(service: Service): AddressType[] {
  const families = (service.spec?.ipFamilies ?? []).filter(
    (f): f is AddressType => f === 'IPv4' || f === 'IPv6',
  );
  if (families.length > 0) return [...new Set(families)];
  if (isServiceIPSet(service)) return [isIPv6(service.spec?.clusterIP ?? '') ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

function portsKey(addressType: string, ports: readonly SlicePort[] | null | undefined): string {
  const sorted = (ports ?? [])
    .map((p) => JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']))
    .sort();
  return JSON.stringify([addressType, sorted]);
}

function endpointKey(ep: SliceEndpoint): string {
  return ep.targetRef?.uid ? `uid:${ep.targetRef.uid}` : `ip:${ep.addresses.join(',')}`;
}

/** podToEndpoint: the pod as an endpoint of `addressType`, or undefined when it has no such IP. */
export function podToEndpoint(
  pod: Pod,
  service: Service,
  addressType: AddressType,
  zone: string | undefined,
): SliceEndpoint | undefined {
  const addresses = podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6'));
  if (addresses.length === 0) return undefined;
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  // "ready" is never true for a terminating pod unless the service publishes not-ready addresses.
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = { addresses: [addresses[0]!], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec?.hostname ?? '';
  ep.targetRef = podReference(pod);
  if ((pod.spec?.nodeName ?? '') !== '') ep.nodeName = pod.spec?.nodeName ?? '';
  if (zone !== undefined && zone !== '') ep.zone = zone;
  return ep;
}

/** getEndpointPorts: the service's ports resolved against the pod (unresolvable ones left out). */
export function endpointPorts(service: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** The desired endpoints, grouped by address type and port set. */
export function desiredGroups(
  service: Service,
  pods: readonly Pod[],
  zoneOf: (nodeName: string) => string | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>();
  for (const addressType of addressTypesFor(service)) {
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ep = podToEndpoint(pod, service, addressType, zoneOf(pod.spec?.nodeName ?? ''));
      if (ep === undefined) continue;
      const ports = endpointPorts(service, pod);
      const key = portsKey(addressType, ports);
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { addressType, ports, endpoints: [] }));
      g.endpoints.push(ep);
    }
  }
  return groups;
}

/** setEndpointSliceLabels: the service's labels, then the controller's own. */
export function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...service.metadata.labels };
  for (const reserved of [serviceNameLabel, managedByLabel, headlessLabel]) delete labels[reserved];
  labels[serviceNameLabel] = service.metadata.name ?? '';
  labels[managedByLabel] = controllerName;
  if (!isServiceIPSet(service)) labels[headlessLabel] = '';
  return labels;
}

export function ownerRef(service: Service): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: service.metadata.name ?? '',
    uid: service.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function newSlice(
  service: Service,
  addressType: string,
  ports: SlicePort[],
  endpoints: SliceEndpoint[],
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${service.metadata.name ?? ''}-`,
      namespace: service.metadata.namespace ?? '',
      labels: sliceLabels(service),
      ownerReferences: [ownerRef(service)],
    },
    addressType,
    endpoints,
    ports,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function metaCurrent(slice: EndpointSlice, service: Service): boolean {
  const want = sliceLabels(service);
  const have = slice.metadata.labels ?? {};
  const labelsOk =
    Object.keys(want).length === Object.keys(have).length &&
    Object.entries(want).every(([k, v]) => have[k] === v);
  const owners = slice.metadata.ownerReferences ?? [];
  return labelsOk && owners.some((o) => o.uid === service.metadata.uid && o.controller === true);
}

/** The creates, updates and deletes that make `existing` (the service's managed slices) right. */
export function planSlices(
  service: Service,
  existing: readonly EndpointSlice[],
  groups: ReadonlyMap<string, EndpointGroup>,
  triggerTime: string | undefined,
): SlicePlan {
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];
  const wantTypes = new Set<string>(addressTypesFor(service));
  const withTrigger = (s: EndpointSlice): EndpointSlice => {
    const annotations = { ...s.metadata.annotations };
    if (triggerTime !== undefined) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
    else delete annotations[lastChangeTriggerTimeAnnotation];
    s.metadata.annotations = annotations;
    return s;
  };
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!wantTypes.has(s.addressType)) {
      del.push(s);
      continue;
    }
    const key = portsKey(s.addressType, s.ports);
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  let total = 0;
  for (const [key, group] of groups) {
    total += group.endpoints.length;
    const desired = new Map(group.endpoints.map((ep) => [endpointKey(ep), ep]));
    const kept: Array<{ slice: EndpointSlice; endpoints: SliceEndpoint[]; changed: boolean }> = [];
    for (const slice of byKey.get(key) ?? []) {
      const endpoints: SliceEndpoint[] = [];
      let changed = !metaCurrent(slice, service);
      for (const ep of slice.endpoints ?? []) {
        const want = desired.get(endpointKey(ep));
        if (want === undefined) {
          changed = true;
          continue;
        }
        desired.delete(endpointKey(ep));
        if (!same(want, ep)) changed = true;
        endpoints.push(want);
      }
      if (endpoints.length === 0) del.push(slice);
      else kept.push({ slice, endpoints, changed });
    }
    byKey.delete(key);
    // New endpoints go first into slices being updated anyway, then into unchanged ones with room.
    const rest = [...desired.values()];
    kept.sort((a, b) => Number(b.changed) - Number(a.changed));
    for (const k of kept) {
      while (rest.length > 0 && k.endpoints.length < maxEndpointsPerSlice) {
        k.endpoints.push(rest.shift()!);
        k.changed = true;
      }
      if (!k.changed) continue;
      const next = structuredClone(k.slice);
      next.metadata.labels = sliceLabels(service);
      const others = (next.metadata.ownerReferences ?? []).filter((o) => o.controller !== true);
      next.metadata.ownerReferences = [ownerRef(service), ...others];
      next.endpoints = k.endpoints;
      next.ports = group.ports;
      update.push(withTrigger(next));
    }
    for (let i = 0; i < rest.length; i += maxEndpointsPerSlice) {
      create.push(
        withTrigger(
          newSlice(service, group.addressType, group.ports, rest.slice(i, i + maxEndpointsPerSlice)),
        ),
      );
    }
  }
  // Slices of port sets no longer offered.
  for (const slices of byKey.values()) del.push(...slices);
  if (total === 0) {
    // A placeholder slice (no endpoints, no ports) of the primary address type stands for a service
    // with no endpoints; an existing one is kept rather than deleted and made again.
    const primary = addressTypesFor(service)[0]!;
    const idx = del.findIndex((s) => s.addressType === primary && (s.endpoints ?? []).length === 0);
    if (idx < 0) create.push(newSlice(service, primary, [], []));
    else {
      const placeholder = del.splice(idx, 1)[0]!;
      if (!metaCurrent(placeholder, service) || (placeholder.ports ?? []).length > 0) {
        const next = structuredClone(placeholder);
        next.metadata.labels = sliceLabels(service);
        next.metadata.ownerReferences = [ownerRef(service)];
        next.ports = [];
        update.push(next);
      }
    }
  }
  return { create, update, delete: del };
}
