// The `default/kubernetes` Service and its endpoints (upstream's pkg/controlplane controller.go
// and reconcilers/endpointsadapter.go): created on every start when missing, the Service's ports
// and type put back when changed, the endpoints pointed at this API server's address.
import { randomUUID } from 'node:crypto';
import { isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import { isStatusReason } from '../../api/status.ts';
import type { Registry, ServedResource } from '../registry/registry.ts';
import { parseCidr } from './ip-range.ts';

export interface KubernetesServiceOptions {
  readonly registry: Registry;
  readonly serviceCidr: string;
  /** The address other components reach this API server at (the endpoint's IP). */
  readonly advertiseAddress: string;
  /** The API server's secure port: the Service's targetPort and the endpoint's port. */
  readonly port: number;
}

const name = 'kubernetes';
const namespace = 'default';

function newMeta(labels: Record<string, string>): KubeObject['metadata'] {
  return { name, namespace, uid: randomUUID(), creationTimestamp: nowTimestamp(), labels };
}

async function getOrUndefined(served: ServedResource): Promise<KubeObject | undefined> {
  try {
    return await served.objects.get(namespace, name);
  } catch (e: unknown) {
    if (isStatusReason(e, 'NotFound')) return undefined;
    throw e;
  }
}

/** Creates through the storage hooks (the ClusterIP is reserved like any Service's); a race lost to another API server is fine. */
async function create(served: ServedResource, obj: KubeObject): Promise<void> {
  const hook = await served.hooks.beforeCreate?.(obj, { dryRun: false });
  try {
    await served.objects.create(obj);
  } catch (e: unknown) {
    await hook?.undo?.();
    if (isStatusReason(e, 'AlreadyExists')) return;
    throw e;
  }
  await hook?.commit?.();
}

async function update(served: ServedResource, next: KubeObject, old: KubeObject): Promise<void> {
  const hook = await served.hooks.beforeUpdate?.(next, old, { dryRun: false });
  try {
    await served.objects.update(next, Number(old.metadata.resourceVersion));
  } catch (e: unknown) {
    await hook?.undo?.();
    // Another API server updated it first: it will have done the same.
    if (isStatusReason(e, 'Conflict')) return;
    throw e;
  }
  await hook?.commit?.();
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function ensureService(served: ServedResource, clusterIP: string, port: number): Promise<void> {
  const ports = [{ name: 'https', protocol: 'TCP', port: 443, targetPort: port }];
  const existing = await getOrUndefined(served);
  if (existing === undefined) {
    await create(served, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...newMeta({ component: 'apiserver', provider: 'kubernetes' }), generation: 1 },
      spec: {
        clusterIP,
        clusterIPs: [clusterIP],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports,
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
    return;
  }
  // getMasterServiceUpdateIfNeeded: only the ports and the type are put back.
  const spec = isRecord(existing['spec']) ? existing['spec'] : {};
  if (same(spec['ports'], ports) && spec['type'] === 'ClusterIP') return;
  const next = structuredClone(existing);
  next['spec'] = { ...spec, ports, type: 'ClusterIP' };
  next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
  await update(served, next, existing);
}

/** Creates the object, or replaces the fields in `body` when they differ. */
async function ensureEndpointsObject(
  served: ServedResource,
  head: { apiVersion: string; kind: string; labels: Record<string, string> },
  body: Record<string, unknown>,
): Promise<void> {
  const existing = await getOrUndefined(served);
  if (existing === undefined) {
    await create(served, {
      apiVersion: head.apiVersion,
      kind: head.kind,
      metadata: newMeta(head.labels),
      ...body,
    });
    return;
  }
  const changed =
    Object.entries(body).some(([k, v]) => !same(existing[k], v)) ||
    Object.entries(head.labels).some(([k, v]) => existing.metadata.labels?.[k] !== v);
  if (!changed) return;
  const next = { ...structuredClone(existing), ...body };
  next.metadata.labels = { ...existing.metadata.labels, ...head.labels };
  await update(served, next, existing);
}

/** Creates or repairs the `kubernetes` Service, Endpoints and EndpointSlice of whichever resources are registered. */
export async function ensureKubernetesService(options: KubernetesServiceOptions): Promise<void> {
  const { registry, advertiseAddress, port } = options;
  const services = registry.storage('', 'services');
  if (services !== undefined) await ensureService(services, parseCidr(options.serviceCidr).first, port);

  const endpointPorts = [{ name: 'https', port, protocol: 'TCP' }];
  const endpoints = registry.storage('', 'endpoints');
  if (endpoints !== undefined) {
    await ensureEndpointsObject(
      endpoints,
      { apiVersion: 'v1', kind: 'Endpoints', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      { subsets: [{ addresses: [{ ip: advertiseAddress }], ports: endpointPorts }] },
    );
  }
  const slices = registry.storage('discovery.k8s.io', 'endpointslices');
  if (slices !== undefined) {
    await ensureEndpointsObject(
      slices,
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        labels: { 'kubernetes.io/service-name': name },
      },
      {
        addressType: advertiseAddress.includes(':') ? 'IPv6' : 'IPv4',
        endpoints: [{ addresses: [advertiseAddress], conditions: { ready: true } }],
        ports: endpointPorts,
      },
    );
  }
}
