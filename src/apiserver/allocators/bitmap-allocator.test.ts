import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore, type Store } from '../../storage/index.ts';
import { AllocationError, Bitmap, BitmapAllocator } from './bitmap-allocator.ts';
import { parseCidr, parsePortRange } from './ip-range.ts';

const key = '/registry/ranges/serviceips';

describe('Bitmap', () => {
  it("encodes as Go's big.Int bytes (big-endian) and back", () => {
    const b = new Bitmap(20);
    b.set(0, true);
    assert.equal(b.encode(), Buffer.from([1]).toString('base64'));
    b.set(9, true);
    assert.equal(b.encode(), Buffer.from([2, 1]).toString('base64'));
    const back = Bitmap.decode(20, b.encode());
    assert.deepEqual(back.offsets(), [0, 9]);
    assert.ok(back.equals(b));
    assert.equal(new Bitmap(20).encode(), '');
    assert.equal(Bitmap.decode(4, Buffer.from([0xff]).toString('base64')).count(), 4);
  });
});

describe('BitmapAllocator', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore('memory://', { dataDir: '/tmp/unused' });
  });
  afterEach(() => store.close());

  const ips = (cidr = '10.43.0.0/29'): BitmapAllocator<string> =>
    new BitmapAllocator({ store, key, range: parseCidr(cidr) });

  it('allocates specific values, refuses taken and out-of-range ones, and releases', async () => {
    const a = ips();
    assert.equal(await a.allocate('10.43.0.3'), '10.43.0.3');
    await assert.rejects(a.allocate('10.43.0.3'), (e: unknown) => {
      assert.ok(e instanceof AllocationError);
      assert.equal(e.code, 'allocated');
      assert.equal(e.message, 'provided IP is already allocated');
      return true;
    });
    await assert.rejects(a.allocate('10.43.0.0'), { code: 'not-in-range' });
    await assert.rejects(a.allocate('10.43.0.7'), { code: 'not-in-range' });
    assert.deepEqual(await a.values(), ['10.43.0.3']);
    await a.release('10.43.0.3');
    await a.release('10.43.0.3', '1.2.3.4'); // no-ops
    assert.deepEqual(await a.values(), []);
  });

  it('hands out every free value once, then reports the range full', async () => {
    const a = ips();
    const got = new Set<string>();
    for (let i = 0; i < 6; i++) got.add(await a.allocateNext());
    assert.deepEqual([...got].sort(), [
      '10.43.0.1',
      '10.43.0.2',
      '10.43.0.3',
      '10.43.0.4',
      '10.43.0.5',
      '10.43.0.6',
    ]);
    await assert.rejects(a.allocateNext(), { code: 'full', message: 'range is full' });
    await a.release('10.43.0.4');
    assert.equal(await a.allocateNext(), '10.43.0.4');
  });

  it('prefers the upper band for dynamic allocation, the lower band once that is full', async () => {
    const a = ips('10.0.0.0/27'); // 30 addresses, 16 in the lower band
    const r = a.range;
    for (let i = 0; i < 14; i++) assert.ok(r.offsetOf(await a.allocateNext())! >= 16);
    assert.ok(r.offsetOf(await a.allocateNext())! < 16);
  });

  it('persists the bitmap as { range, data } and shares it between instances', async () => {
    await ips().allocate('10.43.0.1');
    await ips().allocate('10.43.0.2');
    const { kv } = await store.get(key);
    const stored = JSON.parse(new TextDecoder().decode(kv!.value)) as { range: string; data: string };
    assert.deepEqual(stored, { range: '10.43.0.0/29', data: Buffer.from([3]).toString('base64') });
    assert.deepEqual(await ips().values(), ['10.43.0.1', '10.43.0.2']);
    // A bitmap of another range reads as empty (the repair rebuilds it).
    assert.deepEqual(await ips('10.43.0.0/28').values(), []);
  });

  it('writes nothing on a dry run or a failed change, and batches a change into one write', async () => {
    const a = ips();
    assert.equal(await a.allocate('10.43.0.2', { dryRun: true }), '10.43.0.2');
    assert.equal((await store.get(key)).kv, undefined);
    const before = store.currentRevision();
    await a.update((x) => [x.allocate('10.43.0.1'), x.allocate('10.43.0.2'), x.allocateNext()]);
    assert.equal(store.currentRevision(), before + 1);
    assert.equal((await a.values()).length, 3);
    await assert.rejects(
      a.update((x) => {
        x.release('10.43.0.1');
        x.allocate('10.43.0.2');
      }),
      { code: 'allocated' },
    );
    assert.equal(store.currentRevision(), before + 1);
  });

  it('never hands out a value twice to allocators racing on one store', async () => {
    let conflicts = 0;
    const update: Store['update'] = async (...args) => {
      const r = await store.update(...args);
      if (!r.succeeded) conflicts++;
      return r;
    };
    const counting = new Proxy(store, {
      get: (target, p) => {
        if (p === 'update') return update;
        const v: unknown = Reflect.get(target, p, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const range = parsePortRange('30000-30099');
    const one = new BitmapAllocator({ store: counting, key: '/registry/ranges/servicenodeports', range });
    const two = new BitmapAllocator({ store: counting, key: '/registry/ranges/servicenodeports', range });
    const take = async (a: BitmapAllocator<number>): Promise<number[]> => {
      const got: number[] = [];
      for (;;) {
        try {
          got.push(await a.allocateNext());
        } catch (e: unknown) {
          if (e instanceof AllocationError && e.code === 'full') return got;
          throw e;
        }
      }
    };
    const results = await Promise.all([take(one), take(two), take(one), take(two)]);
    const all = results.flat();
    assert.equal(all.length, 100);
    assert.equal(new Set(all).size, 100);
    assert.ok(conflicts > 0, 'the racers should have collided at least once');
    // Racing for one specific value: exactly one wins.
    await one.release(30050);
    const outcomes = await Promise.allSettled([
      one.allocate(30050),
      two.allocate(30050),
      one.allocate(30050),
    ]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  });
});
