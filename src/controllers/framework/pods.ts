// Pod helpers shared by the workload controllers (k8s.io/kubernetes/pkg/api/v1/pod util.go and
// pkg/controller/controller_utils.go): readiness, availability after minReadySeconds, which pods
// count as active, and the ActivePodsWithRanks order that picks pods to delete first.
import type { Pod, PodCondition } from './types.ts';

/** podutil.GetPodReadyCondition */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and ready for at least minReadySeconds (by the Ready condition's
 * lastTransitionTime).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/**
 * How long until a ready pod becomes available (for requeueing after minReadySeconds); undefined
 * when it is not ready or already available.
 */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (!isPodReady(pod) || minReadySeconds <= 0) return undefined;
  const since = parseTime(podReadyCondition(pod)?.lastTransitionTime);
  if (since === undefined) return undefined;
  const left = since + minReadySeconds * 1000 - nowMs;
  return left >= 0 ? left + 1 : undefined;
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** controller.FilterActivePods */
export function filterActivePods<P extends Pod>(pods: readonly P[]): P[] {
  return pods.filter(isPodActive);
}

/** metav1.Time as milliseconds; undefined for the zero time. */
export function parseTime(t: string | null | undefined): number | undefined {
  if (t === undefined || t === null || t === '') return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** helper.GetDeletionCostFromPodAnnotations (an invalid value counts as 0). */
function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[deletionCostAnnotation];
  if (v === undefined || !/^-?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** afterOrZero: a zero time sorts first, otherwise the later time first. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: compares how long ago two times were on a log2 scale of nanoseconds. */
function logRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number): number => {
    const d = (nowMs - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** Compares two times the LogarithmicScaleDown way: newer (smaller bucket) first, ties by UID. */
function compareTimes(a: Pod, t1: number | undefined, b: Pod, t2: number | undefined, nowMs: number): number {
  if (t1 === t2) return 0;
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2) ? -1 : 1;
  const diff = logRankDiff(t1, t2, nowMs);
  if (diff === 0) {
    const u1 = a.metadata.uid ?? '';
    const u2 = b.metadata.uid ?? '';
    return u1 < u2 ? -1 : u1 > u2 ? 1 : 0;
  }
  return diff < 0 ? -1 : 1;
}

/**
 * ActivePodsWithRanks.Less as a comparator: pods that should be deleted first sort first.
 * 1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready; 4. lower
 * pod-deletion-cost first; 5. higher rank (more doubled up) first; 6. ready for less time first;
 * 7. more container restarts first; 8. newer first (on the logarithmic scale of LogarithmicScaleDown).
 */
export function compareForDeletion(
  a: { pod: Pod; rank: number },
  b: { pod: Pod; rank: number },
  nowMs: number,
): number {
  const [p1, p2] = [a.pod, b.pod];
  const n1 = p1.spec?.nodeName ?? '';
  const n2 = p2.spec?.nodeName ?? '';
  if (n1 !== n2 && (n1 === '' || n2 === '')) return n1 === '' ? -1 : 1;
  const o1 = phaseOrdinal[p1.status?.phase ?? ''] ?? 0;
  const o2 = phaseOrdinal[p2.status?.phase ?? ''] ?? 0;
  if (o1 !== o2) return o1 - o2;
  const r1 = isPodReady(p1);
  const r2 = isPodReady(p2);
  if (r1 !== r2) return r1 ? 1 : -1;
  const c1 = deletionCost(p1);
  const c2 = deletionCost(p2);
  if (c1 !== c2) return c1 - c2;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (r1 && r2) {
    const t1 = parseTime(podReadyCondition(p1)?.lastTransitionTime);
    const t2 = parseTime(podReadyCondition(p2)?.lastTransitionTime);
    const c = compareTimes(p1, t1, p2, t2, nowMs);
    if (c !== 0) return c;
  }
  const rs1 = maxRestarts(p1);
  const rs2 = maxRestarts(p2);
  if (rs1 !== rs2) return rs2 - rs1;
  const ct1 = parseTime(p1.metadata.creationTimestamp);
  const ct2 = parseTime(p2.metadata.creationTimestamp);
  return compareTimes(p1, ct1, p2, ct2, nowMs);
}

/**
 * getPodsToDelete with getPodsRankedByRelatedPodsOnSameNode: ranks each pod by how many related
 * active pods share its node, sorts by ActivePodsWithRanks and takes the first `count`.
 */
export function podsToDelete<P extends Pod>(
  pods: readonly P[],
  related: readonly Pod[],
  count: number,
  nowMs: number,
): P[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  // Array.prototype.sort is stable, as Go's sort.Sort need not be; the order of equals is arbitrary upstream.
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, count).map((r) => r.pod);
}
