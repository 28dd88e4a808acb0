// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go), which also runs
// ReplicationControllers through the same code (pkg/controller/replication): keep `spec.replicas`
// active pods matching the selector, adopting orphans and releasing pods that stop matching.
//
//   pod / set events ──► key ──► WorkQueue ──► sync(key)
//                                               ├─ claim pods (adopt / release)
//                                               ├─ expectations satisfied? → create in slow-start
//                                               │   batches or delete the ActivePods-first pods
//                                               └─ write status (+ requeue for minReadySeconds)
import { type LabelSelector, labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import {
  type EventRecorder,
  isNotFound,
  objectKey,
  type ResourceClient,
  resources,
  type ResourceDescriptor,
  type SharedInformer,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Controller, ControllerContext } from '../types.ts';
import {
  withControllerIndex,
  claimCandidates,
  enqueueOwnHandler,
  type ControllerKind,
  ControllerRefManager,
  controllerOf,
  filterActivePods,
  isPodReady,
  newControllerRef,
  type Pod,
  PodControl,
  podsToDelete,
  recheckDeletionTimestamp,
  type ReplicaSet,
  runWorkers,
  slowStartBatch,
  slowStartInitialBatchSize,
  UidTrackingExpectations,
  unwrapDeleted,
} from '../framework/index.ts';
import { calculateStatus, nextAvailableCheck, statusUpToDate } from './status.ts';

/** BurstReplicas: at most this many creates or deletes per sync. */
export const burstReplicas = 500;

/** What differs between ReplicaSets and ReplicationControllers. */
export interface SetKind {
  readonly name: string;
  readonly component: string;
  readonly resource: ResourceDescriptor;
  readonly kind: ControllerKind;
  /** The selector as a LabelSelector (an RC's is a plain map). */
  readonly selectorOf: (set: ReplicaSet) => LabelSelector | null | undefined;
}

export const replicaSetKind: SetKind = {
  name: 'replicaset',
  component: 'replicaset-controller',
  resource: resources.replicasets,
  kind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  selectorOf: (rs) => rs.spec.selector,
};

export const replicationControllerKind: SetKind = {
  name: 'replicationcontroller',
  component: 'replication-controller',
  resource: resources.replicationcontrollers,
  kind: { apiVersion: 'v1', kind: 'ReplicationController' },
  selectorOf: (rc) => {
    const s = rc.spec.selector as unknown as Record<string, string> | null | undefined;
    return s === null || s === undefined ? s : { matchLabels: s };
  },
};

export interface ReplicaSetControllerOptions {
  readonly set?: SetKind;
  readonly workers?: number;
  readonly burstReplicas?: number;
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly sets: SharedInformer<ReplicaSet>;
  readonly pods: SharedInformer<Pod>;
  readonly setClient: ResourceClient<ReplicaSet>;
  readonly podClient: ResourceClient<Pod>;
  readonly queue: WorkQueue<string>;
  readonly expectations: UidTrackingExpectations;
  readonly recorder: EventRecorder;
  readonly podControl: PodControl;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly set: SetKind;
  private readonly workers: number;
  private readonly burst: number;
  private s: State | undefined;

  constructor(options: ReplicaSetControllerOptions = {}) {
    this.set = options.set ?? replicaSetKind;
    this.name = this.set.name;
    this.workers = options.workers ?? 5;
    this.burst = options.burstReplicas ?? burstReplicas;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const recorder = ctx.recorder(this.set.component);
    const podClient = ctx.client.resource<Pod>(resources.pods);
    const s: State = {
      ctx,
      log,
      sets: ctx.informers.informerFor<ReplicaSet>(this.set.resource),
      pods: withControllerIndex(ctx.informers.informerFor<Pod>(resources.pods)),
      setClient: ctx.client.resource<ReplicaSet>(this.set.resource),
      podClient,
      queue: new WorkQueue<string>({ name: this.name, clock: ctx.clock, log }),
      expectations: new UidTrackingExpectations({ clock: ctx.clock }),
      recorder,
      podControl: new PodControl({ pods: podClient, recorder, log }),
    };
    this.s = s;
    s.sets.addEventHandler(enqueueOwnHandler(s.queue, s.expectations));
    s.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(unwrapDeleted(obj)),
    });
  }

  async run(_ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.state();
    await runWorkers({
      queue: s.queue,
      workers: this.workers,
      sync: (k) => this.sync(k),
      signal,
      log: s.log,
    });
  }

  private state(): State {
    if (this.s === undefined) throw new Error(`${this.name} controller used before register`);
    return this.s;
  }

  /** resolveControllerRef: the set a controller reference points at, if it is ours and still there. */
  private resolve(namespace: string | undefined, pod: Pod): ReplicaSet | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== this.set.kind.kind) return undefined;
    const rs = this.state().sets.lister.get(namespace ?? '', ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** GetPodReplicaSets: sets in the pod's namespace whose (non-empty) selector matches it. */
  private setsMatching(pod: Pod): ReplicaSet[] {
    const labels = pod.metadata.labels;
    if (labels === undefined) return [];
    return this.state()
      .sets.lister.namespace(pod.metadata.namespace ?? '')
      .list()
      .filter((rs) => {
        const sel = this.selector(rs);
        return sel !== undefined && sel.requirements.length > 0 && sel.matches(labels);
      });
  }

  private selector(rs: ReplicaSet): Selector | undefined {
    try {
      return labelSelectorAsSelector(this.set.selectorOf(rs));
    } catch {
      return undefined;
    }
  }

  private addPod(pod: Pod): void {
    const s = this.state();
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Seen for the first time already being deleted (e.g. after a relist).
      this.deletePod(pod);
      return;
    }
    if (controllerOf(pod) !== undefined) {
      const rs = this.resolve(pod.metadata.namespace, pod);
      if (rs === undefined) return;
      const key = objectKey(rs);
      s.expectations.creationObserved(key);
      s.queue.add(key);
      return;
    }
    // An orphan: wake every set that might adopt it.
    for (const rs of this.setsMatching(pod)) s.queue.add(objectKey(rs));
  }

  private updatePod(old: Pod, cur: Pod): void {
    const s = this.state();
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged =
      JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp !== undefined) {
      // Graceful deletion: count the delete now rather than after the grace period.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef !== undefined) {
      const rs = this.resolve(old.metadata.namespace, old);
      if (rs !== undefined) s.queue.add(objectKey(rs));
    }
    if (curRef !== undefined) {
      const rs = this.resolve(cur.metadata.namespace, cur);
      if (rs === undefined) return;
      const key = objectKey(rs);
      s.queue.add(key);
      // Became ready: look again once it has been ready for minReadySeconds.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) s.queue.addAfter(key, minReady * 1000 + 1);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.setsMatching(cur)) s.queue.add(objectKey(rs));
  }

  private deletePod(pod: Pod): void {
    const s = this.state();
    const rs = this.resolve(pod.metadata.namespace, pod);
    if (rs === undefined) return;
    const key = objectKey(rs);
    s.expectations.podDeletionObserved(key, objectKey(pod));
    s.queue.add(key);
  }

  /** syncReplicaSet */
  async sync(key: string): Promise<void> {
    const s = this.state();
    const { namespace, name } = splitKey(key);
    const rs = s.sets.lister.get(namespace, name);
    if (rs === undefined) {
      s.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = s.expectations.satisfiedExpectations(key);
    const selector = this.selector(rs);
    if (selector === undefined) {
      s.log.error('invalid selector', { key });
      return;
    }
    const all = claimCandidates(s.pods, rs);
    const claimed = await this.claimPods(rs, selector, filterActivePods(all));
    let manageError: unknown;
    if (needsSync && rs.metadata.deletionTimestamp === undefined) {
      try {
        await this.manageReplicas(key, claimed, rs);
      } catch (e: unknown) {
        manageError = e;
      }
    }
    const now = s.ctx.clock.now();
    const status = calculateStatus(rs, claimed, manageError, now);
    const updated = await this.updateStatus(rs, status);
    // Look again when the next ready pod has been ready for minReadySeconds.
    const minReady = updated.spec.minReadySeconds ?? 0;
    if (manageError === undefined && minReady > 0) {
      const after = nextAvailableCheck(claimed, minReady, now);
      if (after !== undefined) s.queue.addAfter(key, after);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async claimPods(rs: ReplicaSet, selector: Selector, pods: Pod[]): Promise<Pod[]> {
    const s = this.state();
    const manager = new ControllerRefManager<Pod>({
      owner: rs,
      kind: this.set.kind,
      selector,
      children: s.podClient,
      canAdopt: recheckDeletionTimestamp(
        () => s.setClient.get(rs.metadata.name ?? '', { namespace: rs.metadata.namespace }),
        rs,
      ),
      log: s.log,
    });
    return manager.claim(pods);
  }

  /** manageReplicas */
  private async manageReplicas(key: string, pods: Pod[], rs: ReplicaSet): Promise<void> {
    const s = this.state();
    const namespace = rs.metadata.namespace ?? '';
    let diff = pods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      diff = Math.min(-diff, this.burst);
      // Expect the creates before making them: the informer may see them before we return.
      s.expectations.expectCreations(key, diff);
      s.log.info('too few replicas', { key, need: rs.spec.replicas ?? 1, creating: diff });
      const template = rs.spec.template ?? {};
      const ref = newControllerRef(rs, this.set.kind);
      const { successes, error } = await slowStartBatch(diff, slowStartInitialBatchSize, async () => {
        await s.podControl.createPod(namespace, template, rs, ref);
      });
      // Creates never attempted (or failed) will never be observed.
      for (let i = successes; i < diff; i++) s.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burst);
      s.log.info('too many replicas', { key, need: rs.spec.replicas ?? 1, deleting: diff });
      const victims = podsToDelete(pods, pods, diff, s.ctx.clock.now());
      s.expectations.expectDeletionsOf(key, victims.map(objectKey));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await s.podControl.deletePod(namespace, pod.metadata.name ?? '', rs, this.set.kind);
          } catch (e: unknown) {
            // This delete will never be observed.
            s.expectations.podDeletionObserved(key, objectKey(pod));
            if (!isNotFound(e)) throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  }

  /** updateReplicaSetStatus: one retry on a fresh copy, as upstream's statusUpdateRetries = 1. */
  private async updateStatus(rs: ReplicaSet, status: ReplicaSet['status']): Promise<ReplicaSet> {
    const s = this.state();
    if (status !== undefined && statusUpToDate(rs, status)) return rs;
    const next = { ...status, observedGeneration: rs.metadata.generation ?? 0 };
    let current: ReplicaSet = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await s.setClient.updateStatus({ ...structuredClone(current), status: next });
      } catch (e: unknown) {
        if (attempt >= 1 || isNotFound(e)) throw e;
        current = await s.setClient.get(rs.metadata.name ?? '', { namespace: rs.metadata.namespace });
      }
    }
  }
}
