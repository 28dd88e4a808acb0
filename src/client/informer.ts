// A shared informer (client-go's tools/cache reflector.go + shared_informer.go): list the resource
// (pages of 500 at one resourceVersion), then watch from that version with bookmarks, applying each
// event to the cache and telling the handlers. A watch the server ends (its timeout) is re-opened
// from the last version seen; a 410 Expired, or an error, relists after a jittered backoff, and the
// relist is diffed against the cache so handlers see the adds, updates and deletes they missed.
import type { KubeList, KubeObject } from '../api/meta.ts';
import type { Logger } from '../log.ts';
import { type IndexFunc, Indexer, Lister, objectKey } from './cache.ts';
import { type Clock, realClock } from './clock.ts';
import { isExpired } from './errors.ts';
import type { WatchEvent } from './resource.ts';

/** What an informer lists and watches (cache.ListerWatcher); a ResourceClient fits, as does a fake. */
export interface ListerWatcher<T> {
  list(options: {
    limit?: number;
    continue?: string;
    resourceVersion?: string;
    signal?: AbortSignal;
  }): Promise<KubeList<T & KubeObject>>;
  watch(options: {
    resourceVersion: string;
    allowWatchBookmarks: boolean;
    timeoutSeconds?: number;
    signal: AbortSignal;
  }): AsyncIterable<WatchEvent<T>>;
}

/** cache.DeletedFinalStateUnknown: an object deleted while the watch was down; `obj` may be stale. */
export interface DeletedFinalStateUnknown<T> {
  readonly tombstone: true;
  readonly key: string;
  readonly obj: T;
}

export function isTombstone<T>(v: T | DeletedFinalStateUnknown<T>): v is DeletedFinalStateUnknown<T> {
  return typeof v === 'object' && v !== null && (v as { tombstone?: unknown }).tombstone === true;
}

/** cache.ResourceEventHandlerFuncs. Handlers should only compute a key and enqueue it. */
export interface EventHandler<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface InformerOptions<T extends KubeObject> {
  readonly source: ListerWatcher<T>;
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
  /** Name in logs, e.g. `configmaps`. */
  readonly name?: string;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** List page size (the reflector's 500). */
  readonly pageSize?: number;
  /** Passed as the watch's timeoutSeconds; the server's default is 30–60 min. */
  readonly watchTimeoutSeconds?: number;
  /** Relist backoff (the reflector's 800 ms → 30 s), jittered. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly random?: () => number;
}

export class SharedInformer<T extends KubeObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private readonly source: ListerWatcher<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly name: string;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly watchTimeoutSeconds: number | undefined;
  private readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  private readonly random: () => number;
  private synced = false;
  private readonly syncWaiters = new Set<() => void>();
  private started = false;
  private rv = '';

  constructor(options: InformerOptions<T>) {
    this.source = options.source;
    this.indexer = new Indexer<T>(options.indexers);
    this.lister = new Lister<T>(this.indexer);
    this.name = options.name ?? 'informer';
    this.log = options.log;
    this.clock = options.clock ?? realClock;
    this.pageSize = options.pageSize ?? 500;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds;
    this.backoff = options.backoff ?? { initialMs: 800, maxMs: 30_000 };
    this.random = options.random ?? Math.random;
  }

  /**
   * Registers handlers; returns a function that removes them. Handlers added after the first list
   * get the cached objects as adds first, as upstream's AddEventHandler does.
   */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced)
      for (const obj of this.indexer.list()) this.call('onAdd', () => handler.onAdd?.(obj, true));
    return () => this.handlers.delete(handler);
  }

  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    this.indexer.addIndexers(indexers);
  }

  /** Whether the first list has been applied (HasSynced). */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion of the last list or event applied (LastSyncResourceVersion). */
  get lastSyncResourceVersion(): string {
    return this.rv;
  }

  /** Resolves true once synced, false if `signal` aborts first (WaitForCacheSync). */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.syncWaiters.delete(done);
        resolve(false);
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      this.syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lists and watches until `signal` aborts. Runs once per informer. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer ${this.name} is already running`);
    this.started = true;
    let failures = 0;
    const wait = async (): Promise<void> => {
      const base = Math.min(this.backoff.initialMs * 2 ** failures, this.backoff.maxMs);
      failures++;
      // wait.Jitter with factor 1: between base and twice base.
      await this.clock.sleep(base * (1 + this.random()), signal);
    };
    while (!signal.aborted) {
      try {
        await this.relist(signal);
        failures = 0;
      } catch (e: unknown) {
        if (signal.aborted) break;
        this.log?.warn('list failed', { informer: this.name, error: errorText(e) });
        await wait();
        continue;
      }
      // Watch until the version expires; a clean end (timeoutSeconds) just re-watches.
      while (!signal.aborted) {
        try {
          const started = this.clock.now();
          const events = await this.watchOnce(signal);
          if (events > 0) failures = 0;
          // The reflector's "very short watch": ended at once with nothing in it; do not spin.
          else if (!signal.aborted && this.clock.now() - started < 1000) await wait();
        } catch (e: unknown) {
          if (signal.aborted) break;
          if (isExpired(e)) {
            this.log?.info('watch expired, relisting', { informer: this.name, resourceVersion: this.rv });
            await wait();
            break;
          }
          this.log?.warn('watch failed', { informer: this.name, error: errorText(e) });
          await wait();
        }
      }
    }
  }

  /** Lists every page at the first page's version, then replaces the cache with the result. */
  private async relist(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.source.list({ limit: this.pageSize, continue: cont, signal });
      if (rv === '') rv = page.metadata.resourceVersion ?? '';
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
    } while (cont !== undefined && !signal.aborted);
    if (signal.aborted) return;
    this.replace(items, rv);
  }

  /** DeltaFIFO.Replace: adds, updates for changed versions, tombstoned deletes for the missing. */
  private replace(items: readonly T[], rv: string): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.indexer.upsert(obj);
      if (old === undefined) this.emit('onAdd', (h) => h.onAdd?.(obj, initial));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
        this.emit('onUpdate', (h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.remove(key)!;
      const tombstone: DeletedFinalStateUnknown<T> = { tombstone: true, key, obj: old };
      this.emit('onDelete', (h) => h.onDelete?.(tombstone));
    }
    this.rv = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of [...this.syncWaiters]) w();
      this.syncWaiters.clear();
    }
    this.log?.debug('listed', { informer: this.name, items: items.length, resourceVersion: rv });
  }

  /** One watch from the current version; returns how many events it delivered. */
  private async watchOnce(signal: AbortSignal): Promise<number> {
    let n = 0;
    const events = this.source.watch({
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      ...(this.watchTimeoutSeconds !== undefined && { timeoutSeconds: this.watchTimeoutSeconds }),
      signal,
    });
    for await (const e of events) {
      n++;
      this.apply(e);
      if (signal.aborted) break;
    }
    return n;
  }

  private apply(e: WatchEvent<T>): void {
    const obj = e.object;
    const rv = obj.metadata.resourceVersion;
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const old = this.indexer.upsert(obj);
        if (old === undefined) this.emit('onAdd', (h) => h.onAdd?.(obj, false));
        else this.emit('onUpdate', (h) => h.onUpdate?.(old, obj));
        break;
      }
      case 'DELETED': {
        const old = this.indexer.remove(objectKey(obj));
        // The watch's final state is newer than the cached one.
        if (old !== undefined) this.emit('onDelete', (h) => h.onDelete?.(obj));
        break;
      }
      case 'BOOKMARK':
        break;
    }
    if (rv !== undefined && rv !== '') this.rv = rv;
  }

  private emit(what: keyof EventHandler<T>, fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) this.call(what, () => fn(h));
  }

  // A throwing handler must not stop the informer or the other handlers.
  private call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e: unknown) {
      this.log?.error('event handler failed', { informer: this.name, handler: what, error: errorText(e) });
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
