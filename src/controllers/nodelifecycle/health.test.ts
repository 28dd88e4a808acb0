import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredTaints,
  evictionTimeMs,
  notReadyTaintKey,
  reconcileTaints,
  tolerates,
  tolerationTimeMs,
  unknownConditions,
  unreachableTaintKey,
} from './health.ts';
import type { Node, Taint } from './types.ts';

const t0 = Date.UTC(2025, 0, 1);
const unreachable: Taint = {
  key: unreachableTaintKey,
  effect: 'NoExecute',
  timeAdded: new Date(t0).toISOString(),
};

describe('node conditions', () => {
  it('sets Ready and pressure conditions Unknown once', () => {
    const node: Node = {
      metadata: { name: 'n' },
      status: {
        conditions: [
          { type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T00:00:00Z' },
          { type: 'MemoryPressure', status: 'False' },
          { type: 'NetworkUnavailable', status: 'False' },
        ],
      },
    };
    const next = unknownConditions(node, t0);
    assert.ok(next);
    const ready = next.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.equal(ready?.message, 'Kubelet stopped posting node status.');
    assert.equal(ready?.lastHeartbeatTime, '2025-01-01T00:00:00Z');
    assert.equal(next.find((c) => c.type === 'MemoryPressure')?.status, 'Unknown');
    assert.equal(next.find((c) => c.type === 'NetworkUnavailable')?.status, 'False');
    assert.equal(unknownConditions({ ...node, status: { conditions: next } }, t0), undefined);
  });

  it('adds Ready Unknown (NodeStatusNeverUpdated) when it was never posted', () => {
    const next = unknownConditions({ metadata: { name: 'n' } }, t0);
    assert.equal(next?.[0]?.reason, 'NodeStatusNeverUpdated');
  });
});

describe('taints', () => {
  it('follows the Ready condition', () => {
    assert.deepEqual(desiredTaints({ type: 'Ready', status: 'True' }), []);
    assert.deepEqual(
      desiredTaints({ type: 'Ready', status: 'False' }).map((t) => `${t.key}:${t.effect}`),
      [`${notReadyTaintKey}:NoExecute`, `${notReadyTaintKey}:NoSchedule`],
    );
    assert.deepEqual(
      desiredTaints({ type: 'Ready', status: 'Unknown' }).map((t) => `${t.key}:${t.effect}`),
      [`${unreachableTaintKey}:NoExecute`, `${unreachableTaintKey}:NoSchedule`],
    );
  });

  it('adds, swaps and removes only the managed taints', () => {
    const other: Taint = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
    const added = reconcileTaints([other], desiredTaints({ type: 'Ready', status: 'Unknown' }), t0);
    assert.ok(added);
    assert.equal(added.length, 3);
    assert.equal(added.find((t) => t.effect === 'NoExecute')?.timeAdded, '2025-01-01T00:00:00Z');
    assert.equal(
      reconcileTaints(added, desiredTaints({ type: 'Ready', status: 'Unknown' }), t0 + 1),
      undefined,
    );
    const swapped = reconcileTaints(added, desiredTaints({ type: 'Ready', status: 'False' }), t0);
    assert.deepEqual(
      swapped?.map((t) => t.key),
      ['dedicated', notReadyTaintKey, notReadyTaintKey],
    );
    assert.deepEqual(reconcileTaints(added, [], t0), [other]);
  });
});

describe('toleration timing', () => {
  it('matches tolerations to taints', () => {
    assert.ok(tolerates({ operator: 'Exists' }, unreachable));
    assert.ok(tolerates({ key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute' }, unreachable));
    assert.ok(
      !tolerates({ key: unreachableTaintKey, operator: 'Exists', effect: 'NoSchedule' }, unreachable),
    );
    assert.ok(tolerates({ key: 'a', value: 'b' }, { key: 'a', value: 'b', effect: 'NoExecute' }));
    assert.ok(!tolerates({ key: 'a', value: 'c' }, { key: 'a', value: 'b', effect: 'NoExecute' }));
  });

  it('evicts at once without a toleration, never without tolerationSeconds, else after the smallest', () => {
    assert.equal(tolerationTimeMs([], [{ key: 'k', effect: 'NoSchedule' }]), undefined);
    assert.equal(tolerationTimeMs([], [unreachable]), 0);
    assert.equal(evictionTimeMs([], [unreachable], t0 + 5000), t0);
    const forever = [{ key: unreachableTaintKey, operator: 'Exists' as const, effect: 'NoExecute' as const }];
    assert.equal(tolerationTimeMs(forever, [unreachable]), Infinity);
    assert.equal(evictionTimeMs(forever, [unreachable], t0), undefined);
    const timed = [
      {
        key: unreachableTaintKey,
        operator: 'Exists' as const,
        effect: 'NoExecute' as const,
        tolerationSeconds: 300,
      },
      { operator: 'Exists' as const, tolerationSeconds: 60 },
    ];
    assert.equal(tolerationTimeMs(timed, [unreachable]), 60_000);
    assert.equal(evictionTimeMs(timed, [unreachable], t0), t0 + 60_000);
    // A second NoExecute taint the pod does not tolerate: at once.
    const notReady: Taint = { key: notReadyTaintKey, effect: 'NoExecute' };
    assert.equal(tolerationTimeMs([timed[0]!], [unreachable, notReady]), 0);
  });
});
