import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, flushMicrotasks } from './clock.ts';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
} from './rate-limiter.ts';
import { WorkQueue } from './workqueue.ts';

function queue(clock = new FakeClock()): { q: WorkQueue<string>; clock: FakeClock } {
  return { q: new WorkQueue<string>({ clock }), clock };
}

describe('WorkQueue', () => {
  it('dedups keys that are queued', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('hands a key to one worker at a time and requeues it when added during processing', async () => {
    const { q } = queue();
    q.add('a');
    const key = await q.get();
    assert.equal(key, 'a');
    q.add('a');
    q.add('a');
    // Still processing: a second worker must not get it.
    assert.equal(q.length, 0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await flushMicrotasks();
    assert.equal(second, undefined);
    q.done('a');
    await flushMicrotasks();
    assert.equal(second, 'a');
    q.done('a');
    assert.equal(q.length, 0);
  });

  it('wakes a waiting worker on add', async () => {
    const { q } = queue();
    const got = q.get();
    q.add('x');
    assert.equal(await got, 'x');
  });

  it('adds after a delay, keeping the earliest of several delays', async () => {
    const { q, clock } = queue();
    q.addAfter('a', 1000);
    q.addAfter('a', 200);
    q.addAfter('a', 5000);
    assert.equal(q.length, 0);
    await clock.advance(199);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(q.length, 1);
    await clock.advance(10_000);
    assert.equal(q.length, 1);
  });

  it('backs off per key exponentially until forgotten', async () => {
    const { q, clock } = queue();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = clock.now();
      q.addRateLimited('k');
      while (q.length === 0) await clock.advance(1);
      waits.push(clock.now() - before);
      assert.equal(await q.get(), 'k');
      q.done('k');
    }
    assert.deepEqual(waits, [5, 10, 20, 40, 80]);
    assert.equal(q.numRequeues('k'), 5);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });

  it('shutDown refuses adds, drains what is queued, then get returns undefined', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    const waiting = queue().q;
    const pending = waiting.get();
    waiting.shutDown();
    assert.equal(await pending, undefined);
    q.shutDown();
    q.add('d');
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), undefined);
  });

  it('shutDownWithDrain waits for keys in progress', async () => {
    const { q } = queue();
    q.add('a');
    await q.get();
    let drained = false;
    const d = q.shutDownWithDrain().then(() => (drained = true));
    await flushMicrotasks();
    assert.equal(drained, false);
    q.done('a');
    await d;
    assert.equal(drained, true);
  });

  it('run syncs with workers, retries failures with backoff and forgets successes', async () => {
    const { q, clock } = queue();
    const calls: string[] = [];
    let failuresLeft = 2;
    const ac = new AbortController();
    const running = q.run(
      2,
      async (key) => {
        calls.push(key);
        if (key === 'bad' && failuresLeft-- > 0) throw new Error('boom');
      },
      ac.signal,
    );
    q.add('good');
    q.add('bad');
    await flushMicrotasks();
    assert.deepEqual(calls.toSorted(), ['bad', 'good']);
    assert.equal(q.numRequeues('bad'), 1);
    await clock.advance(5);
    await clock.advance(10);
    assert.deepEqual(calls, ['good', 'bad', 'bad', 'bad']);
    assert.equal(q.numRequeues('bad'), 0);
    ac.abort();
    await running;
  });

  it('never runs one key in two workers at once', async () => {
    const { q } = queue();
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const ac = new AbortController();
    const running = q.run(
      4,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => (release = r));
        active--;
      },
      ac.signal,
    );
    q.add('k');
    await flushMicrotasks();
    q.add('k');
    await flushMicrotasks();
    assert.equal(active, 1);
    release();
    await flushMicrotasks();
    assert.equal(active, 1); // the re-add, after the first finished
    ac.abort();
    release();
    await running;
    assert.equal(maxActive, 1);
  });
});

describe('rate limiters', () => {
  it('item exponential: 5 ms doubling, capped at 1000 s', () => {
    const l = new ItemExponentialFailureRateLimiter<string>({ baseMs: 5, maxMs: 1_000_000 });
    const waits = Array.from({ length: 30 }, () => l.when('a'));
    assert.deepEqual(waits.slice(0, 4), [5, 10, 20, 40]);
    assert.equal(waits.at(-1), 1_000_000);
    assert.equal(l.when('b'), 5);
  });

  it('bucket: a burst of 100, then 10 per second', async () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>({ qps: 10, burst: 100, clock });
    for (let i = 0; i < 100; i++) assert.equal(l.when(String(i)), 0);
    assert.equal(Math.round(l.when('x')), 100);
    assert.equal(Math.round(l.when('y')), 200);
    // A second refills 10 tokens: the 2 owed and 8 more.
    await clock.advance(1000);
    for (let i = 0; i < 8; i++) assert.equal(l.when(`z${i}`), 0);
    assert.equal(Math.round(l.when('over')), 100);
  });

  it('the default controller limiter takes the larger of both', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter<string>(clock);
    assert.equal(l.when('a'), 5);
    for (let i = 0; i < 200; i++) l.when(`k${i}`);
    assert.ok(l.when('fresh') > 5);
  });
});
