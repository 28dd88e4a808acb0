export interface LeaseState {
  readonly id: number;
  readonly ttl: number;
  /** Wall-clock expiry, ms since the epoch (persisted, so it survives restarts). */
  readonly expiresAt: number;
}

/**
 * The in-memory view of leases and one timer, armed for the earliest expiry: no polling, and an
 * idle store with no leases has no timer at all. The timer is unref'd so it never keeps the process up.
 */
export class LeaseTimers {
  readonly now: () => number;
  private readonly leases = new Map<number, LeaseState>();
  private readonly expire: (id: number) => Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(options: { now: () => number; leases: LeaseState[]; expire: (id: number) => Promise<void> }) {
    this.now = options.now;
    this.expire = options.expire;
    for (const l of options.leases) this.leases.set(l.id, l);
    this.arm();
  }

  has(id: number): boolean {
    return this.leases.has(id);
  }

  get(id: number): LeaseState | undefined {
    return this.leases.get(id);
  }

  set(lease: LeaseState): void {
    this.leases.set(lease.id, lease);
    if (lease.expiresAt < this.armedFor) this.arm();
  }

  delete(id: number): void {
    this.leases.delete(id);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Revokes every lease that has expired, then re-arms for the next one. */
  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = this.now();
    const due = [...this.leases.values()].filter((l) => l.expiresAt <= now).map((l) => l.id);
    Promise.allSettled(due.map((id) => this.expire(id))).then(() => this.arm());
  }

  private arm(): void {
    if (this.stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const l of this.leases.values()) next = Math.min(next, l.expiresAt);
    if (next === Number.POSITIVE_INFINITY) return;
    clearTimeout(this.timer);
    this.armedFor = next;
    // setTimeout holds at most 2^31-1 ms; a longer lease just re-arms when that fires.
    this.timer = setTimeout(() => this.fire(), Math.min(2 ** 31 - 1, Math.max(0, next - this.now())));
    this.timer.unref();
  }
}
