// The StatefulSet controller (pkg/controller/statefulset): pods with stable names, storage and order.
//
//   set / pod events ──► set key ──► WorkQueue ──► sync(key)
//      ├─ claim pods (selector and `<set>-<ordinal>` name) and ControllerRevisions
//      ├─ getStatefulSetRevisions: the update revision (reuse an equal one, or create `<set>-<hash>`)
//      │   and the current one (status.currentRevision)
//      ├─ updateStatefulSet (control.ts): create / delete / roll pods
//      └─ status (completeRollingUpdate), truncateHistory
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import { isNotFound, objectKey, resources, splitKey, WorkQueue } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import {
  ControllerRefManager,
  controllerOf,
  isPodReady,
  type Pod,
  recheckDeletionTimestamp,
  runWorkers,
  unwrapDeleted,
} from '../framework/index.ts';
import {
  ControllerHistory,
  type ControllerRevision,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  revisionsToTruncate,
  sortRevisions,
  templateOfRevision,
  templatePatch,
} from '../history/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { updateStatefulSet } from './control.ts';
import { isMemberOf, podRevision, statefulSetKind } from './identity.ts';
import { StatefulPodControl } from './pod-control.ts';
import type { PersistentVolumeClaim, StatefulSet, StatefulSetStatus } from './types.ts';
import type { ResourceClient, SharedInformer } from '../../client/index.ts';

export interface StatefulSetControllerOptions {
  readonly workers?: number;
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly sets: SharedInformer<StatefulSet>;
  readonly pods: SharedInformer<Pod>;
  readonly setClient: ResourceClient<StatefulSet>;
  readonly podClient: ResourceClient<Pod>;
  readonly queue: WorkQueue<string>;
  readonly history: ControllerHistory;
  readonly podControl: StatefulPodControl;
}

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly workers: number;
  private s: State | undefined;

  constructor(options: StatefulSetControllerOptions = {}) {
    this.workers = options.workers ?? 5;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const recorder = ctx.recorder('statefulset-controller');
    const podClient = ctx.client.resource<Pod>(resources.pods);
    const revisions = ctx.informers.informerFor<ControllerRevision>(resources.controllerrevisions);
    const s: State = {
      ctx,
      log,
      sets: ctx.informers.informerFor<StatefulSet>(resources.statefulsets),
      pods: ctx.informers.informerFor<Pod>(resources.pods),
      setClient: ctx.client.resource<StatefulSet>(resources.statefulsets),
      podClient,
      queue: new WorkQueue<string>({ name: 'statefulset', clock: ctx.clock, log }),
      history: new ControllerHistory({
        client: ctx.client.resource<ControllerRevision>(resources.controllerrevisions),
        informer: revisions,
        kind: statefulSetKind,
        log,
      }),
      podControl: new StatefulPodControl({
        pods: podClient,
        claims: ctx.client.resource<PersistentVolumeClaim>(resources.persistentvolumeclaims),
        claimInformer: ctx.informers.informerFor<PersistentVolumeClaim>(resources.persistentvolumeclaims),
        recorder,
      }),
    };
    this.s = s;
    s.sets.addEventHandler({
      onAdd: (set) => s.queue.add(objectKey(set)),
      onUpdate: (_old, cur) => s.queue.add(objectKey(cur)),
      onDelete: (obj) => s.queue.add(objectKey(unwrapDeleted(obj))),
    });
    s.pods.addEventHandler({
      onAdd: (pod) => this.enqueueFor(pod),
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        const oldRef = controllerOf(old);
        if (oldRef !== undefined && JSON.stringify(oldRef) !== JSON.stringify(controllerOf(cur)))
          this.enqueueFor(old);
        this.enqueueFor(cur);
        const set = this.resolve(cur);
        const minReady = set?.spec.minReadySeconds ?? 0;
        if (set !== undefined && !isPodReady(old) && isPodReady(cur) && minReady > 0)
          s.queue.addAfter(objectKey(set), minReady * 1000 + 1);
      },
      onDelete: (obj) => this.enqueueFor(unwrapDeleted(obj)),
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
    if (this.s === undefined) throw new Error('statefulset controller used before register');
    return this.s;
  }

  private resolve(pod: Pod): StatefulSet | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== statefulSetKind.kind) return undefined;
    const set = this.state().sets.lister.get(pod.metadata.namespace ?? '', ref.name);
    return set?.metadata.uid === ref.uid ? set : undefined;
  }

  /** The owner of a pod, or for an orphan every set whose selector matches it. */
  private enqueueFor(pod: Pod): void {
    const s = this.state();
    if (controllerOf(pod) !== undefined) {
      const set = this.resolve(pod);
      if (set !== undefined) s.queue.add(objectKey(set));
      return;
    }
    const labels = pod.metadata.labels ?? {};
    for (const set of s.sets.lister.namespace(pod.metadata.namespace ?? '').list()) {
      const sel = selectorOf(set);
      if (sel !== undefined && sel.requirements.length > 0 && sel.matches(labels))
        s.queue.add(objectKey(set));
    }
  }

  /** sync: syncStatefulSet with UpdateStatefulSet. */
  async sync(key: string): Promise<void> {
    const s = this.state();
    const { namespace, name } = splitKey(key);
    const set = s.sets.lister.get(namespace, name);
    if (set === undefined) return;
    const selector = selectorOf(set);
    if (selector === undefined) {
      s.log.error('invalid selector', { key });
      return;
    }
    const canAdopt = recheckDeletionTimestamp(() => s.setClient.get(name, { namespace }), set);
    const manager = new ControllerRefManager<Pod>({
      owner: set,
      kind: statefulSetKind,
      selector,
      children: s.podClient,
      canAdopt,
      log: s.log,
    });
    const pods = await manager.claim(s.pods.lister.namespace(namespace).list(), (p) => isMemberOf(set, p));
    const revisions = sortRevisions(await s.history.list(set, selector, canAdopt));
    const collision = { count: set.status?.collisionCount ?? 0 };
    const { current, update } = await this.revisions(set, revisions, collision);
    const now = s.ctx.clock.now();
    const counts = await updateStatefulSet({
      set,
      pods,
      rev: {
        currentRevision: current.metadata.name ?? '',
        updateRevision: update.metadata.name ?? '',
        currentTemplate: templateOfRevision(current) ?? set.spec.template,
        updateTemplate: templateOfRevision(update) ?? set.spec.template,
      },
      ops: s.podControl,
      nowMs: now,
    });
    const status: StatefulSetStatus = {
      ...set.status,
      ...counts,
      observedGeneration: set.metadata.generation ?? 0,
      currentRevision: current.metadata.name ?? '',
      updateRevision: update.metadata.name ?? '',
      collisionCount: collision.count,
    };
    // completeRollingUpdate
    if (
      set.spec.updateStrategy?.type === 'RollingUpdate' &&
      status.updatedReplicas === status.replicas &&
      status.readyReplicas === status.replicas
    ) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    await this.writeStatus(set, status);
    // Requeue once ready pods have been ready for minReadySeconds.
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && counts.readyReplicas !== counts.availableReplicas)
      s.queue.addAfter(key, minReady * 1000);
    // truncateHistory: keep revisions in use, plus revisionHistoryLimit others.
    const live = new Set([current.metadata.name ?? '', update.metadata.name ?? '', ...pods.map(podRevision)]);
    for (const rev of revisionsToTruncate(revisions, live, set.spec.revisionHistoryLimit ?? 10)) {
      await s.history.delete(rev);
    }
  }

  /** getStatefulSetRevisions */
  private async revisions(
    set: StatefulSet,
    sorted: ControllerRevision[],
    collision: { count: number },
  ): Promise<{ current: ControllerRevision; update: ControllerRevision }> {
    const s = this.state();
    const next = sorted.length === 0 ? 1 : sorted[sorted.length - 1]!.revision + 1;
    const candidate = newControllerRevision({
      parent: set,
      kind: statefulSetKind,
      templateLabels: set.spec.template?.metadata?.labels,
      data: templatePatch(set.spec.template),
      revision: next,
      collisionCount: collision.count,
    });
    if (set.metadata.annotations !== undefined)
      candidate.metadata.annotations = { ...set.metadata.annotations };
    const equal = findEqualRevisions(sorted, candidate);
    const last = equal[equal.length - 1];
    let update: ControllerRevision;
    if (last !== undefined && equalRevision(sorted[sorted.length - 1], last)) update = last;
    else if (last !== undefined) update = await s.history.updateRevision(last, next);
    else update = await s.history.create(set, candidate, collision);
    const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update };
  }

  /** updateStatefulSetStatus: only when it changed; one retry on a fresh copy. */
  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    const s = this.state();
    const keys = Object.keys(status) as (keyof StatefulSetStatus)[];
    if (keys.every((k) => JSON.stringify(set.status?.[k]) === JSON.stringify(status[k]))) return;
    let current = set;
    for (let attempt = 0; ; attempt++) {
      try {
        await s.setClient.updateStatus({ ...structuredClone(current), status });
        return;
      } catch (e: unknown) {
        if (attempt >= 1 || isNotFound(e)) throw e;
        current = await s.setClient.get(set.metadata.name ?? '', { namespace: set.metadata.namespace });
      }
    }
  }
}

function selectorOf(set: StatefulSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(set.spec.selector);
  } catch {
    return undefined;
  }
}
