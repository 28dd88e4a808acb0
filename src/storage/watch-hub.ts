import { type KeyRange, StorageError, type Watch, type WatchEvent } from './types.ts';

/** Default bound on undelivered events per watcher before it is cut off as too slow. */
export const defaultMaxPending = 10_000;

export function inRange(range: KeyRange, key: string): boolean {
  if (range.rangeEnd === undefined) return key === range.key;
  if (key < range.key) return false;
  // etcd: a range end of "\0" means every key >= key.
  return range.rangeEnd === '\0' || key < range.rangeEnd;
}

/**
 * One watcher's bounded queue of event batches, consumed as an async iterator. Writers never wait
 * for it: when more than `maxPending` events are undelivered the watcher is cut off with
 * `slow-watcher` (etcd instead parks slow watchers as "unsynced"; the API server's watch cache
 * relists either way, and a bounded queue keeps memory bounded).
 */
export class WatchStream implements Watch {
  readonly range: KeyRange;
  private readonly maxPending: number;
  private readonly minRevision: number;
  private readonly queue: WatchEvent[][] = [];
  private pending = 0;
  private failure: StorageError | undefined;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly onClose: (w: WatchStream) => void;

  constructor(options: {
    range: KeyRange;
    maxPending: number;
    minRevision: number;
    onClose: (w: WatchStream) => void;
  }) {
    this.range = options.range;
    this.minRevision = options.minRevision;
    this.maxPending = options.maxPending;
    this.onClose = options.onClose;
  }

  /** Queues the events of one commit that fall in this watcher's range. */
  push(events: readonly WatchEvent[]): void {
    if (this.ended) return;
    const mine = events.filter((e) => e.kv.modRevision >= this.minRevision && inRange(this.range, e.kv.key));
    if (mine.length === 0) return;
    this.pending += mine.length;
    if (this.pending > this.maxPending) {
      this.fail(new StorageError('slow-watcher', `watcher fell more than ${this.maxPending} events behind`));
      return;
    }
    this.queue.push(mine);
    this.notify();
  }

  /** Ends the stream with an error, after nothing else: queued events are dropped. */
  fail(error: StorageError): void {
    if (this.ended) return;
    this.failure = error;
    this.queue.length = 0;
    this.finish();
  }

  close(): void {
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose(this);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch !== undefined) {
        this.pending -= batch.length;
        yield batch;
        continue;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/** The set of live watchers of one store; a commit publishes its events to all of them. */
export class WatchHub {
  private readonly watchers = new Set<WatchStream>();

  open(
    range: KeyRange,
    options: { maxPending?: number; minRevision?: number; signal?: AbortSignal },
  ): WatchStream {
    const signal = options.signal;
    const abort = (): void => stream.close();
    const stream = new WatchStream({
      range,
      maxPending: options.maxPending ?? defaultMaxPending,
      minRevision: options.minRevision ?? 0,
      onClose: (w) => {
        this.watchers.delete(w);
        signal?.removeEventListener('abort', abort);
      },
    });
    this.watchers.add(stream);
    if (signal?.aborted) stream.close();
    else signal?.addEventListener('abort', abort, { once: true });
    return stream;
  }

  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    for (const w of this.watchers) w.push(events);
  }

  failAll(error: StorageError): void {
    for (const w of [...this.watchers]) w.fail(error);
  }

  get size(): number {
    return this.watchers.size;
  }
}
