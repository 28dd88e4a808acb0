// The controller work queue (client-go's util/workqueue: queue.go, delaying_queue.go,
// rate_limiting_queue.go). A key is queued at most once (`dirty`), handed to at most one worker at
// a time (`processing`); a key added while it is being processed is queued again when the worker
// calls `done`. Retries wait for the rate limiter; delays run on an injectable clock.
import type { Logger } from '../log.ts';
import { type Clock, realClock } from './clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface WorkQueueOptions<K> {
  readonly name?: string;
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter<K>;
  readonly log?: Logger;
}

export class WorkQueue<K = string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;
  private readonly log: Logger | undefined;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  /** Delayed adds, one timer per key at its earliest time (waitingForQueue's dedup). */
  private readonly waiting = new Map<K, { at: number; cancel: () => void }>();
  private readonly getters: Array<(key: K | undefined) => void> = [];
  private drained: (() => void) | undefined;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.name = options.name ?? 'queue';
    this.clock = options.clock ?? realClock;
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
    this.log = options.log;
  }

  /** Queues `key` unless it is queued already; a key being processed is queued again on `done`. */
  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
    } else this.queue.push(key);
  }

  /** Adds `key` after `ms`; of several pending delays for one key the earliest wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const pending = this.waiting.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      pending.cancel();
    }
    const cancel = this.clock.setTimer(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, cancel });
  }

  /** Adds `key` after the rate limiter's wait: per-key exponential backoff, bounded overall. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** Stops the backoff of `key` (after a successful sync); it does not dequeue it. */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  /** The next key, marked as processing; undefined once shut down and drained of queued keys. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` as processed; if it was added meanwhile it goes back on the queue. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
    if (this.processing.size === 0) this.drained?.();
  }

  /** Keys waiting to be processed (not the delayed ones, not the ones in progress). */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Refuses new adds and drops pending delays; `get` keeps handing out the keys already queued and
   * then returns undefined, so workers finish what is queued and exit.
   */
  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  /** ShutDownWithDrain: shuts down and resolves when no key is being processed. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    while (this.processing.size > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    this.drained = undefined;
  }

  /**
   * Runs `workers` loops of get → sync → done until `signal` aborts (then the queue shuts down and
   * the workers drain it). A sync that throws is retried with the rate limiter; one that returns is
   * forgotten. Resolves when every worker has exited.
   */
  async run(workers: number, sync: (key: K) => Promise<void>, signal: AbortSignal): Promise<void> {
    const stop = (): void => this.shutDown();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    const worker = async (): Promise<void> => {
      for (;;) {
        const key = await this.get();
        if (key === undefined) return;
        try {
          await sync(key);
          this.forget(key);
        } catch (e: unknown) {
          this.log?.warn('sync failed, requeued', {
            queue: this.name,
            key: String(key),
            requeues: this.numRequeues(key),
            error: e instanceof Error ? e.message : String(e),
          });
          this.addRateLimited(key);
        } finally {
          this.done(key);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }
}
