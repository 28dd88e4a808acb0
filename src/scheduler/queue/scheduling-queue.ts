// PriorityQueue (pkg/scheduler/backend/queue/scheduling_queue.go): pods waiting to be scheduled.
//   activeQ        a heap in QueueSort order (priority, then arrival); the scheduler pops from here
//   backoffQ       pods that failed recently, by backoff expiry (1 s doubling to 10 s per attempt)
//   unschedulable  pods rejected by plugins, moved back only by a cluster event that one of those
//                  plugins registered (EventsToRegister) and whose queueing hint says Queue, or
//                  after 5 minutes by the leftover flush
import type { Logger } from '../../log.ts';
import { type PodInfo, podInfoOf } from '../cache/pod-info.ts';
import type {
  Clock,
  ClusterEvent,
  ClusterEventWithHint,
  Nominator,
  QueuedPodInfo,
} from '../framework/interface.ts';
import type { Status } from '../framework/status.ts';
import { type Pod, podUid } from '../types.ts';
import { Heap } from './heap.ts';

export interface SchedulingQueueOptions {
  /** QueueSort's less. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  clock: Clock;
  /** PreEnqueue plugins; a non-success keeps the pod out of activeQ (scheduling gates). */
  preEnqueue?: (pod: Pod) => Status;
  /** EventsToRegister by plugin name. */
  events?: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration. */
  maxInUnschedulableMs?: number;
  logger?: Logger;
}

/** The event the leftover flush and explicit activation use: moves everything. */
export const unschedulableTimeout: ClusterEvent = {
  resource: '*',
  actionType: 2047,
  label: 'UnschedulableTimeout',
};
export const forceActivate: ClusterEvent = { resource: '*', actionType: 2047, label: 'ForceActivate' };

export class SchedulingQueue implements Nominator {
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly clock: Clock;
  private readonly opts: SchedulingQueueOptions;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  /** Incremented by every pop; events during a cycle send its pod to backoff instead of unschedulable. */
  schedulingCycle = 0;
  private moveRequestCycle = -1;
  private readonly waiters: ((p: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  private readonly nominatedByNode = new Map<string, PodInfo[]>();
  private readonly nominatedNodeOf = new Map<string, string>();

  constructor(opts: SchedulingQueueOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 5 * 60_000;
    const key = (p: QueuedPodInfo): string => podUid(p.pod);
    this.activeQ = new Heap({ key, less: opts.less });
    this.backoffQ = new Heap({ key, less: (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b) });
  }

  private newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    const now = this.clock.now();
    return {
      pod,
      podInfo: podInfoOf(pod),
      timestamp: now,
      initialAttemptTimestamp: undefined,
      attempts: 0,
      unschedulablePlugins: new Set(),
      pendingPlugins: new Set(),
      gatingPlugin: undefined,
    };
  }

  /** Add: a new unscheduled pod. */
  add(pod: Pod): void {
    this.moveToActiveQ(this.newQueuedPodInfo(pod));
    this.updateNomination(pod);
  }

  /** PreEnqueue gate, then activeQ (or the unschedulable pool, gated). */
  private moveToActiveQ(p: QueuedPodInfo): boolean {
    const uid = podUid(p.pod);
    if (this.opts.preEnqueue !== undefined) {
      const s = this.opts.preEnqueue(p.pod);
      if (s.code !== 'Success') {
        p.gatingPlugin = s.plugin;
        this.unschedulable.set(uid, p);
        return false;
      }
    }
    p.gatingPlugin = undefined;
    this.unschedulable.delete(uid);
    this.backoffQ.delete(uid);
    this.activeQ.addOrUpdate(p);
    this.wake();
    return true;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.activeQ.size > 0) {
      this.waiters.shift()!(this.popNow());
    }
  }

  private popNow(): QueuedPodInfo | undefined {
    const p = this.activeQ.pop();
    if (p === undefined) return undefined;
    this.schedulingCycle++;
    p.attempts++;
    p.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.set(podUid(p.pod), p);
    return p;
  }

  /** Pop: the next pod, waiting for one when activeQ is empty; undefined once closed or aborted. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const p = this.popNow();
    if (p !== undefined) return Promise.resolve(p);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      const waiter = (q: QueuedPodInfo | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(q);
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Done: the scheduling cycle of this pod is over (it was bound, requeued or dropped). */
  done(pod: Pod): void {
    this.inFlight.delete(podUid(pod));
  }

  /** Update: a pending pod changed; a change may ungate it or make it schedulable. */
  update(oldPod: Pod, pod: Pod): void {
    const uid = podUid(pod);
    this.updateNomination(pod);
    for (const q of [this.activeQ, this.backoffQ]) {
      const p = q.get(uid);
      if (p !== undefined) {
        q.addOrUpdate({ ...p, pod, podInfo: podInfoOf(pod) });
        return;
      }
    }
    const p = this.unschedulable.get(uid);
    if (p !== undefined) {
      const updated = { ...p, pod, podInfo: podInfoOf(pod) };
      if (JSON.stringify(oldPod.spec) === JSON.stringify(pod.spec) && sameLabels(oldPod, pod)) {
        this.unschedulable.set(uid, updated);
        return;
      }
      if (this.isBackingOff(updated)) {
        this.unschedulable.delete(uid);
        this.backoffQ.addOrUpdate(updated);
      } else this.moveToActiveQ(updated);
      return;
    }
    if (!this.inFlight.has(uid)) this.add(pod);
    else this.inFlight.set(uid, { ...this.inFlight.get(uid)!, pod, podInfo: podInfoOf(pod) });
  }

  delete(pod: Pod): void {
    const uid = podUid(pod);
    this.activeQ.delete(uid);
    this.backoffQ.delete(uid);
    this.unschedulable.delete(uid);
    this.inFlight.delete(uid);
    this.deleteNominatedPod(pod);
  }

  /** Whether the pod is still pending in the queue or in a scheduling cycle (not deleted). */
  has(pod: Pod): boolean {
    const uid = podUid(pod);
    return (
      this.activeQ.has(uid) || this.backoffQ.has(uid) || this.unschedulable.has(uid) || this.inFlight.has(uid)
    );
  }

  /** getBackoffTime: initial × 2^(attempts−1), capped. */
  backoffDuration(p: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < p.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return d;
  }

  private backoffExpiry(p: QueuedPodInfo): number {
    return p.timestamp + this.backoffDuration(p);
  }

  private isBackingOff(p: QueuedPodInfo): boolean {
    // A pod never attempted (held by a gate) has no backoff.
    return p.attempts > 0 && this.backoffExpiry(p) > this.clock.now();
  }

  /**
   * AddUnschedulableIfNotPresent: after a failed attempt. A pod rejected by no plugin (an error),
   * or whose cycle overlapped a move request, goes to backoff; otherwise to the unschedulable pool.
   */
  addUnschedulableIfNotPresent(p: QueuedPodInfo, podSchedulingCycle: number): void {
    const uid = podUid(p.pod);
    this.inFlight.delete(uid);
    if (this.activeQ.has(uid) || this.backoffQ.has(uid) || this.unschedulable.has(uid)) return;
    p.timestamp = this.clock.now();
    const rejectedByPlugins = p.unschedulablePlugins.size > 0 || p.pendingPlugins.size > 0;
    if (!rejectedByPlugins || this.moveRequestCycle >= podSchedulingCycle) this.backoffQ.addOrUpdate(p);
    else this.unschedulable.set(uid, p);
  }

  /** flushBackoffQCompleted: pods whose backoff expired go to activeQ. */
  flushBackoffQCompleted(): void {
    for (;;) {
      const p = this.backoffQ.peek();
      if (p === undefined || this.isBackingOff(p)) return;
      this.backoffQ.pop();
      this.moveToActiveQ(p);
    }
  }

  /** flushUnschedulablePodsLeftover: pods unschedulable for longer than 5 minutes move back. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale = [...this.unschedulable.values()].filter(
      (p) => p.gatingPlugin === undefined && now - p.timestamp > this.maxInUnschedulableMs,
    );
    this.movePods(stale, unschedulableTimeout, undefined, undefined);
  }

  /** MoveAllToActiveOrBackoffQueue: a cluster event; each unschedulable pod's plugins decide. */
  moveAllToActiveOrBackoffQueue(
    event: ClusterEvent,
    oldObj?: unknown,
    newObj?: unknown,
    preCheck?: (pod: Pod) => boolean,
  ): void {
    const pods = [...this.unschedulable.values()].filter((p) => preCheck === undefined || preCheck(p.pod));
    this.movePods(pods, event, oldObj, newObj);
    this.moveRequestCycle = this.schedulingCycle;
  }

  private movePods(pods: QueuedPodInfo[], event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    for (const p of pods) {
      if (!this.worthRequeuing(p, event, oldObj, newObj)) continue;
      const uid = podUid(p.pod);
      if (p.gatingPlugin === undefined && this.isBackingOff(p)) {
        this.unschedulable.delete(uid);
        this.backoffQ.addOrUpdate(p);
      } else {
        this.unschedulable.delete(uid);
        this.moveToActiveQ(p);
      }
    }
  }

  /** isPodWorthRequeuing: some rejecting plugin registered the event and its hint says Queue. */
  private worthRequeuing(p: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (event.resource === '*') return true;
    const plugins =
      p.gatingPlugin !== undefined
        ? new Set([p.gatingPlugin])
        : new Set([...p.unschedulablePlugins, ...p.pendingPlugins]);
    if (plugins.size === 0) return true;
    const events = this.opts.events;
    if (events === undefined) return true;
    for (const name of plugins) {
      for (const e of events.get(name) ?? []) {
        const r = e.event.resource;
        if ((r !== '*' && r !== event.resource) || (e.event.actionType & event.actionType) === 0) continue;
        try {
          if (e.hint === undefined || e.hint(p.pod, oldObj, newObj) === 'Queue') return true;
        } catch (err: unknown) {
          this.opts.logger?.warn('queueing hint failed; requeuing', { plugin: name, error: String(err) });
          return true;
        }
      }
    }
    return false;
  }

  /** Timers: backoff flush every second, leftover flush every 30 seconds, until the signal aborts. */
  run(signal: AbortSignal): void {
    // The pending timers are cleared on abort: a 30 s one left behind would keep a process alive.
    const timers = new Map<string, unknown>();
    const every = (name: string, ms: number, fn: () => void): void => {
      const tick = (): void => {
        if (signal.aborted) return;
        fn();
        timers.set(name, this.clock.setTimeout(tick, ms));
      };
      timers.set(name, this.clock.setTimeout(tick, ms));
    };
    every('backoff', 1000, () => this.flushBackoffQCompleted());
    every('leftover', 30_000, () => this.flushUnschedulablePodsLeftover());
    signal.addEventListener(
      'abort',
      () => {
        for (const t of timers.values()) this.clock.clearTimeout(t);
        this.close();
      },
      { once: true },
    );
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Counts per sub-queue, for tests and metrics. */
  stats(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size,
      unschedulable: this.unschedulable.size,
      inFlight: this.inFlight.size,
    };
  }

  // PodNominator.

  private updateNomination(pod: Pod): void {
    const node = pod.status?.nominatedNodeName;
    if (node !== undefined && node !== '') this.addNominatedPod(pod, node);
    else if (this.nominatedNodeOf.has(podUid(pod))) this.deleteNominatedPod(pod);
  }

  addNominatedPod(pod: Pod, nodeName: string): void {
    this.deleteNominatedPod(pod);
    if (nodeName === '') return;
    this.nominatedNodeOf.set(podUid(pod), nodeName);
    const list = this.nominatedByNode.get(nodeName) ?? [];
    list.push(podInfoOf(pod));
    this.nominatedByNode.set(nodeName, list);
  }

  deleteNominatedPod(pod: Pod): void {
    const uid = podUid(pod);
    const node = this.nominatedNodeOf.get(uid);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(uid);
    const list = (this.nominatedByNode.get(node) ?? []).filter((pi) => podUid(pi.pod) !== uid);
    if (list.length === 0) this.nominatedByNode.delete(node);
    else this.nominatedByNode.set(node, list);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.nominatedByNode.get(nodeName) ?? [];
  }
}

function sameLabels(a: Pod, b: Pod): boolean {
  return JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {});
}
