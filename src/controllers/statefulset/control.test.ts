import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import { type Revisions, type StatefulPodOps, updateStatefulSet } from './control.ts';
import { claimOwners, claimsFor, identityMatches, newVersionedPod, parentAndOrdinal } from './identity.ts';
import type { StatefulSet } from './types.ts';

const set = (o: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'default', uid: 's1' },
  spec: {
    replicas: 3,
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } },
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    volumeClaimTemplates: [{ metadata: { name: 'data' } }],
    ...o,
  },
});
const rev: Revisions = {
  currentRevision: 'web-r1',
  updateRevision: 'web-r2',
  currentTemplate: {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'v1' }] },
  },
  updateTemplate: {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'v2' }] },
  },
};
const running = (p: Pod, ready = true): Pod => ({
  ...p,
  metadata: { ...p.metadata, uid: `u-${p.metadata.name ?? ''}` },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const existing = (s: StatefulSet, ordinal: number, revision: string, ready = true): Pod =>
  running(
    newVersionedPod({ set: s, ...rev, currentRevision: revision, updateRevision: revision, ordinal }),
    ready,
  );

/** Records what the control loop did. */
function recorder(): { ops: StatefulPodOps; log: string[] } {
  const log: string[] = [];
  const ops: StatefulPodOps = {
    createPod: async (_s, p) => void log.push(`create ${p.metadata.name ?? ''}`),
    deletePod: async (_s, p) => void log.push(`delete ${p.metadata.name ?? ''}`),
    updatePod: async (_s, p) => void log.push(`update ${p.metadata.name ?? ''}`),
    createMissingClaims: async () => undefined,
    fixClaimOwners: async () => undefined,
  };
  return { ops, log };
}

describe('statefulset identity', () => {
  it('parses ordinals, names claims and labels identity', () => {
    assert.deepEqual(parentAndOrdinal({ metadata: { name: 'my-web-12' } }), {
      parent: 'my-web',
      ordinal: 12,
    });
    assert.equal(parentAndOrdinal({ metadata: { name: 'web' } }).ordinal, -1);
    const s = set({ ordinals: { start: 5 } });
    const p = newVersionedPod({ set: s, ...rev, ordinal: 5 });
    assert.equal(p.metadata.name, 'web-5');
    assert.equal(p.metadata.labels?.['apps.kubernetes.io/pod-index'], '5');
    assert.equal(p.spec?.['hostname'], 'web-5');
    assert.equal(p.spec?.['subdomain'], 'web');
    assert.ok(identityMatches(s, p));
    assert.equal(claimsFor(s, 5).get('data')?.metadata.name, 'data-web-5');
    assert.deepEqual(claimsFor(s, 5).get('data')?.metadata.labels, { app: 'web' });
  });

  it('makes new pods below the partition at the current revision', () => {
    const s = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    assert.equal(
      newVersionedPod({ set: s, ...rev, ordinal: 1 }).metadata.labels?.['controller-revision-hash'],
      'web-r1',
    );
    assert.equal(
      newVersionedPod({ set: s, ...rev, ordinal: 2 }).metadata.labels?.['controller-revision-hash'],
      'web-r2',
    );
  });

  it('gives claims owners by retention policy', () => {
    const s = set({
      replicas: 1,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    });
    assert.deepEqual(claimOwners(s, { metadata: { name: 'web-0' } }), { set: true, pod: false });
    assert.deepEqual(claimOwners(s, { metadata: { name: 'web-3' } }), { set: false, pod: true });
    assert.deepEqual(claimOwners(set(), { metadata: { name: 'web-0' } }), { set: false, pod: false });
  });
});

describe('updateStatefulSet', () => {
  const now = Date.now();
  it('OrderedReady: creates one pod at a time and waits for it to be ready', async () => {
    const s = set();
    const r = recorder();
    await updateStatefulSet({ set: s, pods: [], rev, ops: r.ops, nowMs: now });
    assert.deepEqual(r.log, ['create web-0']);
    const r2 = recorder();
    await updateStatefulSet({
      set: s,
      pods: [existing(s, 0, 'web-r2', false)],
      rev,
      ops: r2.ops,
      nowMs: now,
    });
    assert.deepEqual(r2.log, []);
    const r3 = recorder();
    await updateStatefulSet({ set: s, pods: [existing(s, 0, 'web-r2')], rev, ops: r3.ops, nowMs: now });
    assert.deepEqual(r3.log, ['create web-1']);
  });

  it('Parallel: creates every missing pod at once', async () => {
    const r = recorder();
    await updateStatefulSet({
      set: set({ podManagementPolicy: 'Parallel' }),
      pods: [],
      rev,
      ops: r.ops,
      nowMs: now,
    });
    assert.deepEqual(r.log.sort(), ['create web-0', 'create web-1', 'create web-2']);
  });

  it('scales down from the highest ordinal, one at a time', async () => {
    const s = set({ replicas: 1 });
    const pods = [0, 1, 2].map((i) => existing(s, i, 'web-r2'));
    const r = recorder();
    await updateStatefulSet({ set: s, pods, rev, ops: r.ops, nowMs: now });
    assert.deepEqual(r.log, ['delete web-2']);
  });

  it('rolls from the highest ordinal down to the partition, waiting for health', async () => {
    const s = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    const r = recorder();
    const status = await updateStatefulSet({
      set: s,
      pods: [0, 1, 2].map((i) => existing(s, i, 'web-r1')),
      rev,
      ops: r.ops,
      nowMs: now,
    });
    assert.deepEqual(r.log, ['delete web-2']);
    assert.equal(status.currentReplicas, 2);
    const r2 = recorder();
    const pods = [existing(s, 0, 'web-r1'), existing(s, 1, 'web-r1'), existing(s, 2, 'web-r2')];
    await updateStatefulSet({ set: s, pods, rev, ops: r2.ops, nowMs: now });
    assert.deepEqual(r2.log, ['delete web-1']);
    const r3 = recorder();
    pods[1] = existing(s, 1, 'web-r2');
    await updateStatefulSet({ set: s, pods, rev, ops: r3.ops, nowMs: now });
    assert.deepEqual(r3.log, [], 'web-0 is below the partition');
  });

  it('maxUnavailable: deletes up to the budget at once', async () => {
    const s = set({
      replicas: 4,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } },
    });
    const r = recorder();
    await updateStatefulSet({
      set: s,
      pods: [0, 1, 2, 3].map((i) => existing(s, i, 'web-r1')),
      rev,
      ops: r.ops,
      nowMs: now,
    });
    assert.deepEqual(r.log, ['delete web-3', 'delete web-2']);
  });

  it('OnDelete: never deletes for an update', async () => {
    const s = set({ updateStrategy: { type: 'OnDelete' } });
    const r = recorder();
    await updateStatefulSet({
      set: s,
      pods: [0, 1, 2].map((i) => existing(s, i, 'web-r1')),
      rev,
      ops: r.ops,
      nowMs: now,
    });
    assert.deepEqual(r.log, []);
  });
});
