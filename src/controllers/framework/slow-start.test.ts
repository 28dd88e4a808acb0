import assert from 'node:assert/strict';
import { it } from 'node:test';
import { slowStartBatch } from './slow-start.ts';

it('runs batches of 1, 2, 4… and stops after the first failing batch', async () => {
  const batches: number[] = [];
  let inFlight = 0;
  let calls = 0;
  const r = await slowStartBatch(10, 1, async () => {
    calls++;
    if (inFlight === 0) batches.push(0);
    inFlight++;
    batches[batches.length - 1]!++;
    await new Promise((res) => setImmediate(res));
    inFlight--;
  });
  assert.deepEqual(r, { successes: 10 });
  assert.deepEqual(batches, [1, 2, 4, 3]);
  assert.equal(calls, 10);

  let n = 0;
  const failing = await slowStartBatch(10, 1, async () => {
    n++;
    if (n === 3) throw new Error('quota');
  });
  assert.equal(failing.successes, 2);
  assert.equal(n, 3);
  assert.equal((failing.error as Error).message, 'quota');
});
