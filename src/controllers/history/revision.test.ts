import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ControllerRevision,
  equalRevision,
  fnv32,
  hashControllerRevision,
  newControllerRevision,
  scaledValue,
  sortRevisions,
  stableJson,
  templateOfRevision,
  templatePatch,
} from './index.ts';
import { revisionsToTruncate } from './histories.ts';

const parent = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const rev = (name: string, revision: number, data: unknown = {}): ControllerRevision => ({
  metadata: { name, labels: {} },
  revision,
  data,
});

describe('controller revisions', () => {
  it('hashes with FNV-1 (not 1a) over sorted-key JSON, plus the collision count', () => {
    assert.equal(fnv32(new TextEncoder().encode('a')), 0x050c5d7e);
    assert.equal(stableJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
    const data = templatePatch({ metadata: { labels: { app: 'web' } } });
    assert.equal(hashControllerRevision(data), hashControllerRevision(structuredClone(data)));
    assert.notEqual(hashControllerRevision(data, 0), hashControllerRevision(data, 1));
    assert.match(hashControllerRevision(data, 0), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('names `<owner>-<hash>`, labels with the template labels and the hash, owned by the parent', () => {
    const data = templatePatch({ metadata: { labels: { app: 'web' } }, spec: { containers: [] } });
    const r = newControllerRevision({
      parent,
      kind: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
      templateLabels: { app: 'web' },
      data,
      revision: 3,
      collisionCount: 0,
    });
    const hash = hashControllerRevision(data, 0);
    assert.equal(r.metadata.name, `web-${hash}`);
    assert.deepEqual(r.metadata.labels, { app: 'web', 'controller-revision-hash': hash });
    assert.equal(r.metadata.ownerReferences?.[0]?.controller, true);
    assert.deepEqual((r.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
    assert.deepEqual(templateOfRevision(r), {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [] },
    });
  });

  it('sorts by revision, compares by hash and data, and truncates unused history beyond the limit', () => {
    const sorted = sortRevisions([rev('c', 3), rev('a', 1), rev('b', 2)]);
    assert.deepEqual(
      sorted.map((r) => r.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.ok(equalRevision(rev('x', 1, { a: 1, b: 2 }), rev('y', 5, { b: 2, a: 1 })));
    assert.ok(!equalRevision(rev('x', 1, { a: 1 }), rev('y', 1, { a: 2 })));
    const all = [rev('r1', 1), rev('r2', 2), rev('r3', 3), rev('r4', 4)];
    assert.deepEqual(
      revisionsToTruncate(all, new Set(['r4', 'r1']), 1).map((r) => r.metadata.name),
      ['r2'],
    );
    assert.deepEqual(revisionsToTruncate(all, new Set(['r4']), 3), []);
  });

  it('scales int-or-percent values', () => {
    assert.equal(scaledValue('25%', 3, true), 1);
    assert.equal(scaledValue('25%', 3, false), 0);
    assert.equal(scaledValue(2, 10, false), 2);
    assert.throws(() => scaledValue('x', 3, true), /invalid value/);
  });
});
