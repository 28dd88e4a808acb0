import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.ts';
import { Indexer, indexOnField, Lister, namespaceIndex, objectKey, splitKey } from './cache.ts';

function pod(namespace: string, name: string, node?: string, labels?: Record<string, string>): KubeObject {
  return { metadata: { namespace, name, labels }, spec: node === undefined ? {} : { nodeName: node } };
}

describe('cache', () => {
  it('keys objects as namespace/name, cluster-scoped ones as name', () => {
    assert.equal(objectKey(pod('ns', 'a')), 'ns/a');
    assert.equal(objectKey({ metadata: { name: 'n1' } }), 'n1');
    assert.deepEqual(splitKey('ns/a'), { namespace: 'ns', name: 'a' });
    assert.deepEqual(splitKey('n1'), { namespace: '', name: 'n1' });
  });

  it('indexes by namespace and by custom functions, and keeps indexes right on update and delete', () => {
    const idx = new Indexer<KubeObject>({ byNode: indexOnField('spec.nodeName') });
    idx.upsert(pod('a', 'p1', 'n1'));
    idx.upsert(pod('a', 'p2', 'n2'));
    idx.upsert(pod('b', 'p3', 'n1'));
    idx.upsert(pod('b', 'p4'));
    const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata.name!).toSorted();
    assert.deepEqual(names(idx.byIndex(namespaceIndex, 'a')), ['p1', 'p2']);
    assert.deepEqual(names(idx.byIndex('byNode', 'n1')), ['p1', 'p3']);
    idx.upsert(pod('a', 'p1', 'n2'));
    assert.deepEqual(names(idx.byIndex('byNode', 'n1')), ['p3']);
    assert.deepEqual(names(idx.byIndex('byNode', 'n2')), ['p1', 'p2']);
    idx.remove('b/p3');
    assert.deepEqual(idx.byIndex('byNode', 'n1'), []);
    assert.deepEqual(idx.indexValues('byNode').toSorted(), ['n2']);
    assert.throws(() => idx.byIndex('nope', 'x'), /does not exist/);
  });

  it('indexes existing objects when an indexer is added later', () => {
    const idx = new Indexer<KubeObject>();
    idx.upsert(pod('a', 'p1', 'n1'));
    idx.addIndexers({ byNode: indexOnField('spec.nodeName') });
    assert.deepEqual(idx.indexKeys('byNode', 'n1'), ['a/p1']);
    assert.throws(() => idx.addIndexers({ byNode: indexOnField('spec.nodeName') }), /already exists/);
  });

  it('lists by label selector, gets by namespace and name, and scopes to a namespace', () => {
    const idx = new Indexer<KubeObject>();
    idx.upsert(pod('a', 'web-1', undefined, { app: 'web' }));
    idx.upsert(pod('a', 'db-1', undefined, { app: 'db' }));
    idx.upsert(pod('b', 'web-2', undefined, { app: 'web' }));
    idx.upsert({ metadata: { name: 'node-1' } });
    const lister = new Lister(idx);
    assert.equal(lister.list().length, 4);
    assert.deepEqual(lister.list('app=web').map(objectKey).toSorted(), ['a/web-1', 'b/web-2']);
    assert.equal(lister.get('a', 'db-1')?.metadata.name, 'db-1');
    assert.equal(lister.get('', 'node-1')?.metadata.name, 'node-1');
    assert.equal(lister.get('b', 'db-1'), undefined);
    assert.deepEqual(lister.namespace('a').list('app in (web)').map(objectKey), ['a/web-1']);
    assert.equal(lister.namespace('b').get('web-2')?.metadata.namespace, 'b');
  });
});
