import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyValue } from '../../storage/index.ts';
import { decodeObject, encodeObject, servedText } from './object-store.ts';

const kv = (value: Uint8Array, modRevision = 42): KeyValue => ({
  key: '/registry/core/configmaps/default/a',
  value,
  createRevision: 7,
  modRevision,
  version: 3,
  lease: 0,
});

describe('stored object text', () => {
  it('stores apiVersion, kind and metadata first, without a resourceVersion', () => {
    const bytes = encodeObject({
      data: { a: '1' },
      metadata: { name: 'a', namespace: 'default', resourceVersion: '9' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    assert.equal(
      new TextDecoder().decode(bytes),
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default"},"data":{"a":"1"}}',
    );
  });

  it('serves the stored text with the resourceVersion spliced in, equal to decoding it', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '"metadata":{' } };
    const stored = kv(encodeObject(obj));
    const text = servedText(stored, 'v1', 'ConfigMap');
    assert.ok(text !== undefined);
    assert.deepEqual(JSON.parse(text), decodeObject(stored));
    assert.equal(
      (JSON.parse(text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
      '42',
    );
  });

  it('leaves other shapes to the decoding path', () => {
    const enc = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));
    assert.equal(
      servedText(
        kv(enc({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } })),
        'v1',
        'ConfigMap',
      ),
      undefined,
    );
    assert.equal(
      servedText(kv(enc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })), 'v1', 'ConfigMap'),
      undefined,
    );
    assert.equal(
      servedText(
        kv(enc({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' } })),
        'autoscaling/v1',
        'HorizontalPodAutoscaler',
      ),
      undefined,
    );
  });
});
