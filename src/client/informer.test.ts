import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeList, KubeObject } from '../api/meta.ts';
import { expired } from '../api/status.ts';
import { FakeClock, flushMicrotasks } from './clock.ts';
import { ApiError } from './errors.ts';
import {
  type DeletedFinalStateUnknown,
  isTombstone,
  type ListerWatcher,
  SharedInformer,
} from './informer.ts';
import type { WatchEvent } from './resource.ts';

/** An async iterable the test pushes into. */
class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private ended = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(v: T): void {
    this.items.push(v);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  fail(e: unknown): void {
    this.error = e;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.error !== undefined) throw this.error;
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

type Opts = Parameters<ListerWatcher<KubeObject>['watch']>[0];

class FakeSource implements ListerWatcher<KubeObject> {
  readonly objects = new Map<string, KubeObject>();
  rv = 10;
  lists: Array<{ limit?: number; continue?: string }> = [];
  watches: Array<{ opts: Opts; channel: Channel<WatchEvent<KubeObject>> }> = [];
  failLists = 0;

  set(name: string, data: string): KubeObject {
    const obj = { metadata: { namespace: 'ns', name, resourceVersion: String(++this.rv) }, data };
    this.objects.set(name, obj);
    return obj;
  }
  async list(o: { limit?: number; continue?: string }): Promise<KubeList<KubeObject>> {
    this.lists.push({ limit: o.limit, continue: o.continue });
    if (this.failLists > 0) {
      this.failLists--;
      throw new Error('connection refused');
    }
    const all = [...this.objects.values()].toSorted((a, b) =>
      a.metadata.name!.localeCompare(b.metadata.name!),
    );
    const start = Number(o.continue ?? 0);
    const end = start + (o.limit ?? all.length);
    return {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata: { resourceVersion: String(this.rv), ...(end < all.length && { continue: String(end) }) },
      items: all.slice(start, end),
    };
  }
  watch(opts: Opts): AsyncIterable<WatchEvent<KubeObject>> {
    const channel = new Channel<WatchEvent<KubeObject>>();
    this.watches.push({ opts, channel });
    opts.signal.addEventListener('abort', () => channel.end());
    return channel;
  }
  get current(): Channel<WatchEvent<KubeObject>> {
    return this.watches.at(-1)!.channel;
  }
}

function recorder(): {
  log: string[];
  handler: Parameters<SharedInformer<KubeObject>['addEventHandler']>[0];
} {
  const log: string[] = [];
  const name = (o: KubeObject | DeletedFinalStateUnknown<KubeObject>): string =>
    isTombstone(o) ? `tombstone:${o.key}` : o.metadata.name!;
  return {
    log,
    handler: {
      onAdd: (o, initial) => log.push(`add ${name(o)}${initial ? ' (initial)' : ''}`),
      onUpdate: (a, b) => log.push(`update ${name(b)} ${String(a['data'])}->${String(b['data'])}`),
      onDelete: (o) => log.push(`delete ${name(o)}`),
    },
  };
}

async function until(cond: () => boolean, clock?: FakeClock): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    if (clock !== undefined) await clock.advance(100);
    else await flushMicrotasks();
  }
  assert.fail('condition not reached');
}

function setup(): { src: FakeSource; clock: FakeClock; inf: SharedInformer<KubeObject>; log: string[] } {
  const src = new FakeSource();
  const clock = new FakeClock();
  const inf = new SharedInformer<KubeObject>({ source: src, clock, pageSize: 2, random: () => 0 });
  const { log, handler } = recorder();
  inf.addEventHandler(handler);
  return { src, clock, inf, log };
}

describe('SharedInformer', () => {
  it('lists in pages at one version, syncs, then watches from it with bookmarks', async () => {
    const { src, inf, log } = setup();
    for (const n of ['a', 'b', 'c', 'd', 'e']) src.set(n, '1');
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    assert.equal(await inf.waitForSync(ac.signal), true);
    assert.equal(inf.hasSynced(), true);
    assert.deepEqual(
      src.lists.map((l) => l.continue),
      [undefined, '2', '4'],
    );
    assert.ok(src.lists.every((l) => l.limit === 2));
    assert.deepEqual(
      log,
      ['a', 'b', 'c', 'd', 'e'].map((n) => `add ${n} (initial)`),
    );
    await until(() => src.watches.length === 1);
    assert.equal(src.watches[0]!.opts.resourceVersion, '15');
    assert.equal(src.watches[0]!.opts.allowWatchBookmarks, true);
    assert.equal(inf.lister.list().length, 5);
    ac.abort();
    await running;
  });

  it('applies watch events to the cache and handlers; bookmarks only move the version', async () => {
    const { src, inf, log } = setup();
    src.set('a', '1');
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    await until(() => src.watches.length === 1);
    log.length = 0;
    src.current.push({ type: 'ADDED', object: src.set('b', '1') });
    src.current.push({ type: 'MODIFIED', object: src.set('a', '2') });
    const deleted = {
      ...src.objects.get('b')!,
      metadata: { ...src.objects.get('b')!.metadata, resourceVersion: '99' },
    };
    src.current.push({ type: 'DELETED', object: deleted });
    src.current.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '120' } } });
    await until(() => inf.lastSyncResourceVersion === '120');
    assert.deepEqual(log, ['add b', 'update a 1->2', 'delete b']);
    assert.deepEqual(
      inf.lister.list().map((o) => o.metadata.name),
      ['a'],
    );
    assert.equal(inf.lister.get('ns', 'a')?.['data'], '2');
    ac.abort();
    await running;
  });

  it('re-watches from the last version when the server ends the watch, without relisting', async () => {
    const { src, clock, inf } = setup();
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    await until(() => src.watches.length === 1);
    src.current.push({ type: 'ADDED', object: src.set('x', '1') });
    await flushMicrotasks();
    src.current.end();
    await until(() => src.watches.length === 2, clock);
    assert.equal(src.watches[1]!.opts.resourceVersion, '11');
    assert.equal(src.lists.length, 1);
    ac.abort();
    await running;
  });

  it('relists after 410 Expired with backoff and emits the difference', async () => {
    const { src, clock, inf, log } = setup();
    src.set('keep', '1');
    src.set('change', '1');
    src.set('gone', '1');
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    await until(() => src.watches.length === 1);
    log.length = 0;
    // Meanwhile, changes the watch never delivered:
    src.set('change', '2');
    src.objects.delete('gone');
    src.set('new', '1');
    src.current.fail(new ApiError(expired('too old resource version: 13 (20)')));
    await flushMicrotasks();
    assert.equal(src.lists.length, 2, 'no relist before the backoff');
    await until(() => src.lists.length === 4, clock);
    await until(() => src.watches.length === 2);
    assert.deepEqual(log.toSorted(), ['add new', 'delete tombstone:ns/gone', 'update change 1->2']);
    assert.equal(src.watches[1]!.opts.resourceVersion, String(src.rv));
    assert.deepEqual(
      inf.lister
        .list()
        .map((o) => o.metadata.name)
        .toSorted(),
      ['change', 'keep', 'new'],
    );
    ac.abort();
    await running;
  });

  it('retries a failed list with growing backoff', async () => {
    const { src, clock, inf } = setup();
    src.failLists = 2;
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    await flushMicrotasks();
    assert.equal(src.lists.length, 1);
    assert.equal(inf.hasSynced(), false);
    await clock.advance(799);
    assert.equal(src.lists.length, 1);
    await clock.advance(1);
    assert.equal(src.lists.length, 2);
    await clock.advance(1599);
    assert.equal(src.lists.length, 2);
    await clock.advance(1);
    assert.equal(inf.hasSynced(), true);
    ac.abort();
    await running;
  });

  it('replays the cache to late handlers and survives a throwing handler', async () => {
    const { src, inf } = setup();
    src.set('a', '1');
    const ac = new AbortController();
    const running = inf.run(ac.signal);
    await until(() => src.watches.length === 1);
    inf.addEventHandler({
      onAdd: () => {
        throw new Error('bad handler');
      },
    });
    const late = recorder();
    inf.addEventHandler(late.handler);
    assert.deepEqual(late.log, ['add a (initial)']);
    src.current.push({ type: 'ADDED', object: src.set('b', '1') });
    await until(() => late.log.length === 2);
    assert.deepEqual(late.log, ['add a (initial)', 'add b']);
    ac.abort();
    await running;
  });

  it('waitForSync resolves false when aborted first', async () => {
    const { inf } = setup();
    const ac = new AbortController();
    const waiting = inf.waitForSync(ac.signal);
    ac.abort();
    assert.equal(await waiting, false);
  });
});
