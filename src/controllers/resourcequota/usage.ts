// Quota usage arithmetic (upstream pkg/quota/v1 and pkg/quota/v1/evaluator/core): what one object
// charges against a quota, which objects a quota's scopes select, and the sum over a namespace.
//
//   pod ─► QuotaV1Pod (not terminal)? ─► PodRequests / PodLimits (containers + sidecars,
//          max with each init container, + overhead) ─► pods, requests.*, limits.*, cpu, memory
//   service ─► services, services.loadbalancers, services.nodeports
//   PVC ─► persistentvolumeclaims, requests.storage (also per storage class)
//   any object ─► count/<resource>[.<group>] (and the legacy names for core resources)
import type { KubeObject } from '../../api/meta.ts';
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
} from '../../api/quantity.ts';

export type ResourceList = Record<string, string>;
type Usage = Map<string, Quantity>;

export interface ScopedRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface ResourceQuota extends KubeObject {
  spec?: {
    hard?: ResourceList;
    scopes?: string[];
    scopeSelector?: { matchExpressions?: ScopedRequirement[] };
  };
  status?: { hard?: ResourceList; used?: ResourceList };
}

interface ContainerLike {
  resources?: { requests?: ResourceList; limits?: ResourceList };
  restartPolicy?: string;
}

export interface QuotaPod extends KubeObject {
  spec?: {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    overhead?: ResourceList;
    activeDeadlineSeconds?: number;
    priorityClassName?: string;
    affinity?: Record<string, unknown>;
  };
  status?: { phase?: string };
}

const zero = (): Quantity => parseQuantity('0');
const one: Quantity = { value: 1n, scale: 0, format: 'DecimalSI' };

function addTo(usage: Usage, name: string, q: Quantity): void {
  const cur = usage.get(name);
  usage.set(name, cur === undefined ? q : addQuantity(cur, q));
}

function parseList(list: ResourceList | undefined): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    try {
      out.set(k, parseQuantity(v));
    } catch {
      // an invalid amount is the API server's to reject; it charges nothing here.
    }
  }
  return out;
}

const sumInto = (acc: Usage, list: Usage): void => list.forEach((q, k) => addTo(acc, k, q));
const maxInto = (acc: Usage, list: Usage): void =>
  list.forEach((q, k) => {
    const cur = acc.get(k);
    if (cur === undefined || compareQuantity(q, cur) > 0) acc.set(k, q);
  });

/** resourcehelper's aggregate over containers, sidecars and init containers (requests or limits). */
function aggregate(pod: QuotaPod, which: 'requests' | 'limits'): Usage {
  const reqs: Usage = new Map();
  for (const c of pod.spec?.containers ?? []) sumInto(reqs, parseList(c.resources?.[which]));
  const sidecars: Usage = new Map();
  const initMax: Usage = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = parseList(c.resources?.[which]);
    if (c.restartPolicy === 'Always') {
      // A sidecar runs beside the regular containers and every later init container.
      sumInto(reqs, own);
      sumInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const running: Usage = new Map(sidecars);
      sumInto(running, own);
      maxInto(initMax, running);
    }
  }
  maxInto(reqs, initMax);
  return reqs;
}

/** resourcehelper.PodRequests: the effective requests plus the whole overhead. */
export function podRequests(pod: QuotaPod): Usage {
  const reqs = aggregate(pod, 'requests');
  sumInto(reqs, parseList(pod.spec?.overhead));
  return reqs;
}

/** resourcehelper.PodLimits: the effective limits plus the overhead of the limited resources. */
export function podLimits(pod: QuotaPod): Usage {
  const limits = aggregate(pod, 'limits');
  for (const [k, q] of parseList(pod.spec?.overhead)) if (limits.has(k)) addTo(limits, k, q);
  return limits;
}

/** QuotaV1Pod: terminal pods and pods past their deletion grace no longer charge compute. */
export function isQuotaPod(pod: QuotaPod, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const ts = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (ts !== undefined && grace !== undefined && nowMs > Date.parse(ts) + grace * 1000) return false;
  return true;
}

const isStandardCompute = (name: string) => ['cpu', 'memory', 'ephemeral-storage'].includes(name);
const isExtended = (name: string) =>
  name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');

/** PodUsageFunc: count/pods always; pods and compute only for non-terminal pods. */
export function podUsage(pod: QuotaPod, nowMs: number): Usage {
  const usage: Usage = new Map([['count/pods', one]]);
  if (!isQuotaPod(pod, nowMs)) return usage;
  usage.set('pods', one);
  for (const [k, q] of podRequests(pod)) {
    if (isStandardCompute(k)) {
      usage.set(`requests.${k}`, q);
      usage.set(k, q);
    } else if (k.startsWith('hugepages-') || isExtended(k)) {
      usage.set(`requests.${k}`, q);
    }
  }
  for (const [k, q] of podLimits(pod)) {
    if (isStandardCompute(k) || k.startsWith('hugepages-')) usage.set(`limits.${k}`, q);
  }
  return usage;
}

/** qos.GetPodQOS(pod) == BestEffort: no container asks for or limits cpu or memory. */
export function isBestEffort(pod: QuotaPod): boolean {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) =>
    [c.resources?.requests, c.resources?.limits].every(
      (l) => l === undefined || (l['cpu'] === undefined && l['memory'] === undefined),
    ),
  );
}

function hasCrossNamespaceAffinity(pod: QuotaPod): boolean {
  const affinity = pod.spec?.affinity ?? {};
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = affinity[kind] as Record<string, { podAffinityTerm?: unknown }[] | undefined> | undefined;
    const required = (a?.['requiredDuringSchedulingIgnoredDuringExecution'] ?? []) as {
      namespaces?: string[];
      namespaceSelector?: unknown;
    }[];
    const preferred = (a?.['preferredDuringSchedulingIgnoredDuringExecution'] ?? []).map(
      (w) => (w.podAffinityTerm ?? {}) as { namespaces?: string[]; namespaceSelector?: unknown },
    );
    for (const t of [...required, ...preferred]) {
      if ((t.namespaces?.length ?? 0) > 0 || t.namespaceSelector != null) return true;
    }
  }
  return false;
}

/** podMatchesScopeFunc: whether a pod falls under one scope requirement. */
export function podMatchesScope(pod: QuotaPod, req: ScopedRequirement): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  switch (req.scopeName) {
    case 'Terminating':
      return deadline !== undefined && deadline >= 0;
    case 'NotTerminating':
      return deadline === undefined || deadline < 0;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return hasCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      // podMatchesSelector evaluates against {PriorityClass: <name>}, a key always present.
      switch (req.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return false;
        case 'In':
          return (req.values ?? []).includes(pc);
        case 'NotIn':
          return !(req.values ?? []).includes(pc);
      }
      return false;
    }
  }
  return false;
}

/** The scopes of a quota as requirements: each listed scope as Exists, plus the scopeSelector. */
export function quotaRequirements(q: ResourceQuota): ScopedRequirement[] {
  return [
    ...(q.spec?.scopes ?? []).map((s): ScopedRequirement => ({ scopeName: s, operator: 'Exists' })),
    ...(q.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

export interface ServiceLike extends KubeObject {
  spec?: { type?: string; ports?: { nodePort?: number }[]; allocateLoadBalancerNodePorts?: boolean };
}

/** The services evaluator. */
export function serviceUsage(svc: ServiceLike): Usage {
  const usage: Usage = new Map([
    ['services', one],
    ['count/services', one],
    ['services.loadbalancers', zero()],
    ['services.nodeports', zero()],
  ]);
  const ports = svc.spec?.ports ?? [];
  const n = (k: number): Quantity => ({ value: BigInt(k), scale: 0, format: 'DecimalSI' });
  if (svc.spec?.type === 'NodePort') usage.set('services.nodeports', n(ports.length));
  if (svc.spec?.type === 'LoadBalancer') {
    usage.set('services.loadbalancers', one);
    const explicit = ports.filter((p) => (p.nodePort ?? 0) !== 0).length;
    usage.set(
      'services.nodeports',
      n(svc.spec.allocateLoadBalancerNodePorts === false ? explicit : ports.length),
    );
  }
  return usage;
}

export interface PVCLike extends KubeObject {
  spec?: { storageClassName?: string; resources?: { requests?: ResourceList } };
}

const storageClassSuffix = '.storageclass.storage.k8s.io/';

/** The persistentvolumeclaims evaluator (counts and storage, also per storage class). */
export function pvcUsage(pvc: PVCLike): Usage {
  const usage: Usage = new Map([
    ['persistentvolumeclaims', one],
    ['count/persistentvolumeclaims', one],
  ]);
  const cls =
    pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
  if (cls !== '') usage.set(`${cls}${storageClassSuffix}persistentvolumeclaims`, one);
  const storage = parseList(pvc.spec?.resources?.requests).get('storage');
  if (storage !== undefined) {
    usage.set('requests.storage', storage);
    if (cls !== '') usage.set(`${cls}${storageClassSuffix}requests.storage`, storage);
  }
  return usage;
}

/** The legacy object-count names of core resources (`configmaps`, `secrets`…). */
export const legacyCountNames: Readonly<Record<string, string>> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

/** `count/<resource>.<group>` (core resources have no group): the group resource it counts. */
export function countedResource(name: string): { resource: string; group: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const gr = name.slice('count/'.length);
  const dot = gr.indexOf('.');
  return dot < 0 ? { resource: gr, group: '' } : { resource: gr.slice(0, dot), group: gr.slice(dot + 1) };
}

/** The group resource whose objects a quota resource name is charged by, if any. */
export function sourceOf(name: string): { resource: string; group: string } | undefined {
  const counted = countedResource(name);
  if (counted !== undefined) return counted;
  if (name in legacyCountNames) return { resource: legacyCountNames[name]!, group: '' };
  if (name === 'services' || name.startsWith('services.')) return { resource: 'services', group: '' };
  if (name === 'persistentvolumeclaims' || name === 'requests.storage' || name.includes(storageClassSuffix))
    return { resource: 'persistentvolumeclaims', group: '' };
  if (
    name === 'pods' ||
    name === 'cpu' ||
    name === 'memory' ||
    name === 'ephemeral-storage' ||
    name.startsWith('requests.') ||
    name.startsWith('limits.')
  )
    return { resource: 'pods', group: '' };
  return undefined;
}

/** What one object of a group resource charges. */
export function objectUsage(resource: string, group: string, obj: KubeObject, nowMs: number): Usage {
  if (group === '' && resource === 'pods') return podUsage(obj as QuotaPod, nowMs);
  if (group === '' && resource === 'services') return serviceUsage(obj as ServiceLike);
  if (group === '' && resource === 'persistentvolumeclaims') return pvcUsage(obj as PVCLike);
  const usage: Usage = new Map([[group === '' ? `count/${resource}` : `count/${resource}.${group}`, one]]);
  const legacy = group === '' ? legacyCountNames[resource] : undefined;
  if (legacy !== undefined) usage.set(legacy, one);
  return usage;
}

/**
 * CalculateUsage over the objects of each group resource the quota's hard names are charged by: the
 * used amount of every tracked hard name (zero when nothing charges it). Only pods honour scopes; a
 * scoped quota charges nothing for other objects, as upstream's generic evaluator.
 */
export function calculateUsage(
  quota: ResourceQuota,
  objectsOf: (resource: string, group: string) => readonly KubeObject[] | undefined,
  nowMs: number,
): ResourceList {
  const hard = Object.keys(quota.spec?.hard ?? {});
  const reqs = quotaRequirements(quota);
  const used: Usage = new Map();
  const sources = new Map<string, { resource: string; group: string }>();
  for (const name of hard) {
    const src = sourceOf(name);
    if (src === undefined) continue;
    sources.set(`${src.resource}.${src.group}`, src);
  }
  const tracked = new Set<string>();
  for (const { resource, group } of sources.values()) {
    const objects = objectsOf(resource, group);
    if (objects === undefined) continue;
    for (const name of hard) {
      const src = sourceOf(name);
      if (src?.resource === resource && src.group === group) {
        tracked.add(name);
        used.set(name, zero());
      }
    }
    const isPods = group === '' && resource === 'pods';
    for (const obj of objects) {
      if (reqs.length > 0 && (!isPods || !reqs.every((r) => podMatchesScope(obj as QuotaPod, r)))) continue;
      for (const [k, q] of objectUsage(resource, group, obj, nowMs)) if (tracked.has(k)) addTo(used, k, q);
    }
  }
  const out: ResourceList = {};
  for (const name of hard) {
    const q = used.get(name);
    if (q !== undefined) out[name] = formatQuantity(q);
  }
  return out;
}
