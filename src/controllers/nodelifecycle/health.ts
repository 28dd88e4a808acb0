// The decisions of the node lifecycle controller (pkg/controller/nodelifecycle), kept pure: the
// conditions of a node whose kubelet went silent (tryUpdateNodeHealth), the NoExecute / NoSchedule
// taints that follow its Ready condition (doNoExecuteTaintingPass, doNoScheduleTaintingPass) and when
// a pod on a NoExecute-tainted node must go (the taint eviction controller's getMinTolerationTime).
import { nowTimestamp } from '../../api/meta.ts';
import type { Node, NodeCondition, Taint, Toleration } from './types.ts';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
/** nodeMonitorGracePeriod's default. */
export const defaultNodeMonitorGracePeriodMs = 40_000;
/** nodeMonitorPeriod's default. */
export const defaultNodeMonitorPeriodMs = 5_000;

/** The conditions the controller sets to Unknown when the kubelet stops reporting. */
const watchedConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const readyCondition = (node: Node): NodeCondition | undefined =>
  node.status?.conditions?.find((c) => c.type === 'Ready');

/**
 * The node's conditions once its kubelet has been silent past the grace period: Ready and the
 * pressure conditions Unknown (NodeStatusUnknown, or NodeStatusNeverUpdated for a Ready that was
 * never posted). Undefined when nothing changes.
 */
export function unknownConditions(node: Node, nowMs: number): NodeCondition[] | undefined {
  const now = nowTimestamp(new Date(nowMs));
  const current = node.status?.conditions ?? [];
  let changed = false;
  const next = current.map((c) => {
    if (!watchedConditions.includes(c.type) || c.status === 'Unknown') return c;
    changed = true;
    return {
      ...c,
      status: 'Unknown' as const,
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: now,
    };
  });
  if (!current.some((c) => c.type === 'Ready')) {
    changed = true;
    next.push({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
      lastHeartbeatTime: node.metadata.creationTimestamp ?? undefined,
      lastTransitionTime: now,
    });
  }
  return changed ? next : undefined;
}

/** The taints the Ready condition calls for: unreachable for Unknown, not-ready for False. */
export function desiredTaints(ready: NodeCondition | undefined): Taint[] {
  const key =
    ready === undefined || ready.status === 'Unknown'
      ? unreachableTaintKey
      : ready.status === 'False'
        ? notReadyTaintKey
        : undefined;
  if (key === undefined) return [];
  return [
    { key, effect: 'NoExecute' },
    { key, effect: 'NoSchedule' },
  ];
}

const managed = (t: Taint): boolean =>
  (t.key === unreachableTaintKey || t.key === notReadyTaintKey) &&
  (t.effect === 'NoExecute' || t.effect === 'NoSchedule');

/**
 * The node's taints with the managed ones (unreachable / not-ready, NoExecute and NoSchedule) made
 * equal to `desired`; NoExecute taints added get timeAdded. Undefined when nothing changes.
 */
export function reconcileTaints(
  current: readonly Taint[] | undefined,
  desired: readonly Taint[],
  nowMs: number,
): Taint[] | undefined {
  const list = current ?? [];
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  const keep = list.filter((t) => !managed(t) || desired.some((d) => same(d, t)));
  const add = desired
    .filter((d) => !list.some((t) => same(d, t)))
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: nowTimestamp(new Date(nowMs)) } : { ...d }));
  if (keep.length === list.length && add.length === 0) return undefined;
  return [...keep, ...add];
}

/** Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  // Equal (the default): an empty key only makes sense with Exists.
  if (t.key === undefined || t.key === '') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long after the NoExecute taints a pod may stay: 0 when some taint is not tolerated (a pod
 * without tolerations goes at once), Infinity when the tolerations that match have no
 * tolerationSeconds, else the smallest tolerationSeconds (negative counts as 0). Undefined without
 * NoExecute taints.
 */
export function tolerationTimeMs(
  tolerations: readonly Toleration[],
  taints: readonly Taint[],
): number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  let min = Infinity;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      min = Math.min(min, Math.max(0, t.tolerationSeconds) * 1000);
    }
  }
  return min;
}

/**
 * When (ms since the epoch) the pod must be evicted: the latest timeAdded of the NoExecute taints
 * (or `nowMs` without one) plus the toleration time. Undefined: never.
 */
export function evictionTimeMs(
  tolerations: readonly Toleration[],
  taints: readonly Taint[],
  nowMs: number,
): number | undefined {
  const wait = tolerationTimeMs(tolerations, taints);
  if (wait === undefined || wait === Infinity) return undefined;
  let start = 0;
  for (const t of taints) {
    if (t.effect !== 'NoExecute') continue;
    const added = t.timeAdded === undefined ? nowMs : Date.parse(t.timeAdded);
    start = Math.max(start, Number.isNaN(added) ? nowMs : added);
  }
  return start + wait;
}
