// When a finished Job expires (pkg/controller/ttlafterfinished: timeLeft / getFinishAndExpireTime):
// its Complete or Failed condition's lastTransitionTime (or completionTime) plus
// ttlSecondsAfterFinished.
import { parseTime } from '../framework/index.ts';
import { finishedCondition, type Job } from '../job/index.ts';

/** Milliseconds until the Job expires (≤ 0: expired); undefined when it has no TTL or is unfinished. */
export function ttlLeftMs(job: Job, nowMs: number): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp !== undefined) return undefined;
  const cond = finishedCondition(job);
  if (cond === undefined) return undefined;
  const finished = parseTime(cond.lastTransitionTime) ?? parseTime(job.status?.completionTime);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - nowMs;
}
