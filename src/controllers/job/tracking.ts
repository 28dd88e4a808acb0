// Job tracking with finalizers (trackJobStatusAndRemoveFinalizers, flushUncountedAndRemoveFinalizers,
// enactJobFinished): a finished pod's UID goes into status.uncountedTerminatedPods first, then its
// batch.kubernetes.io/job-tracking finalizer is removed, then the UID moves into the counters. Each
// pod is so counted exactly once even across crashes. Indexed Jobs record completedIndexes instead.
import { nowTimestamp } from '../../api/meta.ts';
import { errorText, type Pod, referenceTo } from '../framework/index.ts';
import { matchPodFailurePolicy } from './failure-policy.ts';
import {
  completionIndexOf,
  formatIntervals,
  hasIndex,
  totalIndexes,
  unknownIndex,
  withIndexes,
} from './indexes.ts';
import { hasTrackingFinalizer, removeTrackingFinalizer } from './pods.ts';
import type { JobState } from './state.ts';
import { isIndexed, isPodFailed, type JobSyncContext, newCondition } from './sync.ts';
import { type Job, jobKind, type JobStatus } from './types.ts';

/** MaxUncountedPods */
const maxUncountedPods = 500;

/** cleanUncountedPodsWithoutFinalizers: UIDs whose finalizer is gone move into the counters. */
function cleanUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = status.uncountedTerminatedPods;
  if (u === undefined) return false;
  let changed = false;
  const keep = (uids: string[] | undefined, count: (n: number) => void): string[] => {
    const left = (uids ?? []).filter((uid) => withFinalizer.has(uid));
    if (left.length !== (uids ?? []).length) {
      changed = true;
      count((uids ?? []).length - left.length);
    }
    return left;
  };
  u.succeeded = keep(u.succeeded, (n) => (status.succeeded = (status.succeeded ?? 0) + n));
  u.failed = keep(u.failed, (n) => (status.failed = (status.failed ?? 0) + n));
  return changed;
}

async function writeStatus(s: JobState, job: Job): Promise<Job> {
  return s.jobClient.updateStatus(job, { namespace: job.metadata.namespace });
}

/** trackJobStatusAndRemoveFinalizers */
export async function trackStatusAndRemoveFinalizers(
  s: JobState,
  c: JobSyncContext,
  cached: Job,
): Promise<void> {
  let job = c.job;
  const status = (job.status ??= {});
  const completions = job.spec.completions ?? 0;
  const indexed = isIndexed(job);
  const pods: Pod[] = [...c.pods];
  if (indexed) pods.sort((a, b) => completionIndexOf(a) - completionIndexOf(b));
  const withFinalizer = new Set<string>();
  for (const p of pods) {
    const uid = p.metadata.uid ?? '';
    if (hasTrackingFinalizer(p) && !c.expectedRmFinalizers.has(uid)) withFinalizer.add(uid);
  }
  status.uncountedTerminatedPods ??= {};
  cleanUncounted(status, withFinalizer);
  const uncounted = status.uncountedTerminatedPods;
  const toRemove: Pod[] = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  const finishing = c.finishedCondition !== undefined && c.finishedCondition.type !== 'SuccessCriteriaMet';
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? '';
    if (!hasTrackingFinalizer(pod) || c.expectedRmFinalizers.has(uid)) continue;
    const considerFailed = isPodFailed(pod, job);
    const succeeded = pod.status?.phase === 'Succeeded';
    // canRemoveFinalizer
    if (!(
      job.metadata.deletionTimestamp !== undefined ||
      c.finishedCondition !== undefined ||
      succeeded ||
      considerFailed
    ))
      continue;
    toRemove.push(pod);
    const ix = completionIndexOf(pod);
    if (succeeded && !c.uncounted.failed.has(uid)) {
      if (indexed) {
        if (ix !== unknownIndex && ix < completions && !hasIndex(c.prevSucceededIndexes, ix))
          newIndexes.push(ix);
      } else if (!c.uncounted.succeeded.has(uid)) {
        (uncounted.succeeded ??= []).push(uid);
      }
    } else if (considerFailed || finishing) {
      // Once the Job is finished, every pod that did not succeed counts as failed.
      const inRange = !indexed || (ix !== unknownIndex && ix < completions);
      if (!c.uncounted.failed.has(uid) && inRange) {
        if (job.spec.podFailurePolicy == null || matchPodFailurePolicy(job.spec, pod).countFailed) {
          (uncounted.failed ??= []).push(uid);
        }
      }
    }
    if (
      newIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >=
      maxUncountedPods
    ) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    c.succeededIndexes = withIndexes(c.succeededIndexes, newIndexes);
    status.succeeded = totalIndexes(c.succeededIndexes);
    status.completedIndexes = formatIntervals(c.succeededIndexes);
  }
  // The interim condition is written before the finalizers go, so a restart still sees it.
  if (c.finishedCondition?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), c.finishedCondition];
    c.finishedCondition = newCondition(
      'Failed',
      c.finishedCondition.reason ?? '',
      c.finishedCondition.message ?? '',
      c.now,
    );
  } else if (c.finishedCondition?.type === 'SuccessCriteriaMet') {
    status.conditions = [...(status.conditions ?? []), c.finishedCondition];
    c.finishedCondition = newCondition(
      'Complete',
      c.finishedCondition.reason ?? '',
      c.finishedCondition.message ?? '',
      c.now,
    );
  }
  const before = JSON.stringify(cached.status ?? {});
  if (JSON.stringify(status) !== before) job = await writeStatus(s, job);

  // flushUncountedAndRemoveFinalizers
  let rmError: unknown;
  if (toRemove.length > 0) {
    const expected = s.finalizerExpectations.get(c.key) ?? new Set<string>();
    s.finalizerExpectations.set(c.key, expected);
    const results = await Promise.allSettled(
      toRemove.map(async (pod) => {
        const uid = pod.metadata.uid ?? '';
        expected.add(uid);
        try {
          await removeTrackingFinalizer(s, pod);
          withFinalizer.delete(uid);
        } catch (e: unknown) {
          expected.delete(uid);
          throw e;
        }
      }),
    );
    rmError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  }
  const jobStatus = (job.status ??= {});
  let needsFlush = cleanUncounted(jobStatus, withFinalizer);
  if (rmError !== undefined) {
    if (needsFlush) await writeStatus(s, job);
    throw new Error(`removing tracking finalizers: ${errorText(rmError)}`, { cause: rmError });
  }
  // enactJobFinished: only once every pod is counted and none is terminating.
  const finished = c.finishedCondition;
  const u = jobStatus.uncountedTerminatedPods ?? {};
  const allCounted = (u.succeeded?.length ?? 0) === 0 && (u.failed?.length ?? 0) === 0;
  let jobFinished = false;
  if (!reachedMax && finished !== undefined && allCounted && (jobStatus.terminating ?? 0) === 0) {
    if (finished.type === 'Complete') jobStatus.completionTime = nowTimestamp(new Date(c.now));
    jobStatus.conditions = [...(jobStatus.conditions ?? []), finished];
    jobFinished = true;
    needsFlush = true;
  }
  if (!needsFlush) return;
  job = await writeStatus(s, job);
  if (!jobFinished || finished === undefined) return;
  // recordJobFinished
  if (finished.type === 'Complete')
    s.recorder.event(referenceTo(job, jobKind), 'Normal', 'Completed', 'Job completed');
  else
    s.recorder.event(
      referenceTo(job, jobKind),
      'Warning',
      finished.reason ?? 'Failed',
      finished.message ?? '',
    );
}
