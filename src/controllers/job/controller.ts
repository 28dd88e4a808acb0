// The Job controller (pkg/controller/job/job_controller.go): runs pods to completion.
//
//   job / pod events ──► job key ──► WorkQueue ──► syncJob(key)        (sync.ts)
//                                                  ├─ claim pods, count newly finished ones
//                                                  ├─ failed? (policy, backoffLimit, deadline)
//                                                  │   └─ delete active pods, FailureTarget → Failed
//                                                  ├─ else manageJob: create (after the failure
//                                                  │   backoff) or delete pods; Suspended condition
//                                                  └─ uncounted UIDs → drop finalizers → counters,
//                                                      SuccessCriteriaMet → Complete   (tracking.ts)
//   orphan pod with the finalizer ──► orphan queue ──► remove the finalizer
import { objectKey, resources, splitKey, WorkQueue } from '../../client/index.ts';
import {
  enqueueOwnHandler,
  controllerOf,
  PodControl,
  runWorkers,
  UidTrackingExpectations,
  unwrapDeleted,
  type Pod,
} from '../framework/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { defaultPodFailureBackoffMs, maxPodFailureBackoffMs } from './backoff.ts';
import { hasTrackingFinalizer, removeTrackingFinalizer } from './pods.ts';
import type { JobControllerOptions, JobState } from './state.ts';
import { syncJob } from './sync.ts';
import { isJobFinished, type Job, jobKind } from './types.ts';

export class JobController implements Controller {
  readonly name = 'job';
  private readonly options: JobControllerOptions;
  private s: JobState | undefined;

  constructor(options: JobControllerOptions = {}) {
    this.options = options;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const recorder = ctx.recorder('job-controller');
    const podClient = ctx.client.resource<Pod>(resources.pods);
    const s: JobState = {
      ctx,
      log,
      jobs: ctx.informers.informerFor<Job>(resources.jobs),
      pods: ctx.informers.informerFor<Pod>(resources.pods),
      jobClient: ctx.client.resource<Job>(resources.jobs),
      podClient,
      queue: new WorkQueue<string>({ name: 'job', clock: ctx.clock, log }),
      orphanQueue: new WorkQueue<string>({ name: 'job_orphan_pod', clock: ctx.clock, log }),
      expectations: new UidTrackingExpectations({ clock: ctx.clock }),
      finalizerExpectations: new Map(),
      backoff: new Map(),
      recorder,
      podControl: new PodControl({ pods: podClient, recorder, log }),
      backoffBaseMs: this.options.podFailureBackoffMs ?? defaultPodFailureBackoffMs,
      backoffMaxMs: this.options.maxPodFailureBackoffMs ?? maxPodFailureBackoffMs,
    };
    this.s = s;
    s.jobs.addEventHandler(enqueueOwnHandler(s.queue, s.expectations));
    s.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(undefined, pod),
      onUpdate: (old, cur) => this.podChanged(old, cur),
      onDelete: (obj) => this.podDeleted(unwrapDeleted(obj)),
    });
  }

  async run(_ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.state();
    await Promise.all([
      runWorkers({
        queue: s.queue,
        workers: this.options.workers ?? 5,
        sync: (k) => syncJob(s, k),
        signal,
        log: s.log,
      }),
      runWorkers({
        queue: s.orphanQueue,
        workers: 1,
        sync: (k) => this.syncOrphanPod(k),
        signal,
        log: s.log,
      }),
    ]);
  }

  private state(): JobState {
    if (this.s === undefined) throw new Error('job controller used before register');
    return this.s;
  }

  /** resolveControllerRef */
  private resolve(pod: Pod): Job | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== jobKind.kind) return undefined;
    const job = this.state().jobs.lister.get(pod.metadata.namespace ?? '', ref.name);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  /** addPod / updatePod */
  private podChanged(old: Pod | undefined, cur: Pod): void {
    const s = this.state();
    if (old !== undefined && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const job = this.resolve(cur);
    if (job === undefined) {
      if (old !== undefined && controllerOf(old)?.uid !== controllerOf(cur)?.uid) {
        const prev = this.resolve(old);
        if (prev !== undefined) s.queue.add(objectKey(prev));
      }
      if (hasTrackingFinalizer(cur)) s.orphanQueue.add(objectKey(cur));
      return;
    }
    const key = objectKey(job);
    if (old === undefined) {
      if (cur.metadata.deletionTimestamp !== undefined)
        s.expectations.podDeletionObserved(key, objectKey(cur));
      else s.expectations.creationObserved(key);
    } else if (cur.metadata.deletionTimestamp !== undefined) {
      s.expectations.podDeletionObserved(key, objectKey(cur));
    }
    if (!hasTrackingFinalizer(cur)) this.finalizerRemovalObserved(key, cur);
    if (isJobFinished(job) && hasTrackingFinalizer(cur)) s.orphanQueue.add(objectKey(cur));
    s.queue.add(key);
  }

  private podDeleted(pod: Pod): void {
    const s = this.state();
    const job = this.resolve(pod);
    if (job === undefined) return;
    const key = objectKey(job);
    s.expectations.podDeletionObserved(key, objectKey(pod));
    this.finalizerRemovalObserved(key, pod);
    s.queue.add(key);
  }

  private finalizerRemovalObserved(key: string, pod: Pod): void {
    const s = this.state();
    const expected = s.finalizerExpectations.get(key);
    if (expected === undefined) return;
    expected.delete(pod.metadata.uid ?? '');
    if (expected.size === 0) s.finalizerExpectations.delete(key);
  }

  /**
   * syncOrphanPod: a pod whose Job is gone (or finished) keeps no tracking finalizer; a live Job
   * removes its pods' finalizers itself.
   */
  private async syncOrphanPod(key: string): Promise<void> {
    const s = this.state();
    const { namespace, name } = splitKey(key);
    const pod = s.pods.lister.get(namespace, name);
    if (pod === undefined || !hasTrackingFinalizer(pod)) return;
    const job = this.resolve(pod);
    if (job !== undefined && !isJobFinished(job)) return;
    await removeTrackingFinalizer(s, pod);
  }
}
