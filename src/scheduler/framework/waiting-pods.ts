// waitingPodsMap (framework/runtime/waiting_pods_map.go): pods held at Permit until every plugin
// that asked to wait allows them, one rejects them, or a plugin's timeout passes.
import { type Pod, podUid } from '../types.ts';
import type { Clock, WaitingPod } from './interface.ts';
import type { Status } from './status.ts';

class Waiting implements WaitingPod {
  readonly pod: Pod;
  private readonly pending: Map<string, unknown>;
  private readonly clock: Clock;
  private done: Status | undefined;
  private resolve: ((s: Status) => void) | undefined;
  private readonly onDone: () => void;

  constructor(options: { pod: Pod; waits: Map<string, number>; clock: Clock; onDone: () => void }) {
    this.pod = options.pod;
    this.clock = options.clock;
    this.onDone = options.onDone;
    this.pending = new Map();
    for (const [plugin, ms] of options.waits) {
      const msg = `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`;
      this.pending.set(
        plugin,
        this.clock.setTimeout(() => this.reject(plugin, msg), ms),
      );
    }
  }

  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (t === undefined || this.done !== undefined) return;
    this.clock.clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish({ code: 'Success', reasons: [] });
  }

  reject(plugin: string, message: string): void {
    if (this.done !== undefined) return;
    for (const t of this.pending.values()) this.clock.clearTimeout(t);
    this.pending.clear();
    this.finish({ code: 'Unschedulable', reasons: [message], ...(plugin === '' ? {} : { plugin }) });
  }

  private finish(s: Status): void {
    this.done = s;
    this.onDone();
    this.resolve?.(s);
  }

  wait(): Promise<Status> {
    if (this.done !== undefined) return Promise.resolve(this.done);
    return new Promise((resolve) => (this.resolve = resolve));
  }
}

export class WaitingPods {
  /** Pods still waiting, for plugins to allow or reject. */
  private readonly pods = new Map<string, Waiting>();
  /** Every parked pod until its binding cycle collected the verdict (it may come first). */
  private readonly verdicts = new Map<string, Waiting>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  add(pod: Pod, waits: Map<string, number>): void {
    const uid = podUid(pod);
    const w = new Waiting({ pod, waits, clock: this.clock, onDone: () => this.pods.delete(uid) });
    this.pods.set(uid, w);
    this.verdicts.set(uid, w);
  }

  get(uid: string): WaitingPod | undefined {
    return this.pods.get(uid);
  }

  wait(uid: string): Promise<Status> {
    const w = this.verdicts.get(uid);
    this.verdicts.delete(uid);
    return w?.wait() ?? Promise.resolve({ code: 'Success', reasons: [] });
  }
}
