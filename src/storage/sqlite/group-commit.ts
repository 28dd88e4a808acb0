import type { DatabaseSync } from 'node:sqlite';
import { StorageError, type WatchEvent } from '../types.ts';

/**
 * What one write did inside the transaction: its result (or a refusal that touched nothing),
 * the watch events it produced, and in-memory bookkeeping to apply only once the commit is durable.
 */
export interface Done<T> {
  readonly result: T;
  readonly events?: readonly WatchEvent[];
  readonly after?: () => void;
  readonly error?: undefined;
}

export type Outcome<T> = Done<T> | { readonly error: StorageError };

interface Pending {
  readonly run: () => Outcome<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: every write submitted during one turn of the event loop runs in a single
 * transaction, and all of them are acknowledged after its one fsync. While a commit is in progress
 * (node:sqlite blocks the thread), new requests pile up in the event loop and form the next batch,
 * so batches grow with the load and durability costs one fsync per batch, not per write.
 */
export class GroupCommitter {
  private readonly db: DatabaseSync;
  private readonly onCommitted: (events: WatchEvent[]) => void;
  private readonly onRolledBack: () => void;
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(options: {
    db: DatabaseSync;
    onCommitted: (events: WatchEvent[]) => void;
    onRolledBack: () => void;
  }) {
    this.db = options.db;
    this.onCommitted = options.onCommitted;
    this.onRolledBack = options.onRolledBack;
  }

  submit<T>(run: () => Outcome<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('closed', 'the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued, then refuses further writes. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.scheduled) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const outcomes: Outcome<unknown>[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const p of batch) outcomes.push(p.run());
      this.db.exec('COMMIT');
    } catch (e: unknown) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.onRolledBack();
      const error = new StorageError(
        'bad-database',
        `commit failed: ${e instanceof Error ? e.message : String(e)}`,
        {
          cause: e,
        },
      );
      for (const p of batch) p.reject(error);
      this.finishTurn();
      return;
    }
    const events: WatchEvent[] = [];
    for (const o of outcomes) {
      if (o.error === undefined) {
        o.after?.();
        if (o.events !== undefined) events.push(...o.events);
      }
    }
    this.onCommitted(events);
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.error !== undefined) p.reject(o.error);
      else p.resolve(o.result);
    });
    this.finishTurn();
  }

  private finishTurn(): void {
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    } else if (this.queue.length === 0) {
      this.drained?.();
    }
  }
}
