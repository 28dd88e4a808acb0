// The pod-recreation backoff of a Job (pkg/controller/job/backoff_utils.go): after failed pods the
// next pod waits base·2^(failures−1), capped, counted from the last failure; a success resets it.
import type { Pod } from '../framework/index.ts';
import { parseTime } from '../framework/index.ts';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const defaultPodFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 360_000;

export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTime: number | undefined;
}

export const emptyBackoff: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureTime: undefined };

/**
 * newBackoffRecord: the record after this sync's newly finished pods. A new success resets the
 * count unless a failure came later (upstream orders them by finish time).
 */
export function nextBackoffRecord(
  prev: BackoffRecord,
  newSucceeded: readonly Pod[],
  newFailed: readonly Pod[],
  nowMs: number,
): BackoffRecord {
  if (newSucceeded.length === 0 && newFailed.length === 0) return prev;
  const lastSuccess = Math.max(-Infinity, ...newSucceeded.map((p) => finishTime(p, nowMs)));
  const failedAfter = newFailed.filter((p) => finishTime(p, nowMs) > lastSuccess);
  if (newSucceeded.length > 0) {
    if (failedAfter.length === 0) return emptyBackoff;
    return {
      failuresAfterLastSuccess: failedAfter.length,
      lastFailureTime: Math.max(...failedAfter.map((p) => finishTime(p, nowMs))),
    };
  }
  return {
    failuresAfterLastSuccess: prev.failuresAfterLastSuccess + newFailed.length,
    lastFailureTime: Math.max(
      prev.lastFailureTime ?? -Infinity,
      ...newFailed.map((p) => finishTime(p, nowMs)),
    ),
  };
}

/** getRemainingTime: how long pod creation must still wait (0: create now). */
export function remainingBackoffMs(
  record: BackoffRecord,
  nowMs: number,
  baseMs: number,
  maxMs: number,
): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  const exp = Math.min(record.failuresAfterLastSuccess - 1, 62);
  const backoff = Math.min(baseMs * 2 ** exp, maxMs);
  const elapsed = Math.max(0, nowMs - record.lastFailureTime);
  return elapsed < backoff ? backoff - elapsed : 0;
}

/**
 * getFinishedTime: the latest container finish time, else the deletion time, else the Ready
 * condition's transition, else now.
 */
export function finishTime(pod: Pod, nowMs: number): number {
  let latest: number | undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const term = (cs['state'] as { terminated?: { finishedAt?: string } } | undefined)?.terminated;
    const t = parseTime(term?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const deleted = parseTime(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted;
  const ready = parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  return ready ?? nowMs;
}
