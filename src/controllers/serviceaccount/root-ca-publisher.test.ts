import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { descriptionAnnotation, desiredConfigMap, rootCACertConfigMapName } from './root-ca-publisher.ts';
import { isActive } from './serviceaccounts.ts';

describe('root CA publisher', () => {
  it('makes the ConfigMap, leaves a correct one alone and repairs a changed one', () => {
    const made = desiredConfigMap(undefined, 'ns', 'PEM')!;
    assert.equal(made.metadata.name, rootCACertConfigMapName);
    assert.deepEqual(made.data, { 'ca.crt': 'PEM' });
    assert.ok(made.metadata.annotations?.[descriptionAnnotation]);
    assert.equal(desiredConfigMap(made, 'ns', 'PEM'), undefined);
    const fixed = desiredConfigMap({ ...made, data: { 'ca.crt': 'OLD', extra: 'x' } }, 'ns', 'PEM')!;
    assert.deepEqual(fixed.data, { 'ca.crt': 'PEM' });
  });
});

describe('service accounts', () => {
  it('serves only active namespaces', () => {
    assert.equal(isActive({ metadata: { name: 'a' }, status: { phase: 'Active' } }), true);
    assert.equal(isActive({ metadata: { name: 'a' }, status: { phase: 'Terminating' } }), false);
    assert.equal(isActive({ metadata: { name: 'a', deletionTimestamp: 'now' } }), false);
  });
});
