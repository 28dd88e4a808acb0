// The DaemonSet controller (pkg/controller/daemon): one daemon pod per node that should run one.
//
//   ds / pod / node / revision events ──► ds key ──► WorkQueue ──► sync(key)
//      ├─ constructHistory: the ControllerRevision of the current template (hash → pod label)
//      ├─ manage: create on nodes missing a pod (node-name affinity), delete misplaced or failed pods
//      ├─ RollingUpdate within maxUnavailable / maxSurge (OnDelete: nothing)
//      └─ cleanupHistory, status
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import { ControllerExpectations, objectKey, resources, splitKey, WorkQueue } from '../../client/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import {
  enqueueOwnHandler,
  controllerOf,
  isPodReady,
  type Pod,
  PodControl,
  referenceTo,
  runWorkers,
  unwrapDeleted,
} from '../framework/index.ts';
import { ControllerHistory, type ControllerRevision } from '../history/index.ts';
import { daemonSetKind, type DaemonSetState } from './state.ts';
import { syncDaemonSet } from './sync.ts';
import type { DaemonSet, Node } from './types.ts';

export interface DaemonSetControllerOptions {
  readonly workers?: number;
  readonly burstReplicas?: number;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly workers: number;
  private readonly burst: number;
  private s: DaemonSetState | undefined;

  constructor(options: DaemonSetControllerOptions = {}) {
    this.workers = options.workers ?? 2;
    this.burst = options.burstReplicas ?? 250;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const recorder = ctx.recorder('daemonset-controller');
    const podClient = ctx.client.resource<Pod>(resources.pods);
    const revisionClient = ctx.client.resource<ControllerRevision>(resources.controllerrevisions);
    const revisions = ctx.informers.informerFor<ControllerRevision>(resources.controllerrevisions);
    const s: DaemonSetState = {
      ctx,
      log,
      sets: ctx.informers.informerFor<DaemonSet>(resources.daemonsets),
      pods: ctx.informers.informerFor<Pod>(resources.pods),
      nodes: ctx.informers.informerFor<Node>(resources.nodes),
      revisions,
      setClient: ctx.client.resource<DaemonSet>(resources.daemonsets),
      podClient,
      revisionClient,
      queue: new WorkQueue<string>({ name: 'daemonset', clock: ctx.clock, log }),
      expectations: new ControllerExpectations({ clock: ctx.clock }),
      recorder,
      podControl: new PodControl({ pods: podClient, recorder, log }),
      history: new ControllerHistory({
        client: revisionClient,
        informer: revisions,
        kind: daemonSetKind,
        log,
      }),
      burst: this.burst,
    };
    this.s = s;
    s.sets.addEventHandler(enqueueOwnHandler(s.queue, s.expectations));
    s.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(unwrapDeleted(obj)),
    });
    s.nodes.addEventHandler({
      onAdd: () => this.enqueueAll(),
      onUpdate: (old, cur) => {
        if (!nodeUpdateIgnorable(old, cur)) this.enqueueAll();
      },
      onDelete: () => this.enqueueAll(),
    });
    const onRevision = (rev: ControllerRevision): void => {
      const ds = this.resolve(rev);
      if (ds !== undefined) s.queue.add(objectKey(ds));
    };
    revisions.addEventHandler({
      onAdd: onRevision,
      onUpdate: (_old, cur) => onRevision(cur),
      onDelete: (obj) => onRevision(unwrapDeleted(obj)),
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

  private state(): DaemonSetState {
    if (this.s === undefined) throw new Error('daemonset controller used before register');
    return this.s;
  }

  private enqueueAll(): void {
    const s = this.state();
    for (const ds of s.sets.lister.list()) s.queue.add(objectKey(ds));
  }

  /** resolveControllerRef */
  private resolve(obj: Pod | ControllerRevision): DaemonSet | undefined {
    const ref = controllerOf(obj);
    if (ref === undefined || ref.kind !== daemonSetKind.kind) return undefined;
    const ds = this.state().sets.lister.get(obj.metadata.namespace ?? '', ref.name);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  /** getDaemonSetsForPod: the sets in the pod's namespace whose selector matches it. */
  private setsMatching(pod: Pod): DaemonSet[] {
    const labels = pod.metadata.labels;
    if (labels === undefined) return [];
    return this.state()
      .sets.lister.namespace(pod.metadata.namespace ?? '')
      .list()
      .filter((ds) => {
        const sel = selectorOf(ds);
        return sel !== undefined && sel.requirements.length > 0 && sel.matches(labels);
      });
  }

  private addPod(pod: Pod): void {
    const s = this.state();
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.deletePod(pod);
      return;
    }
    if (controllerOf(pod) !== undefined) {
      const ds = this.resolve(pod);
      if (ds === undefined) return;
      s.expectations.creationObserved(objectKey(ds));
      s.queue.add(objectKey(ds));
      return;
    }
    for (const ds of this.setsMatching(pod)) s.queue.add(objectKey(ds));
  }

  private updatePod(old: Pod, cur: Pod): void {
    const s = this.state();
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp !== undefined) {
      this.deletePod(cur);
      return;
    }
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    if (JSON.stringify(oldRef) !== JSON.stringify(curRef) && oldRef !== undefined) {
      const ds = this.resolve(old);
      if (ds !== undefined) s.queue.add(objectKey(ds));
    }
    if (curRef !== undefined) {
      const ds = this.resolve(cur);
      if (ds === undefined) return;
      s.queue.add(objectKey(ds));
      const minReady = ds.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0)
        s.queue.addAfter(objectKey(ds), minReady * 1000 + 1);
      return;
    }
    if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {})) {
      for (const ds of this.setsMatching(cur)) s.queue.add(objectKey(ds));
    }
  }

  private deletePod(pod: Pod): void {
    const s = this.state();
    const ds = this.resolve(pod);
    if (ds === undefined) return;
    s.expectations.deletionObserved(objectKey(ds));
    s.queue.add(objectKey(ds));
  }

  /** syncDaemonSet */
  async sync(key: string): Promise<void> {
    const s = this.state();
    const { namespace, name } = splitKey(key);
    const ds = s.sets.lister.get(namespace, name);
    if (ds === undefined) {
      s.expectations.deleteExpectations(key);
      return;
    }
    const selector = selectorOf(ds);
    if (selector === undefined) {
      s.log.error('invalid selector', { key });
      return;
    }
    if (selector.requirements.length === 0) {
      s.recorder.event(
        referenceTo(ds, daemonSetKind),
        'Warning',
        'SelectingAll',
        'This daemon set is selecting all pods. A non-empty selector is required.',
      );
      return;
    }
    await syncDaemonSet(s, key, selector, ds);
  }
}

function selectorOf(ds: DaemonSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(ds.spec.selector);
  } catch {
    return undefined;
  }
}

/** shouldIgnoreNodeUpdate: only labels, spec (taints, unschedulable) and condition statuses matter. */
function nodeUpdateIgnorable(old: Node, cur: Node): boolean {
  const conditions = (n: Node): string =>
    JSON.stringify((n.status?.conditions ?? []).map((c) => [c.type, c.status]).sort());
  return (
    JSON.stringify(old.metadata.labels ?? {}) === JSON.stringify(cur.metadata.labels ?? {}) &&
    JSON.stringify(old.spec ?? {}) === JSON.stringify(cur.spec ?? {}) &&
    conditions(old) === conditions(cur)
  );
}
