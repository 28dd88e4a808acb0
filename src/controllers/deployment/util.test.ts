import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from '../framework/index.ts';
import { maxScaledDown } from './rollout.ts';
import {
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportionalSizes,
  resolveFenceposts,
  scaledValue,
} from './util.ts';

function deployment(replicas: number, surge: number | string, unavailable: number | string): Deployment {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    },
  };
}

function rs(
  name: string,
  replicas: number,
  available: number,
  o: { created?: number; max?: number } = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      creationTimestamp: new Date(Date.UTC(2024, 0, 1) + (o.created ?? 0) * 1000).toISOString(),
      annotations: o.max === undefined ? {} : { 'deployment.kubernetes.io/max-replicas': String(o.max) },
    },
    spec: { replicas },
    status: { replicas, availableReplicas: available },
  };
}

describe('surge and unavailable', () => {
  it('rounds surge up and unavailable down', () => {
    assert.equal(scaledValue('25%', 3, true), 1);
    assert.equal(scaledValue('25%', 3, false), 0);
    assert.equal(scaledValue('25%', 10, true), 3);
    assert.equal(scaledValue('25%', 10, false), 2);
    assert.equal(scaledValue(4, 10, true), 4);
    assert.equal(scaledValue('7', 10, true), 7);
    assert.throws(() => scaledValue('x%', 10, true), /invalid value/);
  });
  it('makes maxUnavailable 1 when both resolve to 0', () => {
    assert.deepEqual(resolveFenceposts('0%', '10%', 3), { surge: 0, unavailable: 1 });
    assert.deepEqual(resolveFenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 });
  });
  it('is 0 for Recreate and caps unavailable at replicas', () => {
    assert.equal(maxSurge({ metadata: {}, spec: { replicas: 3, strategy: { type: 'Recreate' } } }), 0);
    assert.equal(maxUnavailable(deployment(2, 0, 5)), 2);
    assert.equal(maxUnavailable(deployment(0, 1, 1)), 0);
  });
});

describe('rolling update steps', () => {
  it('never exceeds replicas + surge nor drops below replicas - unavailable', () => {
    const d = deployment(10, '25%', '25%');
    let oldRS = rs('old', 10, 10, { created: 0 });
    let newRS = rs('new', 0, 0, { created: 1 });
    const steps: [number, number][] = [];
    for (let i = 0; i < 20 && !(newRS.spec.replicas === 10 && oldRS.spec.replicas === 0); i++) {
      // reconcileNewReplicaSet
      const grow = newRSNewReplicas(d, [oldRS, newRS], newRS);
      newRS = rs('new', grow, newRS.status?.availableReplicas ?? 0, { created: 1 });
      // reconcileOldReplicaSets: old pods are all healthy, so only scaleDownOldReplicaSetsForRollingUpdate acts.
      if (maxScaledDown(d, [oldRS, newRS], newRS) > 0) {
        const available = (oldRS.status?.availableReplicas ?? 0) + (newRS.status?.availableReplicas ?? 0);
        const down = Math.min(oldRS.spec.replicas ?? 0, Math.max(0, available - 8));
        oldRS = rs('old', (oldRS.spec.replicas ?? 0) - down, (oldRS.spec.replicas ?? 0) - down);
      }
      const total = (oldRS.spec.replicas ?? 0) + (newRS.spec.replicas ?? 0);
      assert.ok(total <= 13, `step ${i}: ${total} pods`);
      assert.ok((oldRS.status?.availableReplicas ?? 0) + (newRS.status?.availableReplicas ?? 0) >= 8);
      steps.push([oldRS.spec.replicas ?? 0, newRS.spec.replicas ?? 0]);
      // The kubelet: every new pod becomes available.
      newRS = rs('new', newRS.spec.replicas ?? 0, newRS.spec.replicas ?? 0, { created: 1 });
    }
    assert.deepEqual(steps, [
      [8, 3],
      [5, 5],
      [3, 8],
      [0, 10],
    ]);
  });
});

describe('proportional scaling', () => {
  it('spreads a scale-up mid-rollout over old and new sets by size (the docs example)', () => {
    // 10 replicas, maxSurge 3: old 8 + new 5 = 13; scaled to 15 → 18 allowed, 5 to add.
    const d = deployment(15, 3, 2);
    const sizes = proportionalSizes(d, [
      rs('old', 8, 8, { created: 0, max: 13 }),
      rs('new', 5, 0, { created: 1, max: 13 }),
    ]);
    assert.deepEqual(
      sizes.map((s) => [s.rs.metadata.name, s.size]),
      [
        ['old', 11],
        ['new', 7],
      ],
    );
  });
  it('scales down proportionally, leftovers to the largest set', () => {
    const d = deployment(5, 1, 1);
    const sizes = proportionalSizes(d, [
      rs('a', 6, 6, { created: 0, max: 11 }),
      rs('b', 5, 0, { created: 1, max: 11 }),
    ]);
    // allowed 6, 11 now: -5; a: round(6·6/11)=3 → -3, b: max(round(5·6/11)−5, −2) = −2.
    assert.deepEqual(
      sizes.map((s) => [s.rs.metadata.name, s.size]),
      [
        ['a', 3],
        ['b', 3],
      ],
    );
    assert.deepEqual(
      proportionalSizes(deployment(0, 1, 1), [rs('a', 3, 3, { max: 4 })]).map((s) => s.size),
      [0],
    );
  });
});
