// Scheduler (pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go): pops a pod, runs the
// scheduling cycle over a fresh snapshot, assumes the pod on the chosen node, and binds it in an
// asynchronous binding cycle (Permit wait → PreBind → Bind → PostBind) while the next pod is
// scheduled. Informer callbacks come in through onPod*/onNode*; writes go out only through the
// injected Binder, Recorder, StatusUpdater and Evictor.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from '../log.ts';
import { Cache } from './cache/cache.ts';
import { Snapshot } from './cache/snapshot.ts';
import { type KubeSchedulerConfiguration, resolveProfile } from './framework/config.ts';
import { FitError } from './framework/fit-error.ts';
import {
  ActionType,
  type Binder,
  type Clock,
  type ClusterEvent,
  type ClusterEventWithHint,
  type Listers,
  type PostFilterResult,
  type QueuedPodInfo,
  realClock,
  type Registry,
} from './framework/interface.ts';
import { Framework } from './framework/runtime.ts';
import { type Status, StatusError, statusMessage } from './framework/status.ts';
import { inTreeRegistry } from './plugins/registry.ts';
import { SchedulingQueue } from './queue/scheduling-queue.ts';
import { schedulePod } from './schedule-one.ts';
import { type Node, type Pod, type PodCondition, podKey, podUid } from './types.ts';
import { nodeUpdateActions, podUpdateActions } from './events.ts';

export interface SchedulerEvent {
  object: Pod;
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  message: string;
}

/** Emits events (Scheduled, FailedScheduling, Preempted). */
export interface Recorder {
  event(e: SchedulerEvent): void;
}

/** Patches the pod's status: the PodScheduled condition and status.nominatedNodeName. */
export interface StatusUpdater {
  updatePodStatus(pod: Pod, update: { condition: PodCondition; nominatedNodeName?: string }): Promise<void>;
}

/** Deletes a preemption victim. */
export interface Evictor {
  evict(victim: Pod, preemptor: Pod): Promise<void>;
}

export interface SchedulerOptions {
  binder: Binder;
  recorder?: Recorder;
  statusUpdater?: StatusUpdater;
  evictor?: Evictor;
  config?: KubeSchedulerConfiguration;
  /** Out-of-tree plugins on top of the in-tree ones. */
  registry?: Registry;
  listers?: Listers;
  clock?: Clock;
  logger?: Logger;
  /** [0, 1), for the host tie break. */
  random?: () => number;
}

export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly snapshot = new Snapshot();
  readonly frameworks = new Map<string, Framework>();
  private readonly opts: SchedulerOptions;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly cursor = { nextStartNodeIndex: 0 };
  private readonly bindings = new Set<Promise<void>>();
  private resolveReady: () => void = () => {};
  /** Resolves once run() is pulling pods. */
  readonly ready = new Promise<void>((r) => (this.resolveReady = r));

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.log = opts.logger;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.cache = new Cache(opts.logger ? { logger: opts.logger } : {});
    const registry = new Map([...inTreeRegistry(), ...(opts.registry ?? [])]);
    const config = opts.config ?? {};
    const profiles = config.profiles?.length ? config.profiles : [{}];
    const events = new Map<string, ClusterEventWithHint[]>();
    for (const p of profiles) {
      const fwk = new Framework({
        profile: resolveProfile(p, config.percentageOfNodesToScore),
        registry,
        snapshot: () => this.snapshot,
        binder: opts.binder,
        clock: this.clock,
        nominator: { nominatedPodsForNode: (n) => this.queue.nominatedPodsForNode(n) },
        ...(opts.listers ? { listers: opts.listers } : {}),
        ...(opts.logger ? { logger: opts.logger } : {}),
      });
      this.frameworks.set(fwk.profileName, fwk);
      for (const [name, list] of fwk.eventsToRegister()) events.set(name, list);
    }
    const first = this.frameworks.values().next().value!;
    const sort = first.queueSortPlugin;
    this.queue = new SchedulingQueue({
      less: sort ? (a, b) => sort.less(a, b) : (a, b) => a.timestamp < b.timestamp,
      clock: this.clock,
      preEnqueue: (pod) =>
        this.frameworkFor(pod)?.runPreEnqueuePlugins(pod) ?? { code: 'Success', reasons: [] },
      events,
      initialBackoffMs: (config.podInitialBackoffSeconds ?? 1) * 1000,
      maxBackoffMs: (config.podMaxBackoffSeconds ?? 10) * 1000,
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  private frameworkFor(pod: Pod): Framework | undefined {
    return this.frameworks.get(pod.spec.schedulerName ?? 'default-scheduler');
  }

  // Informer callbacks (eventhandlers.go).

  onPodAdd(pod: Pod): void {
    if (isTerminal(pod)) return;
    if (pod.spec.nodeName) {
      this.cache.addPod(pod);
      this.moveAll({ resource: 'Pod', actionType: ActionType.Add }, undefined, pod);
    } else if (this.frameworkFor(pod) !== undefined) this.queue.add(pod);
  }

  onPodUpdate(old: Pod, pod: Pod): void {
    if (pod.spec.nodeName) {
      if (!old.spec.nodeName) this.queue.delete(old); // bound: leaves the queue for the cache
      if (isTerminal(pod)) return this.onPodDelete(pod);
      if (old.spec.nodeName) {
        this.cache.updatePod(old, pod);
        const actions = podUpdateActions(old, pod);
        if (actions !== 0) this.moveAll({ resource: 'Pod', actionType: actions }, old, pod);
      } else {
        this.cache.addPod(pod);
        this.moveAll({ resource: 'Pod', actionType: ActionType.Add }, undefined, pod);
      }
      return;
    }
    if (this.frameworkFor(pod) === undefined || this.cache.isAssumedPod(pod)) return;
    this.queue.update(old, pod);
  }

  onPodDelete(pod: Pod): void {
    if (pod.spec.nodeName) {
      this.cache.removePod(pod);
      this.moveAll({ resource: 'Pod', actionType: ActionType.Delete }, pod, undefined);
      return;
    }
    this.queue.delete(pod);
    this.frameworkFor(pod)?.rejectWaitingPod(podUid(pod), 'pod was deleted');
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.moveAll({ resource: 'Node', actionType: ActionType.Add }, undefined, node);
  }

  onNodeUpdate(old: Node, node: Node): void {
    this.cache.updateNode(old, node);
    const actions = nodeUpdateActions(old, node);
    if (actions !== 0) this.moveAll({ resource: 'Node', actionType: actions }, old, node);
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
    this.moveAll({ resource: 'Node', actionType: ActionType.Delete }, node, undefined);
  }

  /** Other cluster events (PVCs, PVs, StorageClasses) that plugins registered for. */
  onClusterEvent(event: ClusterEvent, oldObj?: unknown, newObj?: unknown): void {
    this.moveAll(event, oldObj, newObj);
  }

  private moveAll(event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    this.queue.moveAllToActiveOrBackoffQueue(event, oldObj, newObj);
  }

  /** Pull and schedule pods until the signal aborts; binding cycles run concurrently. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run(signal);
    this.resolveReady();
    let n = 0;
    while (!signal.aborted) {
      const qp = await this.queue.pop(signal);
      if (qp === undefined) break;
      this.scheduleOne(qp);
      // Let informer callbacks, timers and binding cycles in between pods.
      if (++n % 16 === 0) await yieldToLoop();
    }
    await Promise.allSettled([...this.bindings]);
  }

  /** Resolves when no pod is in activeQ or in a scheduling/binding cycle. */
  async settle(): Promise<void> {
    for (;;) {
      await Promise.allSettled([...this.bindings]);
      await yieldToLoop();
      const s = this.queue.stats();
      if (s.active === 0 && s.inFlight === 0 && this.bindings.size === 0) return;
    }
  }

  /** scheduleOne: the synchronous scheduling cycle; the binding cycle is left running. */
  scheduleOne(qp: QueuedPodInfo): void {
    const pod = qp.pod;
    const fwk = this.frameworkFor(pod);
    if (fwk === undefined || pod.metadata.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(pod);
      return;
    }
    const cycle = this.queue.schedulingCycle;
    const state = fwk.newCycleState();
    this.cache.updateSnapshot(this.snapshot);
    let host: string;
    try {
      host = schedulePod({
        fwk,
        state,
        pod,
        snapshot: this.snapshot,
        cursor: this.cursor,
        random: this.random,
      }).suggestedHost;
    } catch (e: unknown) {
      if (e instanceof FitError) {
        let nominated: PostFilterResult | undefined;
        if (fwk.postFilterPlugins.length > 0) {
          const r = fwk.runPostFilterPlugins(state, pod, e.diagnosis.nodeToStatus);
          e.diagnosis.postFilterMsg = statusMessage(r.status);
          if (r.status.code === 'Error')
            this.log?.error('postFilter failed', { pod: podKey(pod), error: e.diagnosis.postFilterMsg });
          nominated = r.result;
        }
        this.failure({ fwk, qp, cycle, error: e, nominated });
      } else {
        this.failure({ fwk, qp, cycle, error: asStatus(e) });
      }
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    try {
      this.cache.assumePod(assumed);
    } catch (e: unknown) {
      this.failure({ fwk, qp, cycle, error: asStatus(e) });
      return;
    }
    const reserve = fwk.runReservePluginsReserve(state, assumed, host);
    if (reserve.code !== 'Success') {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      this.failure({ fwk, qp, cycle, error: reserve });
      return;
    }
    const permit = fwk.runPermitPlugins(state, assumed, host);
    if (permit.code !== 'Success' && permit.code !== 'Wait') {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      this.failure({ fwk, qp, cycle, error: permit });
      return;
    }
    this.queue.deleteNominatedPod(pod);
    const binding = this.bindingCycle({ fwk, qp, cycle, state, assumed, host });
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
  }

  private async bindingCycle(o: {
    fwk: Framework;
    qp: QueuedPodInfo;
    cycle: number;
    state: ReturnType<Framework['newCycleState']>;
    assumed: Pod;
    host: string;
  }): Promise<void> {
    const { fwk, state, assumed, host } = o;
    let s = await fwk.waitOnPermit(assumed);
    if (s.code === 'Success') s = await fwk.runPreBindPlugins(state, assumed, host);
    if (s.code === 'Success') s = await fwk.runBindPlugins(state, assumed, host);
    if (s.code !== 'Success') {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      // The node's resources are free again: as if an assigned pod had been deleted.
      this.moveAll({ resource: 'Pod', actionType: ActionType.Delete }, assumed, undefined);
      this.failure({ fwk: o.fwk, qp: o.qp, cycle: o.cycle, error: s });
      return;
    }
    this.cache.finishBinding(assumed);
    this.opts.recorder?.event({
      object: o.qp.pod,
      type: 'Normal',
      reason: 'Scheduled',
      action: 'Binding',
      message: `Successfully assigned ${podKey(o.qp.pod)} to ${host}`,
    });
    this.log?.debug('pod bound', { pod: podKey(assumed), node: host });
    fwk.runPostBindPlugins(state, assumed, host);
    this.queue.done(assumed);
  }

  /** handleSchedulingFailure: requeue, nominate, evict victims, and tell the user why. */
  private failure(o: {
    fwk: Framework;
    qp: QueuedPodInfo;
    cycle: number;
    error: FitError | Status;
    nominated?: PostFilterResult | undefined;
  }): void {
    const { qp, error } = o;
    const pod = qp.pod;
    const fit = error instanceof FitError;
    const status: Status | undefined = fit ? undefined : (error as Status);
    qp.unschedulablePlugins = fit
      ? new Set(error.diagnosis.unschedulablePlugins)
      : status!.code === 'Error' || status!.plugin === undefined
        ? new Set()
        : new Set([status!.plugin]);
    const message = fit ? error.message : statusMessage(status!);
    const reason = fit || status!.code !== 'Error' ? 'Unschedulable' : 'SchedulerError';
    if (!this.queue.has(pod)) {
      this.log?.debug('pod deleted during its scheduling cycle', { pod: podKey(pod) });
      return;
    }
    this.queue.addUnschedulableIfNotPresent(qp, o.cycle);
    const nominated = o.nominated?.nominatedNodeName;
    if (nominated !== undefined) {
      if (nominated === '') this.queue.deleteNominatedPod(pod);
      else this.queue.addNominatedPod(pod, nominated);
    }
    this.log?.debug('unable to schedule pod', { pod: podKey(pod), reason: message });
    this.opts.recorder?.event({
      object: pod,
      type: 'Warning',
      reason: 'FailedScheduling',
      action: 'Scheduling',
      message,
    });
    const updater = this.opts.statusUpdater;
    if (updater !== undefined) {
      const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason, message };
      const update = nominated === undefined ? { condition } : { condition, nominatedNodeName: nominated };
      updater.updatePodStatus(pod, update).catch((e: unknown) => {
        this.log?.warn('pod status update failed', { pod: podKey(pod), error: String(e) });
      });
    }
    for (const victim of o.nominated?.victims ?? []) this.preempt(o.fwk, victim, pod, nominated ?? '');
  }

  private preempt(fwk: Framework, victim: Pod, preemptor: Pod, node: string): void {
    fwk.rejectWaitingPod(podUid(victim), 'preempted');
    this.opts.recorder?.event({
      object: victim,
      type: 'Normal',
      reason: 'Preempted',
      action: 'Preempting',
      message: `Preempted by pod ${podUid(preemptor)} on node ${node}`,
    });
    this.opts.evictor?.evict(victim, preemptor).catch((e: unknown) => {
      this.log?.warn('preemption victim deletion failed', { pod: podKey(victim), error: String(e) });
      this.queue.moveAllToActiveOrBackoffQueue({
        resource: '*',
        actionType: ActionType.All,
        label: 'ForceActivate',
      });
    });
  }
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function asStatus(e: unknown): Status {
  if (e instanceof StatusError) return e.status;
  return { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)] };
}
