import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import { emptyBackoff, nextBackoffRecord, remainingBackoffMs } from './backoff.ts';

const t0 = Date.UTC(2024, 0, 1);
const finished = (ms: number): Pod => ({
  metadata: { name: `p${ms}` },
  status: {
    containerStatuses: [
      { name: 'c', state: { terminated: { finishedAt: new Date(t0 + ms).toISOString() } } },
    ],
  },
});

describe('pod failure backoff', () => {
  it('doubles from the base per failure after the last success, capped', () => {
    const cases: [number, number][] = [
      [1, 10_000],
      [2, 20_000],
      [3, 40_000],
      [6, 320_000],
      [7, 360_000],
      [30, 360_000],
    ];
    for (const [failures, want] of cases) {
      const r = { failuresAfterLastSuccess: failures, lastFailureTime: t0 };
      assert.equal(remainingBackoffMs(r, t0, 10_000, 360_000), want, `${failures} failures`);
    }
  });
  it('counts from the last failure', () => {
    const r = { failuresAfterLastSuccess: 2, lastFailureTime: t0 };
    assert.equal(remainingBackoffMs(r, t0 + 5_000, 10_000, 360_000), 15_000);
    assert.equal(remainingBackoffMs(r, t0 + 25_000, 10_000, 360_000), 0);
    assert.equal(remainingBackoffMs(emptyBackoff, t0, 10_000, 360_000), 0);
  });
  it('adds failures and resets on a later success', () => {
    let r = nextBackoffRecord(emptyBackoff, [], [finished(1000), finished(3000)], t0);
    assert.deepEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: t0 + 3000 });
    r = nextBackoffRecord(r, [finished(5000)], [finished(4000)], t0);
    assert.deepEqual(r, emptyBackoff);
    r = nextBackoffRecord(r, [finished(5000)], [finished(6000)], t0);
    assert.deepEqual(r, { failuresAfterLastSuccess: 1, lastFailureTime: t0 + 6000 });
  });
});
