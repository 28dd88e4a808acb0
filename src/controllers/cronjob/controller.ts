// The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): creates a Job per
// activation of the schedule, named `<cronjob>-<minutes since epoch>`, keeps status.active,
// lastScheduleTime and lastSuccessfulTime, applies the concurrency policy, and deletes finished
// Jobs beyond the history limits. Time comes from ctx.clock, so a fake clock drives it in tests.
//
//   cronjob / job events ──► key ──► sync: reconcile active list ─► due activation? ─► Job
//                                        └─► cleanup history ─► status ─► requeue at next activation
import type { KubeObject } from '../../api/meta.ts';
import {
  isAlreadyExists,
  isNotFound,
  objectKey,
  type ObjectReference,
  resources,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import {
  controllerOf,
  errorText,
  newControllerRef,
  parseTime,
  referenceTo,
  runWorkers,
  unwrapDeleted,
} from '../framework/index.ts';
import { finishedCondition, isJobFinished, type Job, type JobSpec } from '../job/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { formatRfc3339, parseSchedule, type Schedule, validTimeZone } from './cron.ts';
import { nextScheduleDelay, nextScheduleTime, scheduledMinutes, type ScheduleInput } from './missed.ts';

export interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    timeZone?: string | null;
    startingDeadlineSeconds?: number | null;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace' | string;
    suspend?: boolean;
    jobTemplate?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: JobSpec;
    };
    successfulJobsHistoryLimit?: number | null;
    failedJobsHistoryLimit?: number | null;
  };
  status?: { active?: ObjectReference[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

export const cronJobKind = { apiVersion: 'batch/v1', kind: 'CronJob' } as const;
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** getJobFromTemplate2: the Job of one activation. */
export function jobForActivation(cj: CronJob, scheduledMs: number): Job {
  const t = cj.spec.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cj.metadata.name ?? ''}-${scheduledMinutes(scheduledMs)}`,
      namespace: cj.metadata.namespace,
      labels: { ...t.metadata?.labels },
      annotations: {
        ...t.metadata?.annotations,
        [scheduledTimestampAnnotation]: formatRfc3339(scheduledMs, cj.spec.timeZone ?? ''),
      },
      ownerReferences: [newControllerRef(cj, cronJobKind)],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

const jobRef = (job: Job): ObjectReference => ({
  kind: 'Job',
  namespace: job.metadata.namespace,
  name: job.metadata.name,
  uid: job.metadata.uid,
  apiVersion: 'batch/v1',
  resourceVersion: job.metadata.resourceVersion,
});

export class CronJobController implements Controller {
  readonly name = 'cronjob';
  private ctx: ControllerContext | undefined;
  private queue: WorkQueue<string> | undefined;
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();

  register(ctx: ControllerContext): void {
    this.ctx = ctx;
    // Retries back off in real time; activations wait on ctx.clock (see requeueAfter).
    const queue = new WorkQueue<string>({ name: 'cronjob', log: ctx.log });
    this.queue = queue;
    const cronJobs = ctx.informers.informerFor<CronJob>(resources.cronjobs);
    cronJobs.addEventHandler({
      onAdd: (cj) => queue.add(objectKey(cj)),
      onUpdate: (_, cj) => queue.add(objectKey(cj)),
      onDelete: (obj) => queue.add(objectKey(unwrapDeleted(obj))),
    });
    const byJob = (job: Job): void => {
      const ref = controllerOf(job);
      if (ref?.kind === cronJobKind.kind) queue.add(`${job.metadata.namespace ?? ''}/${ref.name}`);
    };
    ctx.informers.informerFor<Job>(resources.jobs).addEventHandler({
      onAdd: byJob,
      onUpdate: (_, job) => byJob(job),
      onDelete: (obj) => byJob(unwrapDeleted(obj)),
    });
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    if (this.queue === undefined) throw new Error('cronjob controller used before register');
    const queue = this.queue;
    await runWorkers({
      queue,
      workers: 5,
      sync: (k) => this.sync(k),
      signal,
      log: ctx.log.with({ controller: this.name }),
    });
  }

  private get c(): ControllerContext {
    if (this.ctx === undefined) throw new Error('cronjob controller used before register');
    return this.ctx;
  }

  /** sync: syncCronJob, cleanupFinishedJobs, the status write and the requeue. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.c.informers.informerFor<CronJob>(resources.cronjobs).lister.get(namespace, name);
    if (cached === undefined) return;
    const cj: CronJob = structuredClone(cached);
    const jobs = this.c.informers
      .informerFor<Job>(resources.jobs)
      .lister.namespace(namespace)
      .list()
      .filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const requeue = await this.syncCronJob(cj, jobs);
    await this.cleanupFinishedJobs(cj, jobs);
    if (JSON.stringify(cj.status ?? {}) !== JSON.stringify(cached.status ?? {})) {
      await this.c.client.resource<CronJob>(resources.cronjobs).updateStatus(cj, { namespace });
    }
    if (requeue !== undefined) this.requeueAfter(key, requeue);
  }

  /** queue.AddAfter on the controller's clock; of several pending wake-ups the earliest wins. */
  private requeueAfter(key: string, ms: number): void {
    const at = this.c.clock.now() + ms;
    const pending = this.timers.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      pending.cancel();
    }
    const cancel = this.c.clock.setTimer(() => {
      this.timers.delete(key);
      this.queue?.add(key);
    }, ms);
    this.timers.set(key, { at, cancel });
  }

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.c.recorder('cronjob-controller').event(referenceTo(cj, cronJobKind), type, reason, message);
  }

  private async syncCronJob(cj: CronJob, jobs: readonly Job[]): Promise<number | undefined> {
    const now = this.c.clock.now();
    const status = (cj.status ??= {});
    const jobClient = this.c.client.resource<Job>(resources.jobs);
    const children = new Set(jobs.map((j) => j.metadata.uid));
    for (const j of jobs) {
      const inActive = status.active?.some((r) => r.uid === j.metadata.uid) ?? false;
      if (!inActive && !isJobFinished(j)) {
        this.event(
          cj,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${j.metadata.name ?? ''}`,
        );
      } else if (inActive && isJobFinished(j)) {
        status.active = status.active?.filter((r) => r.uid !== j.metadata.uid);
        this.event(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata.name ?? ''}, condition: ${finishedCondition(j)?.type ?? ''}`,
        );
      }
      const done = parseTime(j.status?.completionTime);
      if (
        isJobFinished(j) &&
        done !== undefined &&
        done > (parseTime(status.lastSuccessfulTime) ?? -Infinity)
      ) {
        status.lastSuccessfulTime = j.status?.completionTime;
      }
    }
    for (const ref of status.active ?? []) {
      if (children.has(ref.uid)) continue;
      try {
        await jobClient.get(ref.name ?? '', { namespace: ref.namespace });
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
        this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        status.active = status.active?.filter((r) => r.uid !== ref.uid);
      }
    }
    if (status.active?.length === 0) delete status.active;
    if (cj.metadata.deletionTimestamp !== undefined) return undefined;
    const zone = cj.spec.timeZone ?? '';
    if (cj.spec.timeZone != null && !validTimeZone(zone)) {
      this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${zone}": unknown time zone ${zone}`);
      return undefined;
    }
    if (cj.spec.suspend === true) return undefined;
    let schedule: Schedule;
    try {
      schedule = parseSchedule(cj.spec.schedule, zone);
    } catch (e: unknown) {
      this.event(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: "${cj.spec.schedule}" : ${errorText(e)}`,
      );
      return undefined;
    }
    const input: ScheduleInput = {
      createdMs: parseTime(cj.metadata.creationTimestamp) ?? now,
      lastScheduleMs: parseTime(status.lastScheduleTime),
      startingDeadlineSeconds: cj.spec.startingDeadlineSeconds ?? undefined,
    };
    let due: number | undefined;
    try {
      const r = nextScheduleTime(input, now, schedule);
      due = r.time;
      if (r.missed === 'many') {
        this.event(
          cj,
          'Warning',
          'TooManyMissedTimes',
          'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
        );
      }
    } catch (e: unknown) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${errorText(e)}`);
      return undefined;
    }
    const later = (): number | undefined => nextScheduleDelay(input, now, schedule);
    if (due === undefined) return later();
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline != null && due + deadline * 1000 < now) {
      this.event(
        cj,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${new Date(due).toUTCString()}`,
      );
      return later();
    }
    const request = jobForActivation(cj, due);
    if (
      (status.active?.some((r) => r.name === request.metadata.name) ?? false) ||
      parseTime(status.lastScheduleTime) === due
    ) {
      return later();
    }
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      this.event(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return later();
    }
    if (policy === 'Replace') {
      for (const ref of status.active ?? []) await this.deleteJob(cj, ref.name ?? '');
    }
    let created: Job;
    try {
      created = await jobClient.create(request, { namespace: cj.metadata.namespace });
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name ?? ''}`);
    } catch (e: unknown) {
      if (!isAlreadyExists(e)) {
        this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorText(e)}`);
        throw e;
      }
      created = await jobClient.get(request.metadata.name ?? '', { namespace: cj.metadata.namespace });
      if (controllerOf(created)?.uid !== cj.metadata.uid) return undefined;
      if (status.active?.some((r) => r.uid === created.metadata.uid) ?? false) return undefined;
    }
    status.active = [...(status.active ?? []), jobRef(created)];
    status.lastScheduleTime = new Date(due).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return nextScheduleDelay({ ...input, lastScheduleMs: due }, now, schedule);
  }

  /** deleteJob: Background propagation, SuccessfulDelete, and out of the active list. */
  private async deleteJob(cj: CronJob, name: string): Promise<void> {
    try {
      await this.c.client
        .resource<Job>(resources.jobs)
        .delete(name, { namespace: cj.metadata.namespace, propagationPolicy: 'Background' });
    } catch (e: unknown) {
      if (!isNotFound(e)) {
        this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorText(e)}`);
        throw e;
      }
    }
    if (cj.status?.active !== undefined) {
      cj.status.active = cj.status.active.filter((r) => r.name !== name);
      if (cj.status.active.length === 0) delete cj.status.active;
    }
    this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }

  /** cleanupFinishedJobs: the oldest finished Jobs beyond the history limits go. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly Job[]): Promise<void> {
    const limits: [string, number | null | undefined][] = [
      ['Complete', cj.spec.successfulJobsHistoryLimit],
      ['Failed', cj.spec.failedJobsHistoryLimit],
    ];
    for (const [type, limit] of limits) {
      if (limit == null) continue;
      const finished = jobs.filter((j) => finishedCondition(j)?.type === type);
      if (finished.length <= limit) continue;
      const start = (j: Job): number =>
        parseTime(j.status?.startTime) ?? parseTime(j.metadata.creationTimestamp) ?? 0;
      finished.sort((a, b) => start(a) - start(b));
      for (const j of finished.slice(0, finished.length - limit))
        await this.deleteJob(cj, j.metadata.name ?? '');
    }
  }
}
