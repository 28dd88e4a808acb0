import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import {
  orphanedCandidates,
  terminatedToDelete,
  unscheduledTerminating,
  withDisruptionTarget,
} from './gc.ts';

const pod = (
  name: string,
  extra: { phase?: string; node?: string; created?: string; deleting?: boolean },
): Pod => ({
  metadata: {
    name,
    creationTimestamp: extra.created ?? '2025-01-01T00:00:00Z',
    ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: extra.node === undefined ? {} : { nodeName: extra.node },
  status: { phase: extra.phase ?? 'Running' },
});

it('deletes the oldest terminated pods beyond the threshold', () => {
  const pods = [
    pod('new', { phase: 'Succeeded', created: '2025-01-03T00:00:00Z' }),
    pod('old', { phase: 'Failed', created: '2025-01-01T00:00:00Z' }),
    pod('mid', { phase: 'Succeeded', created: '2025-01-02T00:00:00Z' }),
    pod('run', { created: '2024-01-01T00:00:00Z' }),
  ];
  assert.deepEqual(
    terminatedToDelete(pods, 1).map((p) => p.metadata.name),
    ['old', 'mid'],
  );
  assert.deepEqual(terminatedToDelete(pods, 3), []);
  assert.deepEqual(terminatedToDelete(pods, 0), []);
});

it('finds orphaned and unscheduled terminating pods', () => {
  const pods = [
    pod('a', { node: 'gone' }),
    pod('b', { node: 'here' }),
    pod('c', { deleting: true }),
    pod('d', {}),
  ];
  assert.deepEqual(
    orphanedCandidates(pods, (n) => n === 'here').map((p) => p.metadata.name),
    ['a'],
  );
  assert.deepEqual(
    unscheduledTerminating(pods).map((p) => p.metadata.name),
    ['c'],
  );
});

it('sets DisruptionTarget (DeletionByPodGC) and fails a running pod', () => {
  const next = withDisruptionTarget(
    pod('a', { node: 'gone' }),
    'PodGC: node no longer exists',
    Date.UTC(2025, 0, 1),
  );
  assert.equal(next.status?.phase, 'Failed');
  const c = next.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  assert.equal(c?.reason, 'DeletionByPodGC');
  assert.equal(c?.status, 'True');
});
