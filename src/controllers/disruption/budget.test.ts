import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import {
  countHealthy,
  deletionTimeoutMs,
  disruptedPodMap,
  disruptionsAllowed,
  expectedPodCount,
  type PodDisruptionBudget,
  scaledValue,
} from './budget.ts';

const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ metadata: { name: 'b' }, spec });
const noScale = (): number => {
  throw new Error('found no controllers');
};
const pod = (name: string, ready: boolean, deleting = false): Pod => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('PodDisruptionBudget arithmetic', () => {
  it('scales percentages', () => {
    assert.equal(scaledValue(3, 10, true), 3);
    assert.equal(scaledValue('50%', 5, true), 3);
    assert.equal(scaledValue('50%', 5, false), 2);
    assert.throws(() => scaledValue('x', 5, true));
  });

  it('computes expected and desired healthy pods', () => {
    assert.deepEqual(expectedPodCount(pdb({ minAvailable: 2 }), 3, noScale), {
      expectedCount: 3,
      desiredHealthy: 2,
    });
    assert.deepEqual(
      expectedPodCount(pdb({ minAvailable: '50%' }), 3, () => 5),
      {
        expectedCount: 5,
        desiredHealthy: 3,
      },
    );
    assert.deepEqual(
      expectedPodCount(pdb({ maxUnavailable: 1 }), 3, () => 4),
      {
        expectedCount: 4,
        desiredHealthy: 3,
      },
    );
    // maxUnavailable 30% of 4 rounds up to 2 unavailable.
    assert.deepEqual(
      expectedPodCount(pdb({ maxUnavailable: '30%' }), 3, () => 4),
      {
        expectedCount: 4,
        desiredHealthy: 2,
      },
    );
    assert.throws(() => expectedPodCount(pdb({ maxUnavailable: 1 }), 3, noScale));
  });

  it('counts healthy pods and allows the difference, never below zero', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', false), pod('d', true, true), pod('e', true)];
    assert.equal(countHealthy(pods, { e: '2025-01-01T00:00:00Z' }), 2);
    assert.equal(disruptionsAllowed({ expectedCount: 3, desiredHealthy: 2 }, 3), 1);
    assert.equal(disruptionsAllowed({ expectedCount: 3, desiredHealthy: 2 }, 1), 0);
    assert.equal(disruptionsAllowed({ expectedCount: 0, desiredHealthy: 0 }, 2), 0);
  });

  it('drops disrupted pods that are deleted, gone or older than two minutes', () => {
    const t = Date.UTC(2025, 0, 1);
    const at = new Date(t).toISOString();
    const pods = [pod('a', true), pod('b', true, true), pod('c', true)];
    const { map, recheckAtMs } = disruptedPodMap(pods, { a: at, b: at, gone: at }, t + 1000);
    assert.deepEqual(map, { a: at });
    assert.equal(recheckAtMs, t + deletionTimeoutMs);
    assert.deepEqual(disruptedPodMap(pods, { a: at }, t + deletionTimeoutMs + 1).map, {});
  });
});
