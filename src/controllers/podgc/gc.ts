// The decisions of the pod garbage collector (pkg/controller/podgc/gc_controller.go), kept pure:
// which terminated pods exceed the threshold, which pods are orphaned, which unscheduled pods are
// terminating, and the DisruptionTarget condition set before a pod is deleted.
import { nowTimestamp } from '../../api/meta.ts';
import type { Pod, PodCondition } from '../framework/index.ts';
import { parseTime } from '../framework/index.ts';

/** --terminated-pod-gc-threshold's default. */
export const defaultTerminatedPodGCThreshold = 12_500;
/** gcCheckPeriod */
export const defaultGCCheckPeriodMs = 20_000;
/** quarantineTime: a node must stay gone this long before its pods are deleted. */
export const defaultQuarantineMs = 40_000;

export const isTerminated = (pod: Pod): boolean =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * gcTerminated: the oldest terminated pods (by creation time) beyond `threshold`; none when the
 * threshold is zero or not reached.
 */
export function terminatedToDelete(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  const created = (p: Pod): number => parseTime(p.metadata.creationTimestamp) ?? 0;
  return [...terminated].sort((a, b) => created(a) - created(b)).slice(0, excess);
}

/** gcOrphaned's first pass: pods bound to a node name the cache does not know. */
export function orphanedCandidates(pods: readonly Pod[], nodeExists: (name: string) => boolean): Pod[] {
  return pods.filter((p) => {
    const node = p.spec?.nodeName;
    return node !== undefined && node !== '' && !nodeExists(node);
  });
}

/** gcUnscheduledTerminating: never bound, already being deleted. */
export function unscheduledTerminating(pods: readonly Pod[]): Pod[] {
  return pods.filter(
    (p) =>
      p.metadata.deletionTimestamp !== undefined &&
      (p.spec?.nodeName === undefined || p.spec.nodeName === ''),
  );
}

/**
 * The status podgc writes before deleting an orphaned pod (1.32, PodDisruptionConditions): the
 * DisruptionTarget condition (reason DeletionByPodGC) and, for a pod not yet terminal, phase Failed.
 */
export function withDisruptionTarget(pod: Pod, message: string, nowMs: number): Pod {
  const next = structuredClone(pod);
  const status = (next.status ??= {});
  const condition: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByPodGC',
    message,
    lastTransitionTime: nowTimestamp(new Date(nowMs)),
  };
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
  if (!isTerminated(next)) status.phase = 'Failed';
  return next;
}
