// The watch cache (upstream's apiserver/pkg/storage/cacher): one store watch per resource, a
// window of recent events, and fan-out to every API watcher, so a thousand watchers cost one
// store watch. Each event's JSON is encoded once, whoever receives it.
import type { KubeObject } from '../../api/meta.ts';
import { prefixEnd, type WatchEvent } from '../../storage/index.ts';
import { decodeObject, type ObjectStore } from './object-store.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CachedEvent {
  readonly type: EventType;
  readonly object: KubeObject;
  /** The object before this change (for MODIFIED and DELETED); selectors need it upstream-style. */
  readonly prevObject: KubeObject | undefined;
  readonly revision: number;
}

export interface Subscription {
  close(): void;
}

export interface Subscriber {
  onEvents(events: readonly CachedEvent[]): void;
  /** The cache lost its store watch; the API watch ends and the client re-watches. */
  onError(error: unknown): void;
}

/** How many recent events each resource keeps for watchers that start from an older version. */
const defaultCapacity = 1000;

export class WatchCache {
  private readonly objects: ObjectStore;
  private readonly capacity: number;
  private readonly buffer: CachedEvent[] = [];
  private readonly subscribers = new Set<{ since: number; sub: Subscriber }>();
  private running: AbortController | undefined;
  /** Events with revisions above this are all in the buffer or still to come. */
  private coveredFrom = 0;
  private latest = 0;

  constructor(objects: ObjectStore, capacity = defaultCapacity) {
    this.objects = objects;
    this.capacity = capacity;
  }

  /** The newest revision the cache has seen (for bookmarks). */
  get revision(): number {
    return this.latest;
  }

  /**
   * Delivers every event with revision > `since`. Returns undefined when the cache no longer
   * holds events that old; the caller then reads them from the store (or answers 410).
   */
  subscribe(since: number, sub: Subscriber): Subscription | undefined {
    this.ensureRunning();
    if (since < this.coveredFrom) return undefined;
    const entry = { since, sub };
    const backlog = this.buffer.filter((e) => e.revision > since);
    this.subscribers.add(entry);
    if (backlog.length > 0) sub.onEvents(backlog);
    return { close: () => this.subscribers.delete(entry) };
  }

  stop(): void {
    this.running?.abort();
    this.running = undefined;
  }

  private ensureRunning(): void {
    if (this.running !== undefined) return;
    const ac = new AbortController();
    this.running = ac;
    const store = this.objects.store;
    const start = store.currentRevision();
    this.coveredFrom = start;
    this.latest = Math.max(this.latest, start);
    this.buffer.length = 0;
    const prefix = this.objects.prefix();
    // Registration is synchronous, so no write after `start` can be missed.
    const watch = store.watch(
      { key: prefix, rangeEnd: prefixEnd(prefix), startRevision: start + 1 },
      ac.signal,
    );
    (async () => {
      try {
        for await (const batch of watch) this.dispatch(batch.map(toCachedEvent));
      } catch (e: unknown) {
        // Slow or closed: the next subscriber starts a fresh store watch.
        if (this.running === ac) this.running = undefined;
        for (const s of [...this.subscribers]) s.sub.onError(e);
        this.subscribers.clear();
      }
    })();
  }

  private dispatch(events: CachedEvent[]): void {
    if (events.length === 0) return;
    this.buffer.push(...events);
    if (this.buffer.length > this.capacity) {
      const dropped = this.buffer.splice(0, this.buffer.length - this.capacity);
      this.coveredFrom = dropped[dropped.length - 1]!.revision;
    }
    this.latest = events[events.length - 1]!.revision;
    const first = events[0]!.revision;
    for (const s of this.subscribers) {
      // A subscriber that started past some of these (it listed at a newer revision) skips them.
      s.sub.onEvents(s.since >= first ? events.filter((e) => e.revision > s.since) : events);
    }
  }
}

export function toCachedEvent(e: WatchEvent): CachedEvent {
  const prevObject = e.prevKv === undefined ? undefined : decodeObject(e.prevKv);
  if (e.type === 'delete') {
    // The object as it was, at the delete's resourceVersion (upstream does the same).
    const object = decodeObject(e.prevKv ?? e.kv);
    object.metadata.resourceVersion = String(e.kv.modRevision);
    return { type: 'DELETED', object, prevObject, revision: e.kv.modRevision };
  }
  return {
    type: prevObject === undefined ? 'ADDED' : 'MODIFIED',
    object: decodeObject(e.kv),
    prevObject,
    revision: e.kv.modRevision,
  };
}
