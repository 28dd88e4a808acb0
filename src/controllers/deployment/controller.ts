// The Deployment controller (pkg/controller/deployment/deployment_controller.go): one ReplicaSet per
// pod template, rolled out by strategy.
//
//   deployment / replicaset / pod events ──► key ──► WorkQueue ──► syncDeployment(key)
//     claim ReplicaSets (adopt/release) ─► paused? scale only ─► scaling event? scale (proportional)
//     ─► RollingUpdate | Recreate ─► status + Progressing/Available conditions (requeue for deadline)
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import {
  type ResourceClient,
  resources,
  type SharedInformer,
  splitKey,
  WorkQueue,
  objectKey,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Controller, ControllerContext } from '../types.ts';
import {
  withControllerIndex,
  controllerUidIndex,
  claimCandidates,
  ControllerRefManager,
  controllerOf,
  type Deployment,
  type Pod,
  recheckDeletionTimestamp,
  type ReplicaSet,
  runWorkers,
  unwrapDeleted,
} from '../framework/index.ts';
import { deploymentKind, recordEvent, type SyncEnv, updateDeploymentStatus } from './env.ts';
import { rolloutRecreate, rolloutRolling } from './rollout.ts';
import {
  checkPausedConditions,
  isScalingEvent,
  newAndOldReplicaSets,
  syncDeploymentStatus,
  syncScaleOnly,
} from './sync.ts';

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly deployments: SharedInformer<Deployment>;
  readonly replicaSets: SharedInformer<ReplicaSet>;
  readonly pods: SharedInformer<Pod>;
  readonly dClient: ResourceClient<Deployment>;
  readonly rsClient: ResourceClient<ReplicaSet>;
  readonly queue: WorkQueue<string>;
  readonly env: SyncEnv;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly workers: number;
  private s: State | undefined;

  constructor(options: { workers?: number } = {}) {
    this.workers = options.workers ?? 5;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const queue = new WorkQueue<string>({ name: this.name, clock: ctx.clock, log });
    const deployments = ctx.informers.informerFor<Deployment>(resources.deployments);
    const replicaSets = withControllerIndex(ctx.informers.informerFor<ReplicaSet>(resources.replicasets));
    const dClient = ctx.client.resource<Deployment>(resources.deployments);
    const rsClient = ctx.client.resource<ReplicaSet>(resources.replicasets);
    const env: SyncEnv = {
      deployments: dClient,
      replicaSets: rsClient,
      rsLister: replicaSets.lister,
      recorder: ctx.recorder('deployment-controller'),
      log,
      now: () => ctx.clock.now(),
      enqueueAfter: (d, ms) => queue.addAfter(objectKey(d), ms),
      enqueueRateLimited: (d) => queue.addRateLimited(objectKey(d)),
    };
    const s: State = {
      ctx,
      log,
      deployments,
      replicaSets,
      pods: withControllerIndex(ctx.informers.informerFor<Pod>(resources.pods)),
      dClient,
      rsClient,
      queue,
      env,
    };
    this.s = s;
    deployments.addEventHandler({
      onAdd: (d) => queue.add(objectKey(d)),
      onUpdate: (_, d) => queue.add(objectKey(d)),
      onDelete: (obj) => queue.add(objectKey(unwrapDeleted(obj))),
    });
    replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(undefined, rs),
      onUpdate: (old, cur) => this.replicaSetChanged(old, cur),
      onDelete: (obj) => this.enqueueOwner(unwrapDeleted(obj)),
    });
    // Recreate waits for the old pods to be gone: a pod delete may unblock it.
    s.pods.addEventHandler({ onDelete: (obj) => this.podDeleted(unwrapDeleted(obj)) });
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
    if (this.s === undefined) throw new Error('deployment controller used before register');
    return this.s;
  }

  /** resolveControllerRef for a ReplicaSet. */
  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerOf(rs);
    if (ref === undefined || ref.kind !== deploymentKind.kind) return undefined;
    const d = this.state().deployments.lister.get(rs.metadata.namespace ?? '', ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(rs: ReplicaSet): void {
    const d = this.ownerOf(rs);
    if (d !== undefined) this.state().queue.add(objectKey(d));
  }

  /** addReplicaSet / updateReplicaSet: wake the owner, or every deployment that could adopt an orphan. */
  private replicaSetChanged(old: ReplicaSet | undefined, cur: ReplicaSet): void {
    const s = this.state();
    if (old !== undefined && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (old !== undefined && JSON.stringify(controllerOf(old)) !== JSON.stringify(controllerOf(cur)))
      this.enqueueOwner(old);
    if (controllerOf(cur) !== undefined) {
      this.enqueueOwner(cur);
      return;
    }
    const labelsChanged =
      old === undefined ||
      JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (!labelsChanged && old !== undefined && controllerOf(old) === undefined) return;
    for (const d of s.deployments.lister.namespace(cur.metadata.namespace ?? '').list()) {
      const sel = selectorOf(d);
      if (sel !== undefined && sel.requirements.length > 0 && sel.matches(cur.metadata.labels))
        s.queue.add(objectKey(d));
    }
  }

  private podDeleted(pod: Pod): void {
    const s = this.state();
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return;
    const rs = s.replicaSets.lister.get(pod.metadata.namespace ?? '', ref.name);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    const d = this.ownerOf(rs);
    if (d !== undefined && d.spec.strategy?.type === 'Recreate') s.queue.add(objectKey(d));
  }

  /** getReplicaSetsForDeployment: claim the sets the selector matches. */
  private async claimReplicaSets(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const s = this.state();
    const manager = new ControllerRefManager<ReplicaSet>({
      owner: d,
      kind: deploymentKind,
      selector,
      children: s.rsClient,
      canAdopt: recheckDeletionTimestamp(
        () => s.dClient.get(d.metadata.name ?? '', { namespace: d.metadata.namespace }),
        d,
      ),
      log: s.log,
    });
    return manager.claim(claimCandidates(s.replicaSets, d));
  }

  /** getPodMapForDeployment: the deployment's pods by the UID of the set that owns them. */
  private podsBySet(d: Deployment, selector: Selector, rss: readonly ReplicaSet[]): Map<string, Pod[]> {
    const pods = this.state().pods.indexer;
    return new Map(
      rss.map((rs) => {
        const uid = rs.metadata.uid ?? '';
        const owned = pods
          .byIndex(controllerUidIndex, uid)
          .filter((p) => selector.matches(p.metadata.labels));
        return [uid, owned];
      }),
    );
  }

  /** syncDeployment */
  async sync(key: string): Promise<void> {
    const s = this.state();
    const { namespace, name } = splitKey(key);
    const cached = s.deployments.lister.get(namespace, name);
    if (cached === undefined) return;
    // Never change the cache's object.
    const d = structuredClone(cached);
    const env = s.env;
    const sel = d.spec.selector;
    if (
      sel !== undefined &&
      sel !== null &&
      Object.keys(sel.matchLabels ?? {}).length === 0 &&
      (sel.matchExpressions ?? []).length === 0
    ) {
      recordEvent(
        env,
        d,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation ?? 0 };
        await updateDeploymentStatus(env, d);
      }
      return;
    }
    const selector = selectorOf(d);
    if (selector === undefined) {
      s.log.error('invalid selector', { key });
      return;
    }
    const rss = await this.claimReplicaSets(d, selector);
    const podsBySet = this.podsBySet(d, selector, rss);
    if (d.metadata.deletionTimestamp !== undefined) {
      const { newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, false);
      await syncDeploymentStatus(env, newRS === undefined ? oldRSs : [...oldRSs, newRS], newRS, d);
      return;
    }
    await checkPausedConditions(env, d);
    if (d.spec.paused === true) return syncScaleOnly(env, d, rss);
    if (await isScalingEvent(env, d, rss)) return syncScaleOnly(env, d, rss);
    if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(env, d, rss, podsBySet);
    return rolloutRolling(env, d, rss);
  }
}

function selectorOf(d: Deployment): Selector | undefined {
  try {
    return labelSelectorAsSelector(d.spec.selector);
  } catch {
    return undefined;
  }
}
