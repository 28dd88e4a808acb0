import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import { Graph, type GraphEvent, referencesDiffs } from './graph.ts';

function cm(name: string, uid: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name, namespace: 'ns', uid, ...meta } };
}

function ref(name: string, uid: string, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name, uid, ...extra };
}

function ev(type: GraphEvent['type'], obj: KubeObject, oldObj?: KubeObject): GraphEvent {
  return { type, apiVersion: 'v1', kind: 'ConfigMap', obj, oldObj };
}

describe('garbage collector graph', () => {
  it('makes a virtual owner and asks for it to be verified', () => {
    const g = new Graph();
    const a = g.apply(ev('add', cm('child', 'c1', { ownerReferences: [ref('parent', 'p1')] })));
    assert.deepEqual([...a.attemptToDelete], ['p1']);
    assert.equal(g.get('p1')?.virtual, true);
    assert.equal(g.get('p1')?.dependents.size, 1);
  });

  it('observing the owner makes it real without work', () => {
    const g = new Graph();
    g.apply(ev('add', cm('child', 'c1', { ownerReferences: [ref('parent', 'p1')] })));
    const a = g.apply(ev('add', cm('parent', 'p1')));
    assert.equal(a.attemptToDelete.size, 0);
    assert.equal(g.get('p1')?.virtual, false);
  });

  it('deleting an owner queues its dependents', () => {
    const g = new Graph();
    g.apply(ev('add', cm('parent', 'p1')));
    g.apply(ev('add', cm('child', 'c1', { ownerReferences: [ref('parent', 'p1')] })));
    g.apply(ev('add', cm('child2', 'c2', { ownerReferences: [ref('parent', 'p1')] })));
    const a = g.apply(ev('delete', cm('parent', 'p1')));
    assert.deepEqual([...a.attemptToDelete].sort(), ['c1', 'c2']);
    assert.equal(g.get('p1'), undefined);
  });

  it('an orphaning delete queues the owner for orphaning once', () => {
    const g = new Graph();
    const parent = cm('parent', 'p1');
    g.apply(ev('add', parent));
    const deleting = cm('parent', 'p1', { deletionTimestamp: 'now', finalizers: ['orphan'] });
    assert.deepEqual([...g.apply(ev('update', deleting, parent)).attemptToOrphan], ['p1']);
    assert.equal(g.apply(ev('update', deleting, deleting)).attemptToOrphan.size, 0);
  });

  it('a foreground delete queues dependents and the owner; a deleted blocking dependent requeues it', () => {
    const g = new Graph();
    const parent = cm('parent', 'p1');
    g.apply(ev('add', parent));
    g.apply(
      ev('add', cm('child', 'c1', { ownerReferences: [ref('parent', 'p1', { blockOwnerDeletion: true })] })),
    );
    const deleting = cm('parent', 'p1', { deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] });
    const a = g.apply(ev('update', deleting, parent));
    assert.deepEqual([...a.attemptToDelete].sort(), ['c1', 'p1']);
    const node = g.get('p1')!;
    assert.equal(node.deletingDependents, true);
    assert.equal(g.blockingDependents(node).length, 1);
    const b = g.apply(ev('delete', cm('child', 'c1', { ownerReferences: [ref('parent', 'p1')] })));
    assert.deepEqual([...b.attemptToDelete], ['p1']);
    assert.equal(g.blockingDependents(node).length, 0);
  });

  it('dropping an owner reference detaches the dependent', () => {
    const g = new Graph();
    g.apply(ev('add', cm('parent', 'p1')));
    const child = cm('child', 'c1', { ownerReferences: [ref('parent', 'p1')] });
    g.apply(ev('add', child));
    g.apply(ev('update', cm('child', 'c1'), child));
    assert.equal(g.get('p1')?.dependents.size, 0);
  });

  it('a virtual delete of an observed node under other coordinates keeps it', () => {
    const g = new Graph();
    g.apply(ev('add', cm('parent', 'p1')));
    const a = g.apply({
      type: 'delete',
      virtual: true,
      apiVersion: 'v1',
      kind: 'Secret',
      obj: cm('parent', 'p1'),
    });
    assert.equal(a.attemptToDelete.size, 0);
    assert.notEqual(g.get('p1'), undefined);
  });

  it('diffs owner references by uid', () => {
    const d = referencesDiffs(
      [ref('a', '1'), ref('b', '2')],
      [ref('b', '2', { blockOwnerDeletion: true }), ref('c', '3')],
    );
    assert.deepEqual(
      d.added.map((r) => r.uid),
      ['3'],
    );
    assert.deepEqual(
      d.removed.map((r) => r.uid),
      ['1'],
    );
    assert.deepEqual(
      d.changed.map((r) => r.uid),
      ['2'],
    );
  });
});
