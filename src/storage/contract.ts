// The one contract suite every Store backend passes (ARCHITECTURE.md, Storage contract).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError, prefixEnd, type Store, type Watch, type WatchEvent } from './types.ts';

export interface ContractBackend {
  readonly name: string;
  /** A fresh, empty store. `retainRevisions: 0` turns automatic compaction off. */
  open(options?: { retainRevisions?: number }): Promise<Store>;
  /** Closes the store and opens the same database again; absent for backends without persistence. */
  reopen?: (store: Store) => Promise<Store>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const v = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : dec.decode(b));

/** Reads events from a watch until `count` have arrived (or fails after `ms`). */
export async function collect(watch: Watch, count: number, ms = 5000): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const timer = setTimeout(() => watch.close(), ms);
  try {
    for await (const batch of watch) {
      events.push(...batch);
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

async function rejectsWith(p: Promise<unknown>, code: Parameters<typeof isStorageError>[1]): Promise<void> {
  await assert.rejects(p, (e: unknown) => isStorageError(e, code));
}

export function storeContract(backend: ContractBackend): void {
  const withStore = async (
    fn: (s: Store) => Promise<Store | undefined>,
    options?: { retainRevisions?: number },
  ): Promise<void> => {
    let s = await backend.open({ retainRevisions: 0, ...options });
    try {
      s = (await fn(s)) ?? s;
    } finally {
      await s.close();
    }
  };

  describe(`store contract: ${backend.name}`, () => {
    it('gives every write a new, strictly increasing revision and tracks versions', () =>
      withStore(async (s) => {
        const r0 = s.currentRevision();
        const a = await s.create('/a', v('1'));
        assert.ok(a.succeeded);
        assert.equal(a.revision, r0 + 1);
        assert.deepEqual(
          { ...a.kv, value: text(a.kv?.value) },
          {
            key: '/a',
            value: '1',
            createRevision: r0 + 1,
            modRevision: r0 + 1,
            version: 1,
            lease: 0,
          },
        );
        const b = await s.update('/a', v('2'), a.revision);
        assert.ok(b.succeeded);
        assert.equal(b.revision, r0 + 2);
        assert.equal(b.kv?.createRevision, r0 + 1);
        assert.equal(b.kv?.version, 2);
        const got = await s.get('/a');
        assert.equal(got.revision, r0 + 2);
        assert.equal(text(got.kv?.value), '2');
        assert.equal(s.currentRevision(), r0 + 2);
        return undefined;
      }));

    it('refuses a create of an existing key and reports what is there', () =>
      withStore(async (s) => {
        const a = await s.create('/k', v('first'));
        const again = await s.create('/k', v('second'));
        assert.equal(again.succeeded, false);
        assert.equal(again.revision, a.revision);
        assert.equal(text(again.kv?.value), 'first');
        assert.equal(again.kv?.modRevision, a.revision);
        return undefined;
      }));

    it('updates and deletes only on a matching mod revision', () =>
      withStore(async (s) => {
        const a = await s.create('/k', v('1'));
        const b = await s.update('/k', v('2'), a.revision);
        const stale = await s.update('/k', v('3'), a.revision);
        assert.equal(stale.succeeded, false);
        assert.equal(text(stale.kv?.value), '2');
        assert.equal(stale.kv?.modRevision, b.revision);
        const staleDelete = await s.delete('/k', a.revision);
        assert.equal(staleDelete.succeeded, false);
        assert.equal(staleDelete.kv?.modRevision, b.revision);
        const del = await s.delete('/k', b.revision);
        assert.ok(del.succeeded);
        assert.equal(text(del.kv?.value), '2', 'a delete reports the value it removed');
        assert.equal(del.revision, b.revision + 1);
        assert.equal((await s.get('/k')).kv, undefined);
        const missing = await s.update('/k', v('4'), b.revision);
        assert.equal(missing.succeeded, false);
        assert.equal(missing.kv, undefined);
        const missingDelete = await s.delete('/k');
        assert.equal(missingDelete.succeeded, false);
        // Re-creating a deleted key starts a new life: new create revision, version 1.
        const re = await s.create('/k', v('5'));
        assert.ok(re.succeeded);
        assert.equal(re.kv?.createRevision, re.revision);
        assert.equal(re.kv?.version, 1);
        const unconditional = await s.delete('/k');
        assert.ok(unconditional.succeeded);
        return undefined;
      }));

    it('reads the past: get and range at a revision', () =>
      withStore(async (s) => {
        const a = await s.create('/p/a', v('a1'));
        const b = await s.create('/p/b', v('b1'));
        await s.update('/p/a', v('a2'), a.revision);
        await s.delete('/p/b', b.revision);
        assert.equal(text((await s.get('/p/a', { revision: a.revision })).kv?.value), 'a1');
        assert.equal((await s.get('/p/b', { revision: a.revision })).kv, undefined);
        assert.equal(text((await s.get('/p/b', { revision: b.revision })).kv?.value), 'b1');
        const then = await s.range({ key: '/p/', rangeEnd: prefixEnd('/p/') }, { revision: b.revision });
        assert.deepEqual(
          then.kvs.map((kv) => [kv.key, text(kv.value)]),
          [
            ['/p/a', 'a1'],
            ['/p/b', 'b1'],
          ],
        );
        assert.equal(then.revision, b.revision);
        const now = await s.range({ key: '/p/', rangeEnd: prefixEnd('/p/') });
        assert.deepEqual(
          now.kvs.map((kv) => [kv.key, text(kv.value)]),
          [['/p/a', 'a2']],
        );
        await rejectsWith(s.get('/p/a', { revision: s.currentRevision() + 5 }), 'future-revision');
        return undefined;
      }));

    it('ranges over a prefix in key order with limit, count and a continuation at one revision', () =>
      withStore(async (s) => {
        for (let i = 0; i < 25; i++) await s.create(`/r/${String(i).padStart(2, '0')}`, v(String(i)));
        await s.create('/q', v('outside'));
        await s.create('/s', v('outside'));
        const range = { key: '/r/', rangeEnd: prefixEnd('/r/') };
        const first = await s.range(range, { limit: 10 });
        assert.equal(first.kvs.length, 10);
        assert.equal(first.more, true);
        assert.equal(first.count, 25);
        // Writes after the first page must not show in the continuation.
        await s.create('/r/05a', v('late'));
        await s.delete('/r/20');
        const seen = first.kvs.map((kv) => kv.key);
        let page = first;
        while (page.more) {
          const last = page.kvs[page.kvs.length - 1]!.key;
          page = await s.range(
            { key: `${last}\0`, rangeEnd: range.rangeEnd },
            { limit: 10, revision: first.revision },
          );
          seen.push(...page.kvs.map((kv) => kv.key));
        }
        assert.deepEqual(
          seen,
          Array.from({ length: 25 }, (_, i) => `/r/${String(i).padStart(2, '0')}`),
        );
        assert.equal((await s.range(range, { countOnly: true })).count, 25, 'one created, one deleted');
        assert.equal((await s.range(range, { countOnly: true })).kvs.length, 0);
        const single = await s.range({ key: '/r/05' });
        assert.deepEqual(
          single.kvs.map((kv) => kv.key),
          ['/r/05'],
        );
        const open = await s.range({ key: '/r/24', rangeEnd: '\0' });
        assert.deepEqual(
          open.kvs.map((kv) => kv.key),
          ['/r/24', '/s'],
        );
        const exact = await s.range(range, { limit: 25 });
        assert.equal(exact.more, false);
        const uncounted = await s.range(range, { limit: 10, skipCount: true, revision: first.revision });
        assert.equal(uncounted.more, true, 'skipCount still says whether there is more');
        assert.deepEqual(
          uncounted.kvs.map((kv) => kv.key),
          first.kvs.map((kv) => kv.key),
        );
        return undefined;
      }));

    it('lets exactly one of many concurrent compare-and-swaps win', () =>
      withStore(async (s) => {
        const a = await s.create('/cas', v('0'));
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => s.update('/cas', v(String(i + 1)), a.revision)),
        );
        assert.equal(results.filter((r) => r.succeeded).length, 1);
        const creates = await Promise.all(
          Array.from({ length: 20 }, (_, i) => s.create('/once', v(String(i)))),
        );
        assert.equal(creates.filter((r) => r.succeeded).length, 1);
        // Concurrent increments with retry: no update is lost.
        const increment = async (): Promise<void> => {
          for (;;) {
            const cur = await s.get('/counter');
            const n = Number(text(cur.kv?.value) ?? '0');
            const r =
              cur.kv === undefined
                ? await s.create('/counter', v('1'))
                : await s.update('/counter', v(String(n + 1)), cur.kv.modRevision);
            if (r.succeeded) return;
          }
        };
        await Promise.all(Array.from({ length: 30 }, increment));
        assert.equal(text((await s.get('/counter')).kv?.value), '30');
        return undefined;
      }));

    it('watches from an old revision: every change in order, with previous values, then live ones', () =>
      withStore(async (s) => {
        const a = await s.create('/w/a', v('1'));
        await s.create('/other', v('x'));
        const b = await s.update('/w/a', v('2'), a.revision);
        await s.delete('/w/a', b.revision);
        const w = s.watch({ key: '/w/', rangeEnd: prefixEnd('/w/'), startRevision: a.revision });
        const live = (async () => {
          await s.create('/w/b', v('3'));
          await s.create('/x', v('not watched'));
          await s.create('/w/c', v('4'));
        })();
        const events = await collect(w, 5);
        await live;
        w.close();
        assert.deepEqual(
          events.map((e) => [e.type, e.kv.key, text(e.kv.value), text(e.prevKv?.value)]),
          [
            ['put', '/w/a', '1', undefined],
            ['put', '/w/a', '2', '1'],
            ['delete', '/w/a', '', '2'],
            ['put', '/w/b', '3', undefined],
            ['put', '/w/c', '4', undefined],
          ],
        );
        const revisions = events.map((e) => e.kv.modRevision);
        assert.deepEqual(
          revisions,
          [...revisions].sort((x, y) => x - y),
        );
        assert.equal(new Set(revisions).size, revisions.length);
        return undefined;
      }));

    it('watches one key, and only changes after now without a start revision', () =>
      withStore(async (s) => {
        await s.create('/one', v('before'));
        const w = s.watch({ key: '/one' });
        const cur = await s.get('/one');
        await s.create('/one-two', v('other key'));
        await s.update('/one', v('after'), cur.kv!.modRevision);
        const [e] = await collect(w, 1);
        w.close();
        assert.equal(e?.type, 'put');
        assert.equal(text(e?.kv.value), 'after');
        assert.equal(text(e?.prevKv?.value), 'before');
        return undefined;
      }));

    it('ends a watch when its signal aborts or it is closed', () =>
      withStore(async (s) => {
        const ac = new AbortController();
        const w = s.watch({ key: '/a', rangeEnd: '/b' }, ac.signal);
        setTimeout(() => ac.abort(), 20);
        const events = await collect(w, 1, 2000);
        assert.equal(events.length, 0);
        return undefined;
      }));

    it('cuts off a watcher that falls too far behind, without stalling writers', () =>
      withStore(async (s) => {
        const w = s.watch({ key: '/slow/', rangeEnd: prefixEnd('/slow/'), maxPending: 10 });
        for (let i = 0; i < 20; i++) await s.create(`/slow/${i}`, v('x'));
        await assert.rejects(
          (async () => {
            for await (const _ of w) {
              // never keeps up
            }
          })(),
          (e: unknown) => isStorageError(e, 'slow-watcher'),
        );
        return undefined;
      }));

    it('compacts history: old revisions fail with compacted, latest values survive', () =>
      withStore(async (s) => {
        const a = await s.create('/c/a', v('1'));
        const b = await s.update('/c/a', v('2'), a.revision);
        const gone = await s.create('/c/gone', v('x'));
        await s.delete('/c/gone', gone.revision);
        const keep = await s.create('/c/keep', v('k'));
        await s.update('/c/a', v('3'), b.revision);
        await s.compact(keep.revision);
        assert.equal(s.compactedRevision(), keep.revision);
        await rejectsWith(s.get('/c/a', { revision: a.revision }), 'compacted');
        await rejectsWith(
          s.range({ key: '/c/', rangeEnd: prefixEnd('/c/') }, { revision: b.revision }),
          'compacted',
        );
        const atCompact = await s.range(
          { key: '/c/', rangeEnd: prefixEnd('/c/') },
          { revision: keep.revision },
        );
        assert.deepEqual(
          atCompact.kvs.map((kv) => [kv.key, text(kv.value)]),
          [
            ['/c/a', '2'],
            ['/c/keep', 'k'],
          ],
        );
        const now = await s.range({ key: '/c/', rangeEnd: prefixEnd('/c/') });
        assert.deepEqual(
          now.kvs.map((kv) => [kv.key, text(kv.value)]),
          [
            ['/c/a', '3'],
            ['/c/keep', 'k'],
          ],
        );
        const w = s.watch({ key: '/c/', rangeEnd: prefixEnd('/c/'), startRevision: b.revision });
        await assert.rejects(collect(w, 1), (e: unknown) => isStorageError(e, 'compacted'));
        const after = s.watch({ key: '/c/', rangeEnd: prefixEnd('/c/'), startRevision: keep.revision + 1 });
        const [e] = await collect(after, 1);
        assert.equal(text(e?.kv.value), '3');
        assert.equal(text(e?.prevKv?.value), '2', 'the previous value of a post-compaction event survives');
        // A deleted key is gone for good, and can be created again.
        assert.ok((await s.create('/c/gone', v('again'))).succeeded);
        return undefined;
      }));

    it('compacts automatically so history stays bounded under churn', () =>
      withStore(
        async (s) => {
          const revs = new Map<string, number>();
          for (let i = 0; i < 10; i++)
            revs.set(`/churn/${i}`, (await s.create(`/churn/${i}`, v('0'))).revision);
          for (let round = 1; round <= 100; round++) {
            await Promise.all(
              [...revs].map(async ([k, rev]) => {
                const r = await s.update(k, v(String(round)), rev);
                assert.ok(r.succeeded);
                revs.set(k, r.revision);
              }),
            );
          }
          // 1,010 writes with 50 revisions retained: all but the recent history is compacted.
          assert.ok(s.compactedRevision() >= s.currentRevision() - 100, `compacted ${s.compactedRevision()}`);
          await rejectsWith(s.get('/churn/0', { revision: 1 }), 'compacted');
          const all = await s.range({ key: '/churn/', rangeEnd: prefixEnd('/churn/') });
          assert.deepEqual(new Set(all.kvs.map((kv) => text(kv.value))), new Set(['100']));
          return undefined;
        },
        { retainRevisions: 50 },
      ));

    it('expires keys with their lease, and keeps them while it is kept alive', () =>
      withStore(async (s) => {
        const lease = await s.grantLease(1);
        assert.equal(lease.ttl, 1);
        const leased = await s.create('/l/ephemeral', v('e'), { lease: lease.id });
        assert.equal(leased.kv?.lease, lease.id);
        await s.create('/l/stays', v('s'));
        const kept = await s.grantLease(1);
        await s.create('/l/kept', v('k'), { lease: kept.id });
        const w = s.watch({ key: '/l/', rangeEnd: prefixEnd('/l/'), startRevision: s.currentRevision() + 1 });
        for (let i = 0; i < 4; i++) {
          await new Promise((r) => setTimeout(r, 400));
          assert.ok(await s.keepAliveLease(kept.id));
        }
        const [e] = await collect(w, 1, 3000);
        assert.equal(e?.type, 'delete');
        assert.equal(e?.kv.key, '/l/ephemeral');
        assert.equal((await s.get('/l/ephemeral')).kv, undefined);
        assert.equal(text((await s.get('/l/kept')).kv?.value), 'k');
        assert.equal(await s.keepAliveLease(lease.id), false, 'an expired lease is gone');
        await rejectsWith(s.create('/l/late', v('x'), { lease: lease.id }), 'lease-not-found');
        await s.revokeLease(kept.id);
        assert.equal((await s.get('/l/kept')).kv, undefined);
        assert.equal(text((await s.get('/l/stays')).kv?.value), 's');
        await rejectsWith(s.revokeLease(kept.id), 'lease-not-found');
        return undefined;
      }));

    it('rejects bad arguments and anything after close', async () => {
      const s = await backend.open({ retainRevisions: 0 });
      await rejectsWith(s.create('', v('x')), 'invalid');
      await rejectsWith(s.grantLease(0), 'invalid');
      const w = s.watch({ key: '/z' });
      await s.close();
      await assert.rejects(collect(w, 1), (e: unknown) => isStorageError(e, 'closed'));
      await rejectsWith(s.create('/after', v('x')), 'closed');
      await rejectsWith(s.get('/after'), 'closed');
    });

    const reopen = backend.reopen;
    if (reopen !== undefined) {
      it('keeps everything across a reopen: data, revision, compaction, leases', () =>
        withStore(async (s0) => {
          const a = await s0.create('/re/a', v('1'));
          await s0.update('/re/a', v('2'), a.revision);
          const lease = await s0.grantLease(60);
          await s0.create('/re/leased', v('l'), { lease: lease.id });
          await s0.compact(a.revision);
          const rev = s0.currentRevision();
          const s = await reopen(s0);
          assert.equal(s.currentRevision(), rev);
          assert.equal(s.compactedRevision(), a.revision);
          assert.equal(text((await s.get('/re/a')).kv?.value), '2');
          assert.ok(await s.keepAliveLease(lease.id));
          const next = await s.create('/re/b', v('3'));
          assert.equal(next.revision, rev + 1);
          return s;
        }));
    }
  });
}
