// framework.PodInfo and AffinityTerm: what the plugins need from a pod, computed once per pod object
// (quantities parsed, selectors built) and shared by every NodeInfo and cycle that holds the pod.
import {
  type LabelSelector,
  type Labels,
  labelSelectorAsSelector,
  nothing,
  type Selector,
} from '../../api/labels.ts';
import { type Pod, type PodAffinityTerm, podPriority, type WeightedPodAffinityTerm } from '../types.ts';
import { podRequests, type Resource } from './resource.ts';

/** framework.AffinityTerm: a PodAffinityTerm with its namespaces and selectors resolved. */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** The term's namespaceSelector; only an empty one (all namespaces) can match without namespace labels. */
  readonly namespaceSelector: Selector;
  readonly selector: Selector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** resource.PodRequests, and the same with cpu/memory defaults for missing requests (scoring). */
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: readonly HostPort[];
  readonly priority: number;
}

export function safeSelector(ls: LabelSelector | null | undefined): Selector {
  try {
    return labelSelectorAsSelector(ls);
  } catch {
    return nothing(); // an invalid selector matches nothing, as upstream's error path
  }
}

/** matchLabelKeys / mismatchLabelKeys merged into the selector (MatchLabelKeysInPodAffinity). */
function termSelector(term: PodAffinityTerm, labels: Labels): Selector {
  const ls = term.labelSelector;
  if (ls === null || ls === undefined) return nothing();
  const extra = [
    ...(term.matchLabelKeys ?? [])
      .filter((k) => labels[k] !== undefined)
      .map((key) => ({ key, operator: 'In' as const, values: [labels[key]!] })),
    ...(term.mismatchLabelKeys ?? [])
      .filter((k) => labels[k] !== undefined)
      .map((key) => ({ key, operator: 'NotIn' as const, values: [labels[key]!] })),
  ];
  if (extra.length === 0) return safeSelector(ls);
  return safeSelector({ ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...extra] });
}

export function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const hasNsSelector = term.namespaceSelector !== null && term.namespaceSelector !== undefined;
  if (namespaces.size === 0 && !hasNsSelector) namespaces.add(pod.metadata.namespace ?? 'default');
  return {
    namespaces,
    namespaceSelector: hasNsSelector ? safeSelector(term.namespaceSelector) : nothing(),
    selector: termSelector(term, pod.metadata.labels ?? {}),
    topologyKey: term.topologyKey,
  };
}

/** AffinityTerm.Matches: the namespace and the label selector. */
export function termMatches(term: AffinityTerm, pod: Pod): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  const nsOk =
    term.namespaces.has(ns) ||
    (!term.namespaceSelector.matchesNothing && term.namespaceSelector.requirements.length === 0);
  return nsOk && term.selector.matches(pod.metadata.labels);
}

function weighted(pod: Pod, terms: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...newAffinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
}

function hostPorts(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  const containers = [
    ...pod.spec.containers,
    ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if ((p.hostPort ?? 0) <= 0) continue;
      ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort! });
    }
  }
  return ports;
}

const infos = new WeakMap<Pod, PodInfo>();

/** framework.NewPodInfo, memoized per pod object (informer objects are immutable). */
export function podInfoOf(pod: Pod): PodInfo {
  let info = infos.get(pod);
  if (info !== undefined) return info;
  const a = pod.spec.affinity;
  info = {
    pod,
    requiredAffinityTerms: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      newAffinityTerm(pod, t),
    ),
    requiredAntiAffinityTerms: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (t) => newAffinityTerm(pod, t),
    ),
    preferredAffinityTerms: weighted(pod, a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: weighted(
      pod,
      a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hostPorts: hostPorts(pod),
    priority: podPriority(pod),
  };
  infos.set(pod, info);
  return info;
}

export function hasAffinity(pi: PodInfo): boolean {
  return (
    pi.requiredAffinityTerms.length > 0 ||
    pi.requiredAntiAffinityTerms.length > 0 ||
    pi.preferredAffinityTerms.length > 0 ||
    pi.preferredAntiAffinityTerms.length > 0
  );
}
