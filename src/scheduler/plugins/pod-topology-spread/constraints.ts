// Spread constraints with their selectors built (podtopologyspread/common.go), and the node
// inclusion policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by default).
import type { LabelSelector, Selector } from '../../../api/labels.ts';
import { safeSelector } from '../../cache/pod-info.ts';
import type { NodeInfo } from '../../cache/node-info.ts';
import {
  labelHostname,
  labelTopologyZone,
  type Node,
  type Pod,
  type TopologySpreadConstraint,
} from '../../types.ts';
import { findUntoleratedTaint, podMatchesNodeSelectorAndAffinity } from '../helper/helper.ts';

export interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorTaints: boolean;
}

/** The system default constraints (defaultingType System). */
export const systemDefaultConstraints: readonly TopologySpreadConstraint[] = [
  { topologyKey: labelHostname, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: labelTopologyZone, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export function buildConstraints(
  pod: Pod,
  list: readonly TopologySpreadConstraint[],
  when: TopologySpreadConstraint['whenUnsatisfiable'],
): Constraint[] {
  const labels = pod.metadata.labels ?? {};
  return list
    .filter((c) => c.whenUnsatisfiable === when)
    .map((c) => {
      let ls: LabelSelector | null | undefined = c.labelSelector;
      const keys = (c.matchLabelKeys ?? []).filter((k) => labels[k] !== undefined);
      if (keys.length > 0) {
        ls = {
          ...(ls ?? {}),
          matchExpressions: [
            ...(ls?.matchExpressions ?? []),
            ...keys.map((key) => ({ key, operator: 'In' as const, values: [labels[key]!] })),
          ],
        };
      }
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector: safeSelector(ls),
        minDomains: c.minDomains ?? 1,
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      };
    });
}

/**
 * The default selector of system-defaulted constraints. Upstream builds it from the Services,
 * ReplicaSets and StatefulSets that select the pod; without those listers, a pod with a controller
 * is grouped with the pods carrying all of its labels, and a pod without one is not spread.
 */
const defaults = new WeakMap<Pod, Constraint[]>();

export function defaultSelectorConstraints(pod: Pod): Constraint[] {
  let d = defaults.get(pod);
  if (d === undefined) defaults.set(pod, (d = buildDefaultConstraints(pod)));
  return d;
}

function buildDefaultConstraints(pod: Pod): Constraint[] {
  const controlled = (pod.metadata.ownerReferences ?? []).some((o) => o.controller);
  const labels = pod.metadata.labels ?? {};
  if (!controlled || Object.keys(labels).length === 0) return [];
  return buildConstraints(pod, systemDefaultConstraints, 'ScheduleAnyway').map((c) => ({
    ...c,
    selector: safeSelector({ matchLabels: { ...labels } }),
  }));
}

export function nodeHasAllKeys(node: Node, constraints: readonly Constraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  return constraints.every((c) => labels[c.topologyKey] !== undefined);
}

const memo = new WeakMap<Pod, Partial<Record<string, Constraint[]>>>();

/** The pod's own constraints of one kind, compiled once per pod object (informer objects are immutable). */
export function podConstraints(pod: Pod, when: TopologySpreadConstraint['whenUnsatisfiable']): Constraint[] {
  let m = memo.get(pod);
  if (m === undefined) memo.set(pod, (m = {}));
  return (m[when] ??= buildConstraints(pod, pod.spec.topologySpreadConstraints ?? [], when));
}

/** No node selection and no taint policy: every node passes the inclusion policies. */
export function trivialInclusion(pod: Pod, constraints: readonly Constraint[]): boolean {
  const selects =
    Object.keys(pod.spec.nodeSelector ?? {}).length > 0 ||
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  return !selects && !constraints.some((c) => c.honorTaints);
}

/** matchNodeInclusionPolicies, with a fast path for a pod without node selection and no taint policy. */
export function inclusionChecker(
  pod: Pod,
  constraints: readonly Constraint[],
): (node: Node, c: Constraint) => boolean {
  if (trivialInclusion(pod, constraints)) return () => true;
  return (node, c) => nodeIncluded(pod, node, c);
}

export function nodeIncluded(pod: Pod, node: Node, c: Constraint): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (c.honorTaints) {
    const t = findUntoleratedTaint(
      node.spec?.taints,
      pod.spec.tolerations,
      (x) => x.effect === 'NoSchedule' || x.effect === 'NoExecute',
    );
    if (t !== undefined) return false;
  }
  return true;
}

/** countPodsMatchSelector: same namespace, not terminating, selector matches. */
export function countMatching(ni: NodeInfo, selector: Selector, namespace: string): number {
  if (selector.matchesNothing || ni.pods.length === 0) return 0;
  let n = 0;
  for (const pi of ni.pods) {
    const m = pi.pod.metadata;
    if (m.deletionTimestamp || (m.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(m.labels)) n++;
  }
  return n;
}
