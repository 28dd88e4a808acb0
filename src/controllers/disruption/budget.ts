// The PodDisruptionBudget arithmetic of upstream's pkg/controller/disruption/disruption.go:
// expected and desired healthy pods (getExpectedPodCount), the disrupted-pods map with its
// two-minute timeout (buildDisruptedPodMap) and the status it all adds up to.
import type { Condition, Pod } from '../framework/index.ts';
import { isPodReady, parseTime } from '../framework/index.ts';
import type { LabelSelector } from '../../api/labels.ts';
import type { KubeObject } from '../../api/meta.ts';

export interface PDBStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  conditions?: Condition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: {
    minAvailable?: number | string | null;
    maxUnavailable?: number | string | null;
    selector?: LabelSelector | null;
    unhealthyPodEvictionPolicy?: string | null;
  };
  status?: PDBStatus;
}

/** DeletionTimeout: a pod the eviction subresource let go must be gone within two minutes. */
export const deletionTimeoutMs = 2 * 60 * 1000;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, `N%` of `total` rounded up or down. Throws on
 * a malformed value.
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface Expected {
  readonly expectedCount: number;
  readonly desiredHealthy: number;
}

/**
 * getExpectedPodCount: with maxUnavailable, or minAvailable as a percentage, the expected count is the
 * pods' controllers' scale (`scale()`, which throws when a pod has none); with an integer
 * minAvailable it is the number of matching pods.
 */
export function expectedPodCount(pdb: PodDisruptionBudget, podCount: number, scale: () => number): Expected {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const expectedCount = scale();
    const unavailable = scaledValue(maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - unavailable) };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (typeof minAvailable === 'number') return { expectedCount: podCount, desiredHealthy: minAvailable };
    const expectedCount = scale();
    return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount, true) };
  }
  // Neither set (policy/v1 allows it): nothing may be disrupted below the current count.
  return { expectedCount: podCount, desiredHealthy: podCount };
}

/**
 * buildDisruptedPodMap: the entries of pods that still exist and are not being deleted, dropping
 * those older than the deletion timeout; also the earliest time an entry left will expire.
 */
export function disruptedPodMap(
  pods: readonly Pod[],
  disrupted: Readonly<Record<string, string>> | undefined,
  nowMs: number,
): { map: Record<string, string>; recheckAtMs: number | undefined } {
  const map: Record<string, string> = {};
  let recheckAtMs: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const at = disrupted?.[name];
    if (at === undefined) continue;
    const expires = (parseTime(at) ?? 0) + deletionTimeoutMs;
    if (expires < nowMs) continue;
    map[name] = at;
    if (recheckAtMs === undefined || expires < recheckAtMs) recheckAtMs = expires;
  }
  return { map, recheckAtMs };
}

/** countHealthyPods: ready, not being deleted and not already disrupted. */
export function countHealthy(pods: readonly Pod[], disrupted: Readonly<Record<string, string>>): number {
  return pods.filter(
    (p) =>
      p.metadata.deletionTimestamp === undefined && !((p.metadata.name ?? '') in disrupted) && isPodReady(p),
  ).length;
}

/** disruptionsAllowed, never below zero and zero without any expected pods. */
export function disruptionsAllowed(expected: Expected, currentHealthy: number): number {
  const allowed = currentHealthy - expected.desiredHealthy;
  return expected.expectedCount <= 0 || allowed <= 0 ? 0 : allowed;
}
