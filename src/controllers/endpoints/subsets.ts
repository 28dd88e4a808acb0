// The Endpoints a Service should have (upstream's endpoints_controller.go syncService, minus the
// I/O): one address per pod that should be in endpoints, ready or not ready, with the service's
// ports resolved against each pod, then packed into subsets of addresses sharing the same ports
// (endpoints.RepackSubsets) in a stable order (SortSubsets).
import {
  findPort,
  headlessLabel,
  isPodReady,
  isServiceIPSet,
  lastChangeTriggerTimeAnnotation,
  type Pod,
  podIPOfFamily,
  podReference,
  type PodReference,
  type Service,
  serviceIPFamily,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './pods.ts';
import type { KubeObject } from '../../api/meta.ts';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: PodReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

/** podToEndpointAddressForService; undefined when the pod has no IP of the service's family. */
export function podAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  const ip = podIPOfFamily(pod, serviceIPFamily(service, pod));
  if (ip === undefined) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, service)) addr.hostname = pod.spec?.hostname ?? '';
  if ((pod.spec?.nodeName ?? '') !== '') addr.nodeName = pod.spec?.nodeName ?? '';
  addr.targetRef = podReference(pod);
  return addr;
}

interface Entry {
  readonly address: EndpointAddress;
  readonly ready: boolean;
  readonly ports: EndpointPort[];
}

/** The subsets of a Service with a selector, given the pods it selects. */
export function computeSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerateUnready = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const address = podAddress(service, pod);
    if (address === undefined) continue;
    const ready = tolerateUnready || isPodReady(pod);
    if (servicePorts.length === 0) {
      // Only a headless service may have no ports; its addresses carry none.
      if (service.spec?.clusterIP === 'None') entries.push({ address, ready, ports: [] });
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
      entries.push({ address, ready, ports: [ep] });
    }
  }
  return repack(entries);
}

function portKey(p: EndpointPort): string {
  return JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}/${a.targetRef?.uid ?? ''}`;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip === b.ip
    ? (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '')
    : compareIPs(a.ip, b.ip);
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every(Number.isInteger)) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a.localeCompare(b);
}

/** RepackSubsets + SortSubsets: addresses grouped by the exact set of ports they offer. */
export function repack(entries: readonly Entry[]): EndpointSubset[] {
  // address → (ready, ports); a port a pod offers both ready and not ready counts as ready.
  const byAddress = new Map<
    string,
    { address: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }
  >();
  for (const e of entries) {
    const key = addressKey(e.address);
    let a = byAddress.get(key);
    if (a === undefined) byAddress.set(key, (a = { address: e.address, ready: e.ready, ports: new Map() }));
    a.ready ||= e.ready;
    for (const p of e.ports) a.ports.set(portKey(p), p);
  }
  const groups = new Map<string, EndpointSubset & { ports: EndpointPort[] }>();
  for (const a of byAddress.values()) {
    const ports = [...a.ports.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([, p]) => p);
    const key = JSON.stringify(ports.map(portKey));
    let subset = groups.get(key);
    if (subset === undefined) groups.set(key, (subset = { ports }));
    const list = a.ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(a.address);
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    g.addresses?.sort(compareAddresses);
    g.notReadyAddresses?.sort(compareAddresses);
    const s: EndpointSubset = {};
    if (g.addresses !== undefined) s.addresses = g.addresses;
    if (g.notReadyAddresses !== undefined) s.notReadyAddresses = g.notReadyAddresses;
    if (g.ports.length > 0) s.ports = g.ports;
    subsets.push(s);
  }
  const first = (s: EndpointSubset): EndpointAddress | undefined =>
    s.addresses?.[0] ?? s.notReadyAddresses?.[0];
  return subsets.sort((x, y) => {
    const a = first(x);
    const b = first(y);
    return a === undefined || b === undefined ? 0 : compareAddresses(a, b);
  });
}

function normalized(subsets: readonly EndpointSubset[] | undefined): string {
  // Semantic equality ignores how the server orders keys and empty lists.
  return JSON.stringify(
    (subsets ?? []).map((s) => ({
      a: (s.addresses ?? []).map((x) => [
        x.ip,
        x.hostname ?? '',
        x.nodeName ?? '',
        x.targetRef?.uid ?? '',
        x.targetRef?.name ?? '',
      ]),
      n: (s.notReadyAddresses ?? []).map((x) => [
        x.ip,
        x.hostname ?? '',
        x.nodeName ?? '',
        x.targetRef?.uid ?? '',
        x.targetRef?.name ?? '',
      ]),
      p: (s.ports ?? []).map(portKey),
    })),
  );
}

/**
 * The Endpoints object to write for `service`, or undefined when `current` is already right.
 * `triggerTime` is the last-change-trigger-time to record (undefined: remove the annotation).
 */
export function desiredEndpoints(
  service: Service,
  current: Endpoints | undefined,
  subsets: EndpointSubset[],
  triggerTime: string | undefined,
): Endpoints | undefined {
  const labels: Record<string, string> = { ...service.metadata.labels };
  if (isServiceIPSet(service)) delete labels[headlessLabel];
  else labels[headlessLabel] = '';
  if (current !== undefined) {
    const currentLabels: Record<string, string> = { ...current.metadata.labels };
    const compare = { ...service.metadata.labels };
    delete currentLabels[headlessLabel];
    delete compare[headlessLabel];
    const sameLabels = JSON.stringify(sortKeys(currentLabels)) === JSON.stringify(sortKeys(compare));
    const overCapacity = current.metadata.annotations?.[overCapacityAnnotation] !== undefined;
    if (sameLabels && !overCapacity && normalized(current.subsets) === normalized(subsets)) return undefined;
  }
  const next: Endpoints =
    current === undefined
      ? {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name: service.metadata.name ?? '', namespace: service.metadata.namespace ?? '' },
        }
      : structuredClone(current);
  next.subsets = subsets;
  next.metadata.labels = labels;
  const annotations: Record<string, string> = { ...next.metadata.annotations };
  if (triggerTime !== undefined) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
  else delete annotations[lastChangeTriggerTimeAnnotation];
  delete annotations[overCapacityAnnotation];
  if (Object.keys(annotations).length > 0) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  return next;
}

function sortKeys(o: Record<string, string>): Array<[string, string]> {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}
