import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareForDeletion, isPodAvailable, msUntilAvailable, podsToDelete } from './pods.ts';
import type { Pod } from './types.ts';

const now = Date.UTC(2024, 0, 1, 12);
const iso = (msAgo: number): string => new Date(now - msAgo).toISOString();

function pod(
  name: string,
  o: {
    node?: string;
    phase?: string;
    readyAgo?: number;
    createdAgo?: number;
    restarts?: number;
    cost?: string;
  } = {},
): Pod {
  const conditions =
    o.readyAgo === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAgo) }];
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: iso(o.createdAgo ?? 1000),
      ...(o.cost === undefined
        ? {}
        : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } }),
    },
    spec: o.node === undefined ? {} : { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions,
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const order = (pods: Pod[]): string[] =>
  pods
    .map((p) => ({ pod: p, rank: 0 }))
    .sort((a, b) => compareForDeletion(a, b, now))
    .map((r) => r.pod.metadata.name ?? '');

describe('ActivePodsWithRanks ordering', () => {
  it('deletes unscheduled before scheduled', () => {
    assert.deepEqual(order([pod('on-node', { node: 'n1' }), pod('nowhere')]), ['nowhere', 'on-node']);
  });
  it('deletes Pending < Unknown < Running', () => {
    assert.deepEqual(
      order([pod('run'), pod('unknown', { phase: 'Unknown' }), pod('pending', { phase: 'Pending' })]),
      ['pending', 'unknown', 'run'],
    );
  });
  it('deletes not ready before ready', () => {
    assert.deepEqual(order([pod('ready', { readyAgo: 5000 }), pod('unready')]), ['unready', 'ready']);
  });
  it('deletes lower pod-deletion-cost first', () => {
    assert.deepEqual(order([pod('dear', { cost: '100' }), pod('cheap', { cost: '-5' })]), ['cheap', 'dear']);
  });
  it('deletes the more recently ready first, on a logarithmic scale', () => {
    assert.deepEqual(order([pod('old', { readyAgo: 3_600_000 }), pod('new', { readyAgo: 2000 })]), [
      'new',
      'old',
    ]);
  });
  it('deletes more restarts first, then newer pods first', () => {
    assert.deepEqual(order([pod('calm'), pod('crashy', { restarts: 5 })]), ['crashy', 'calm']);
    assert.deepEqual(order([pod('older', { createdAgo: 86_400_000 }), pod('newer', { createdAgo: 1000 })]), [
      'newer',
      'older',
    ]);
  });
  it('prefers pods doubled up on a node (rank) and picks the first n', () => {
    const a = pod('a', { node: 'n1' });
    const b = pod('b', { node: 'n2' });
    const c = pod('c', { node: 'n2' });
    const picked = podsToDelete([a, b, c], [a, b, c], 1, now);
    assert.equal(picked.length, 1);
    assert.equal(picked[0]?.spec?.nodeName, 'n2');
    assert.equal(podsToDelete([a, b], [a, b], 5, now).length, 2);
  });
});

describe('availability', () => {
  it('is ready for minReadySeconds', () => {
    const p = pod('p', { readyAgo: 3000 });
    assert.equal(isPodAvailable(p, 0, now), true);
    assert.equal(isPodAvailable(p, 2, now), true);
    assert.equal(isPodAvailable(p, 5, now), false);
    assert.equal(msUntilAvailable(p, 5, now), 2001);
    assert.equal(isPodAvailable(pod('q'), 0, now), false);
  });
});
