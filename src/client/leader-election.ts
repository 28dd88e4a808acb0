// Leader election on a coordination.k8s.io/v1 Lease (client-go's tools/leaderelection): candidates
// try to write themselves into the Lease with optimistic concurrency (resourceVersion); the holder
// renews it every retryPeriod and gives up when it cannot renew within renewDeadline; the others
// take over once they have seen the same record unchanged for leaseDuration by their own clock
// (never by comparing the holder's timestamps, which would trust its clock). With releaseOnCancel
// the leader empties the Lease on shutdown so a successor need not wait out the lease.
import type { KubeObject } from '../api/meta.ts';
import type { Logger } from '../log.ts';
import { type Clock, realClock } from './clock.ts';
import { isAlreadyExists, isConflict, isNotFound } from './errors.ts';
import type { RestClient } from './rest.ts';
import type { ResourceClient } from './resource.ts';
import { resources } from './resources.ts';

/** coordination/v1 LeaseSpec as the elector writes it (LeaderElectionRecord). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  readonly client: RestClient;
  readonly namespace: string;
  /** The Lease's name, e.g. `kube-scheduler`. */
  readonly name: string;
  /** Unique per candidate, e.g. `<hostname>_<uuid>`. */
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** Empty the Lease when `run`'s signal aborts (ReleaseOnCancel); default true. */
  readonly releaseOnCancel?: boolean;
  /** Runs while leading; `signal` aborts when leadership ends. Not awaited, as upstream. */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  readonly onStoppedLeading?: () => void;
  /** Called when a different holder is observed (including this candidate). */
  readonly onNewLeader?: (identity: string) => void;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly random?: () => number;
}

/** metav1.MicroTime's wire form: `2006-01-02T15:04:05.000000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

// Upstream's JitterFactor for the acquire loop.
const jitterFactor = 1.2;

export class LeaderElector {
  private readonly o: LeaderElectionOptions;
  private readonly leases: ResourceClient<Lease>;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly random: () => number;
  private observedRecord: LeaseSpec = {};
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';
  private leading = false;

  constructor(options: LeaderElectionOptions) {
    this.o = options;
    this.leases = options.client.resource<Lease>(resources.leases).namespace(options.namespace);
    this.clock = options.clock ?? realClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.random = options.random ?? Math.random;
    if (this.leaseDurationMs <= this.renewDeadlineMs)
      throw new Error('leaseDuration must exceed renewDeadline');
    if (this.renewDeadlineMs <= jitterFactor * this.retryPeriodMs)
      throw new Error('renewDeadline must exceed retryPeriod × 1.2');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed in the Lease. */
  getLeader(): string {
    return this.observedRecord.holderIdentity ?? '';
  }

  /**
   * Campaigns until elected, leads until leadership is lost or `signal` aborts, then returns (a
   * process that lost leadership usually exits, as kube-controller-manager does).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leading = new AbortController();
    const stop = (): void => leading.abort();
    signal.addEventListener('abort', stop, { once: true });
    this.leading = true;
    this.o.log?.info('became leader', { lease: this.leaseName(), identity: this.o.identity });
    void Promise.resolve()
      .then(() => this.o.onStartedLeading(leading.signal))
      .catch((e: unknown) => this.o.log?.error('onStartedLeading failed', { error: String(e) }));
    try {
      await this.renew(signal);
      leading.abort();
      if (signal.aborted && (this.o.releaseOnCancel ?? true)) await this.release();
    } finally {
      signal.removeEventListener('abort', stop);
      leading.abort();
      this.leading = false;
      this.o.log?.info('stopped leading', { lease: this.leaseName(), identity: this.o.identity });
      this.o.onStoppedLeading?.();
    }
  }

  private leaseName(): string {
    return `${this.o.namespace}/${this.o.name}`;
  }

  /** Tries every retryPeriod (jittered) until it holds the Lease; false if `signal` aborted. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal)) return true;
      await this.clock.sleep(this.retryPeriodMs * (1 + this.random() * jitterFactor), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal fails for renewDeadline or `signal` aborts. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted && this.clock.now() < deadline) {
        if (await this.tryAcquireOrRenew(signal)) {
          renewed = true;
          break;
        }
        await this.clock.sleep(this.retryPeriodMs, signal);
      }
      if (signal.aborted) return;
      if (!renewed) {
        this.o.log?.warn('failed to renew lease', { lease: this.leaseName(), identity: this.o.identity });
        return;
      }
      await this.clock.sleep(this.retryPeriodMs, signal);
    }
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    const record: LeaseSpec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    const call = { signal, timeoutMs: this.renewDeadlineMs };
    try {
      let lease: Lease;
      try {
        lease = await this.leases.get(this.o.name, call);
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
        await this.leases.create(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.o.name },
            spec: record,
          },
          call,
        );
        this.observe(record, now);
        return true;
      }
      const old = lease.spec ?? {};
      const raw = JSON.stringify(old);
      if (raw !== this.observedRaw) this.observe(old, now);
      const holder = old.holderIdentity ?? '';
      const validUntil = this.observedTime + (old.leaseDurationSeconds ?? 0) * 1000;
      // Held by someone else and not yet expired by our clock: wait (upstream's isLeaseValid).
      if (holder !== '' && holder !== this.o.identity && validUntil > now) return false;
      if (holder === this.o.identity) {
        record.acquireTime = old.acquireTime;
        record.leaseTransitions = old.leaseTransitions ?? 0;
      } else {
        record.leaseTransitions = (old.leaseTransitions ?? 0) + 1;
      }
      await this.leases.update({ ...lease, spec: { ...old, ...record } }, call);
      this.observe(record, now);
      return true;
    } catch (e: unknown) {
      // Conflict or AlreadyExists: another candidate wrote first; anything else: try again later.
      if (!isConflict(e) && !isAlreadyExists(e) && !signal.aborted) {
        this.o.log?.warn('lease update failed', { lease: this.leaseName(), error: String(e) });
      }
      return false;
    }
  }

  private observe(record: LeaseSpec, now: number): void {
    this.observedRecord = record;
    this.observedRaw = JSON.stringify(record);
    this.observedTime = now;
    const holder = record.holderIdentity ?? '';
    if (holder !== '' && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.o.onNewLeader?.(holder);
    }
  }

  /** ReleaseOnCancel: an empty holder with a 1 s lease, so the next candidate acquires at once. */
  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.o.name, { signal: AbortSignal.timeout(this.renewDeadlineMs) });
      if (lease.spec?.holderIdentity !== this.o.identity) return;
      const now = microTime(this.clock.now());
      const spec: LeaseSpec = {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
      };
      await this.leases.update({ ...lease, spec }, { timeoutMs: this.renewDeadlineMs });
    } catch (e: unknown) {
      this.o.log?.warn('failed to release lease', { lease: this.leaseName(), error: String(e) });
    }
  }
}
