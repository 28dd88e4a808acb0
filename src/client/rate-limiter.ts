// client-go's util/workqueue/default_rate_limiters.go: how long an item waits before its retry.
import { type Clock, realClock } from './clock.ts';

export interface RateLimiter<K> {
  /** How long `item` waits now (and records the attempt). */
  when(item: K): number;
  /** Stops tracking `item` (after it synced successfully). */
  forget(item: K): void;
  /** How many times `item` has been retried since it was last forgotten. */
  numRequeues(item: K): number;
}

/** ItemExponentialFailureRateLimiter: base·2^failures per item, capped. */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(options: { baseMs: number; maxMs: number }) {
    this.baseMs = options.baseMs;
    this.maxMs = options.maxMs;
  }

  when(item: K): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    return Math.min(this.baseMs * 2 ** exp, this.maxMs);
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/** BucketRateLimiter: a token bucket shared by all items (golang.org/x/time/rate's Reserve). */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    this.qps = options.qps;
    this.burst = options.burst;
    this.clock = options.clock ?? realClock;
    this.tokens = options.burst;
    this.last = this.clock.now();
  }

  when(_item: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** MaxOfRateLimiter: the longest wait of several limiters. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(limiters: readonly RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(item: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** DefaultControllerRateLimiter: per item 5 ms → 1000 s, overall 10 qps with a burst of 100. */
export function defaultControllerRateLimiter<K>(clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>([
    new ItemExponentialFailureRateLimiter<K>({ baseMs: 5, maxMs: 1000 * 1000 }),
    new BucketRateLimiter<K>({ qps: 10, burst: 100, clock }),
  ]);
}
