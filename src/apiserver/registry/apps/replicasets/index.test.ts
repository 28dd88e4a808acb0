import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../testing.ts';
import { replicasets } from './index.ts';

const base = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { name: 'web-1' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

describe('replicasets', () => {
  it('defaults replicas to 1 and starts with status.replicas 0', () => {
    const { obj, errors } = create(replicasets, base());
    assert.deepEqual(errors, []);
    assert.equal((obj['spec'] as Record<string, unknown>)['replicas'], 1);
    assert.deepEqual(obj['status'], { replicas: 0 });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    [
      'no selector',
      { selector: undefined },
      ['Required spec.selector', 'Invalid spec.template.metadata.labels'],
    ],
    ['negative minReadySeconds', { minReadySeconds: -2 }, ['Invalid spec.minReadySeconds']],
    [
      'selector value',
      { selector: { matchLabels: { app: 'web!' } } },
      ['Invalid spec.selector.matchLabels', 'Invalid spec.selector'],
    ],
    [
      'In without values',
      { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      ['Required spec.selector.matchExpressions[0].values', 'Invalid spec.selector'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(replicasets, base(spec)).errors), want));
  }

  it('keeps the selector immutable', () => {
    const old = create(replicasets, base()).obj;
    const next = structuredClone(old);
    (next['spec'] as Record<string, unknown>)['selector'] = {
      matchExpressions: [{ key: 'app', operator: 'Exists' }],
    };
    assert.deepEqual(errorKeys(update(replicasets, next, old).errors), ['Invalid spec.selector']);
  });

  it('validates status counters', () => {
    const old = create(replicasets, base()).obj;
    const next: KubeObject = {
      ...old,
      status: { replicas: 2, fullyLabeledReplicas: 3, readyReplicas: 1, availableReplicas: 2 },
    };
    assert.deepEqual(errorKeys(replicasets.status?.validateUpdate?.(next, old) ?? []), [
      'Invalid status.fullyLabeledReplicas',
      'Invalid status.availableReplicas',
    ]);
  });

  it('prints NAME DESIRED CURRENT READY AGE and selects on status.replicas', () => {
    const { obj } = create(replicasets, base({ replicas: 3 }));
    obj['status'] = { replicas: 2, readyReplicas: 1 };
    assert.deepEqual(replicasets.table?.row(obj, new Date('2025-01-03T00:00:00Z')), [
      'web-1',
      3,
      2,
      1,
      '2d',
      'web',
      'nginx:1.27',
      'app=web',
    ]);
    assert.deepEqual(replicasets.fields?.(obj), { 'status.replicas': '2' });
    assert.deepEqual(replicasets.fields?.({ metadata: {} }), { 'status.replicas': '0' });
    assert.deepEqual(replicasets.shortNames, ['rs']);
  });
});
