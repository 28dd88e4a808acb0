// The disruption controller (pkg/controller/disruption/disruption.go): keeps each
// PodDisruptionBudget's status (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed,
// disruptedPods and the DisruptionAllowed condition) so that the API server's pods/eviction can spend
// disruptionsAllowed.
//
//   pod events ─► every PDB in the namespace selecting it ─┐
//   PDB events ────────────────────────────────────────────┴► WorkQueue ─► sync(key)
//      pods by selector ─► expected count (controllers' scale) ─► disrupted map ─► status
import { labelSelectorAsSelector } from '../../api/labels.ts';
import { type KubeObject, nowTimestamp } from '../../api/meta.ts';
import {
  isNotFound,
  type ResourceClient,
  resources,
  type SharedInformer,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Controller, ControllerContext } from '../types.ts';
import {
  controllerOf,
  type Deployment,
  getCondition,
  keyOf,
  type Pod,
  type ReplicaSet,
  runWorkers,
  setCondition,
  unwrapDeleted,
} from '../framework/index.ts';
import {
  countHealthy,
  disruptedPodMap,
  disruptionsAllowed,
  expectedPodCount,
  type PDBStatus,
  type PodDisruptionBudget,
} from './budget.ts';

export interface DisruptionControllerOptions {
  readonly workers?: number;
}

interface Scaled extends KubeObject {
  spec?: { replicas?: number };
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly pdbs: SharedInformer<PodDisruptionBudget>;
  readonly pods: SharedInformer<Pod>;
  readonly replicaSets: SharedInformer<ReplicaSet>;
  readonly deployments: SharedInformer<Deployment>;
  readonly statefulSets: SharedInformer<Scaled>;
  readonly rcs: SharedInformer<Scaled>;
  readonly client: ResourceClient<PodDisruptionBudget>;
  readonly queue: WorkQueue<string>;
}

const selectorOf = (pdb: PodDisruptionBudget) => labelSelectorAsSelector(pdb.spec?.selector);

export class DisruptionController implements Controller {
  readonly name = 'disruption';
  private readonly workers: number;
  private s: State | undefined;

  constructor(options: DisruptionControllerOptions = {}) {
    this.workers = options.workers ?? 2;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const s: State = {
      ctx,
      log,
      pdbs: ctx.informers.informerFor<PodDisruptionBudget>(resources.poddisruptionbudgets),
      pods: ctx.informers.informerFor<Pod>(resources.pods),
      replicaSets: ctx.informers.informerFor<ReplicaSet>(resources.replicasets),
      deployments: ctx.informers.informerFor<Deployment>(resources.deployments),
      statefulSets: ctx.informers.informerFor<Scaled>(resources.statefulsets),
      rcs: ctx.informers.informerFor<Scaled>(resources.replicationcontrollers),
      client: ctx.client.resource<PodDisruptionBudget>(resources.poddisruptionbudgets),
      queue: new WorkQueue<string>({ name: this.name, clock: ctx.clock, log }),
    };
    this.s = s;
    s.pdbs.addEventHandler({
      onAdd: (p) => s.queue.add(keyOf(p)),
      onUpdate: (_, p) => s.queue.add(keyOf(p)),
      onDelete: (p) => s.queue.add(keyOf(unwrapDeleted(p))),
    });
    const enqueueFor = (pod: Pod): void => {
      for (const pdb of s.pdbs.lister.namespace(pod.metadata.namespace ?? '').list()) {
        try {
          if (selectorOf(pdb).matches(pod.metadata.labels)) s.queue.add(keyOf(pdb));
        } catch {
          s.queue.add(keyOf(pdb)); // a bad selector: the sync reports it.
        }
      }
    };
    s.pods.addEventHandler({
      onAdd: enqueueFor,
      onUpdate: (old, pod) => {
        enqueueFor(pod);
        if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) enqueueFor(old);
      },
      onDelete: (p) => enqueueFor(unwrapDeleted(p)),
    });
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.s;
    if (s === undefined) throw new Error('disruption: run before register');
    await runWorkers({
      queue: s.queue,
      workers: this.workers,
      sync: (k) => this.sync(k),
      signal,
      log: s.log,
    });
  }

  /** getExpectedScale: the sum of the replicas of every distinct controller of the pods. */
  private expectedScale(s: State, pods: readonly Pod[]): number {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ns = pod.metadata.namespace ?? '';
      const ref = controllerOf(pod);
      let found: Scaled | undefined;
      if (ref?.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
        const rs = s.replicaSets.lister.get(ns, ref.name);
        if (rs !== undefined && rs.metadata.uid === ref.uid) {
          const dref = controllerOf(rs);
          const d = dref?.kind === 'Deployment' ? s.deployments.lister.get(ns, dref.name) : undefined;
          found = d !== undefined && d.metadata.uid === dref?.uid ? d : rs;
        }
      } else if (ref?.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
        found = s.statefulSets.lister.get(ns, ref.name);
      } else if (ref?.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
        found = s.rcs.lister.get(ns, ref.name);
      }
      if (found === undefined) {
        throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
      }
      seen.set(
        found.metadata.uid ?? `${found.kind ?? ''}/${found.metadata.name ?? ''}`,
        found.spec?.replicas ?? 1,
      );
    }
    let total = 0;
    for (const n of seen.values()) total += n;
    return total;
  }

  private async sync(key: string): Promise<void> {
    const s = this.s;
    if (s === undefined) return;
    const { namespace, name } = splitKey(key);
    const pdb = s.pdbs.lister.get(namespace, name);
    if (pdb === undefined) return;
    const now = s.ctx.clock.now();
    const status: PDBStatus = structuredClone(pdb.status ?? {});
    let recheckAtMs: number | undefined;
    try {
      const selector = selectorOf(pdb);
      const pods = s.pods.lister
        .namespace(namespace)
        .list()
        .filter((p) => selector.matches(p.metadata.labels));
      const expected = expectedPodCount(pdb, pods.length, () => this.expectedScale(s, pods));
      const disrupted = disruptedPodMap(pods, pdb.status?.disruptedPods, now);
      recheckAtMs = disrupted.recheckAtMs;
      const currentHealthy = countHealthy(pods, disrupted.map);
      const allowed = disruptionsAllowed(expected, currentHealthy);
      status.currentHealthy = currentHealthy;
      status.desiredHealthy = expected.desiredHealthy;
      status.expectedPods = expected.expectedCount;
      status.disruptionsAllowed = allowed;
      status.disruptedPods = disrupted.map;
      setCondition(status, {
        type: 'DisruptionAllowed',
        status: allowed > 0 ? 'True' : 'False',
        reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: '',
        lastTransitionTime: nowTimestamp(new Date(now)),
      });
    } catch (e: unknown) {
      // failSafe: no disruptions while the budget cannot be computed.
      s.log.warn('failed to compute the budget', { key, error: String(e) });
      status.disruptionsAllowed = 0;
      setCondition(status, {
        type: 'DisruptionAllowed',
        status: 'False',
        reason: 'SyncFailed',
        message: e instanceof Error ? e.message : String(e),
        lastTransitionTime: nowTimestamp(new Date(now)),
      });
    }
    status.observedGeneration = pdb.metadata.generation ?? status.observedGeneration;
    if (recheckAtMs !== undefined) s.queue.addAfter(key, Math.max(0, recheckAtMs - now) + 1);
    if (JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return;
    const next = structuredClone(pdb);
    next.status = status;
    try {
      await s.client.updateStatus(next, { namespace });
    } catch (e: unknown) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

/** The DisruptionAllowed condition of a budget (for tests and printers). */
export const disruptionAllowedCondition = (pdb: PodDisruptionBudget) =>
  getCondition(pdb.status?.conditions, 'DisruptionAllowed');
