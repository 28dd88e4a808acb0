// syncJob and manageJob (pkg/controller/job/job_controller.go, 1.32 behaviour): count newly
// finished pods, decide whether the Job has failed (pod failure policy, backoffLimit,
// activeDeadlineSeconds) or met its success criteria, otherwise create or delete pods towards
// min(parallelism, remaining completions), honouring suspend and the pod-failure backoff.
import { nowTimestamp } from '../../api/meta.ts';
import { labelSelectorAsSelector } from '../../api/labels.ts';
import { splitKey } from '../../client/index.ts';
import {
  ControllerRefManager,
  filterActivePods,
  isPodReady,
  type Pod,
  parseTime,
  recheckDeletionTimestamp,
  referenceTo,
} from '../framework/index.ts';
import { emptyBackoff, nextBackoffRecord, remainingBackoffMs } from './backoff.ts';
import { failJobMessage, matchPodFailurePolicy } from './failure-policy.ts';
import {
  completionIndexOf,
  firstPendingIndexes,
  type Intervals,
  parseIntervals,
  totalIndexes,
  unknownIndex,
  withIndexes,
} from './indexes.ts';
import { createJobPod, deleteJobPods, hasTrackingFinalizer } from './pods.ts';
import type { JobState } from './state.ts';
import { trackStatusAndRemoveFinalizers } from './tracking.ts';
import { isJobFinished, type Job, type JobCondition, jobControllerName, jobKind } from './types.ts';

/** MaxPodCreateDeletePerSync */
const maxPodCreateDeletePerSync = 500;

/** What one sync knows (upstream's syncJobCtx). */
export interface JobSyncContext {
  readonly key: string;
  readonly job: Job;
  readonly pods: readonly Pod[];
  readonly activePods: readonly Pod[];
  readonly expectedRmFinalizers: ReadonlySet<string>;
  readonly uncounted: { readonly succeeded: ReadonlySet<string>; readonly failed: ReadonlySet<string> };
  succeeded: number;
  terminating: number;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  finishedCondition: JobCondition | undefined;
  now: number;
}

export const isIndexed = (job: Job): boolean => job.spec.completionMode === 'Indexed';
const suspended = (job: Job): boolean => job.spec.suspend === true;

export function newCondition(type: string, reason: string, message: string, nowMs: number): JobCondition {
  const t = nowTimestamp(new Date(nowMs));
  return { type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** isPodFailed: Failed, or (unless podReplacementPolicy is Failed) being deleted before it finished. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec.podReplacementPolicy === 'Failed') return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

/** controller.CountTerminatingPods */
const isTerminating = (p: Pod): boolean =>
  p.metadata.deletionTimestamp !== undefined &&
  p.status?.phase !== 'Succeeded' &&
  p.status?.phase !== 'Failed';

/** getValidPodsWithFilter: finished pods with the finalizer that are not counted yet. */
function newFinishedPods(
  c: JobSyncContext,
  uncounted: ReadonlySet<string>,
  filter: (p: Pod) => boolean,
): Pod[] {
  return c.pods.filter((p) => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRmFinalizers.has(uid)) return false;
    if (isIndexed(c.job)) {
      const ix = completionIndexOf(p);
      if (ix === unknownIndex || ix >= (c.job.spec.completions ?? 0)) return false;
    }
    return filter(p);
  });
}

/** pastBackoffLimitOnFailure: restartPolicy OnFailure counts container restarts instead. */
function pastBackoffLimitOnFailure(job: Job, activePods: readonly Pod[]): boolean {
  if (job.spec.template?.spec?.['restartPolicy'] !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of activePods) {
    const statuses = [
      ...(p.status?.containerStatuses ?? []),
      ...((p.status?.['initContainerStatuses'] as { restartCount?: number }[] | undefined) ?? []),
    ];
    for (const cs of statuses) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function claimPods(s: JobState, job: Job): Promise<Pod[]> {
  let selector;
  try {
    selector = labelSelectorAsSelector(job.spec.selector);
  } catch {
    return Promise.resolve([]);
  }
  const manager = new ControllerRefManager<Pod>({
    owner: job,
    kind: jobKind,
    selector,
    children: s.podClient,
    canAdopt: recheckDeletionTimestamp(
      () => s.jobClient.get(job.metadata.name ?? '', { namespace: job.metadata.namespace }),
      job,
    ),
    log: s.log,
  });
  return manager.claim(s.pods.lister.namespace(job.metadata.namespace ?? '').list());
}

/** syncJob */
export async function syncJob(s: JobState, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = s.jobs.lister.get(namespace, name);
  if (cached === undefined) {
    s.expectations.deleteExpectations(key);
    s.finalizerExpectations.delete(key);
    s.backoff.delete(key);
    return;
  }
  const managedBy = cached.spec.managedBy;
  if (managedBy !== undefined && managedBy !== null && managedBy !== jobControllerName) return;
  if (isJobFinished(cached)) {
    s.backoff.delete(key);
    return;
  }
  const satisfied = s.expectations.satisfiedExpectations(key);
  const job: Job = structuredClone(cached);
  const status = (job.status ??= {});
  const pods = await claimPods(s, job);
  const now = s.ctx.clock.now();
  const c: JobSyncContext = {
    key,
    job,
    pods,
    activePods: filterActivePods(pods),
    expectedRmFinalizers: new Set(s.finalizerExpectations.get(key) ?? []),
    uncounted: {
      succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []),
      failed: new Set(status.uncountedTerminatedPods?.failed ?? []),
    },
    succeeded: 0,
    terminating: pods.filter(isTerminating).length,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    finishedCondition: undefined,
    now,
  };
  let active = c.activePods.length;
  const newSucceeded = newFinishedPods(c, c.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = newFinishedPods(c, c.uncounted.failed, (p) => isPodFailed(p, job));
  const counted = newFailed.filter(
    (p) => job.spec.podFailurePolicy == null || matchPodFailurePolicy(job.spec, p).countFailed,
  );
  c.succeeded = (status.succeeded ?? 0) + newSucceeded.length + c.uncounted.succeeded.size;
  const failed = (status.failed ?? 0) + counted.length + c.uncounted.failed.size;
  const ready = c.activePods.filter(isPodReady).length;
  s.backoff.set(key, nextBackoffRecord(s.backoff.get(key) ?? emptyBackoff, newSucceeded, counted, now));

  // The Job's first start; a suspended Job has not started.
  if (status.startTime === undefined && !suspended(job)) status.startTime = nowTimestamp(new Date(now));

  const conditions = status.conditions ?? [];
  const failureTarget = conditions.find((x) => x.type === 'FailureTarget' && x.status === 'True');
  const successMet = conditions.find((x) => x.type === 'SuccessCriteriaMet' && x.status === 'True');
  const failMessage = failJobMessage(job.spec, pods);
  const deadline = job.spec.activeDeadlineSeconds;
  const started = parseTime(status.startTime);
  if (failureTarget !== undefined) {
    c.finishedCondition = newCondition(
      'Failed',
      failureTarget.reason ?? '',
      failureTarget.message ?? '',
      now,
    );
  } else if (successMet !== undefined) {
    c.finishedCondition = newCondition('Complete', successMet.reason ?? '', successMet.message ?? '', now);
  } else if (failMessage !== undefined) {
    c.finishedCondition = newCondition('FailureTarget', 'PodFailurePolicy', failMessage, now);
  } else if (failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, c.activePods)) {
    c.finishedCondition = newCondition(
      'FailureTarget',
      'BackoffLimitExceeded',
      'Job has reached the specified backoff limit',
      now,
    );
  } else if (
    deadline != null &&
    started !== undefined &&
    !suspended(job) &&
    now - started >= deadline * 1000
  ) {
    c.finishedCondition = newCondition(
      'FailureTarget',
      'DeadlineExceeded',
      'Job was active longer than specified deadline',
      now,
    );
  } else if (deadline != null && started !== undefined && !suspended(job)) {
    s.queue.addAfter(key, deadline * 1000 - (now - started));
  }

  if (isIndexed(job)) {
    const completions = job.spec.completions ?? 0;
    c.prevSucceededIndexes = parseIntervals(status.completedIndexes, completions);
    const fresh = pods
      .filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p))
      .map(completionIndexOf)
      .filter((ix) => ix !== unknownIndex && ix < completions);
    c.succeededIndexes = withIndexes(c.prevSucceededIndexes, fresh);
    c.succeeded = totalIndexes(c.succeededIndexes);
  }

  let manageError: unknown;
  if (c.finishedCondition !== undefined) {
    // deleteActivePods; the Job is not finished until every active pod is gone.
    const { deleted, error } = await deleteJobPods(s, job, key, c.activePods);
    if (deleted !== active || !satisfied) c.finishedCondition = undefined;
    active -= deleted;
    c.terminating += deleted;
    manageError = error;
  } else {
    let manageCalled = false;
    if (satisfied && job.metadata.deletionTimestamp === undefined) {
      const r = await manageJob(s, c);
      active = r.active;
      manageError = r.error;
      manageCalled = true;
    }
    const completions = job.spec.completions;
    const complete =
      completions == null ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
    if (complete) {
      c.finishedCondition = newCondition(
        'SuccessCriteriaMet',
        'CompletionsReached',
        'Reached expected number of succeeded pods',
        now,
      );
    } else if (manageCalled) {
      updateSuspendCondition(s, job, now);
    }
  }
  status.active = active;
  status.ready = ready;
  status.terminating = c.terminating;
  await trackStatusAndRemoveFinalizers(s, c, cached);
  if (manageError !== undefined) throw manageError;
}

/** ensureJobConditionStatus for Suspended, with the Suspended / Resumed events. */
function updateSuspendCondition(s: JobState, job: Job, now: number): void {
  const status = (job.status ??= {});
  const want = suspended(job) ? 'True' : 'False';
  const current = status.conditions?.find((x) => x.type === 'Suspended');
  if (current === undefined && want === 'False') return;
  if (current?.status === want) return;
  const cond = newCondition(
    'Suspended',
    want === 'True' ? 'JobSuspended' : 'JobResumed',
    want === 'True' ? 'Job suspended' : 'Job resumed',
    now,
  );
  cond.status = want;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== 'Suspended'), cond];
  if (want === 'True') {
    s.recorder.event(referenceTo(job, jobKind), 'Normal', 'Suspended', 'Job suspended');
  } else {
    s.recorder.event(referenceTo(job, jobKind), 'Normal', 'Resumed', 'Job resumed');
    // A resumed Job starts its activeDeadlineSeconds over.
    status.startTime = nowTimestamp(new Date(now));
  }
}

/** activePodsForRemoval: for Indexed Jobs pods of out-of-range or repeated indexes go first. */
function podsForRemoval(job: Job, active: readonly Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let rest = [...active];
  if (isIndexed(job)) {
    const seen = new Set<number>();
    rest = [];
    for (const p of active) {
      const ix = completionIndexOf(p);
      if (ix === unknownIndex || ix >= (job.spec.completions ?? 0) || seen.has(ix)) rm.push(p);
      else {
        seen.add(ix);
        rest.push(p);
      }
    }
  }
  // Not yet running, then not ready, then the newest (a simplified ActivePods order).
  rest.sort((a, b) => rank(a) - rank(b));
  while (rm.length < atLeast && rest.length > 0) rm.push(rest.shift()!);
  return rm;
}

function rank(p: Pod): number {
  if (p.spec?.nodeName === undefined) return 0;
  if (p.status?.phase !== 'Running') return 1;
  return isPodReady(p) ? 3 : 2;
}

/** manageJob: returns the active count after creating or deleting pods. */
async function manageJob(s: JobState, c: JobSyncContext): Promise<{ active: number; error?: unknown }> {
  const job = c.job;
  let active = c.activePods.length;
  if (suspended(job)) {
    const { deleted, error } = await deleteJobPods(s, job, c.key, podsForRemoval(job, c.activePods, active));
    c.terminating += deleted;
    return { active: active - deleted, error };
  }
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  let wantActive: number;
  if (completions == null) wantActive = c.succeeded > 0 ? active : parallelism;
  else wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism));
  const toDelete = podsForRemoval(job, c.activePods, Math.max(0, active - wantActive)).slice(
    0,
    maxPodCreateDeletePerSync,
  );
  if (toDelete.length > 0) {
    // Deletions take precedence: no creations in the same sync.
    const { deleted, error } = await deleteJobPods(s, job, c.key, toDelete);
    c.terminating += deleted;
    return { active: active - deleted, error };
  }
  const terminating = job.spec.podReplacementPolicy === 'Failed' ? c.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };
  const wait = remainingBackoffMs(
    s.backoff.get(c.key) ?? emptyBackoff,
    c.now,
    s.backoffBaseMs,
    s.backoffMaxMs,
  );
  if (wait > 0) {
    s.queue.addAfter(c.key, wait);
    return { active };
  }
  diff = Math.min(diff, maxPodCreateDeletePerSync);
  let indexes: (number | undefined)[] = Array.from({ length: diff }, () => undefined);
  if (isIndexed(job)) {
    const activeIndexes = new Set(c.activePods.map(completionIndexOf));
    indexes = firstPendingIndexes(c.succeededIndexes, activeIndexes, diff, completions ?? 0);
  }
  s.expectations.expectCreations(c.key, indexes.length);
  let error: unknown;
  // Slow start: batches of 1, 2, 4… stop at the first failing batch.
  for (let i = 0, batch = 1; i < indexes.length && error === undefined; i += batch, batch *= 2) {
    const results = await Promise.allSettled(
      indexes.slice(i, i + batch).map((ix) => createJobPod(s, job, ix)),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') active++;
      else {
        s.expectations.creationObserved(c.key);
        error ??= r.reason;
      }
    }
    if (error !== undefined)
      for (let j = i + batch; j < indexes.length; j++) s.expectations.creationObserved(c.key);
  }
  return { active, error };
}
