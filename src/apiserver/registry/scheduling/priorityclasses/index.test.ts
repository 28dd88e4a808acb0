import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { priorityclasses } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function priorityClass(name: string, fields: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, creationTimestamp: '2024-01-01T00:00:00Z' },
    ...fields,
  };
  priorityclasses.strategy!.defaults!(obj);
  return obj;
}

const validate = (name: string, fields: Record<string, unknown>) =>
  priorityclasses.strategy!.validate!(priorityClass(name, fields)).map(errorString);

describe('priorityclasses: defaults', () => {
  it('defaults preemptionPolicy, and value to 0 as the Go type decodes it', () => {
    const obj = priorityClass('batch', {});
    assert.equal(obj['preemptionPolicy'], 'PreemptLowerPriority');
    assert.equal(obj['value'], 0);
    assert.equal(priorityClass('batch', { preemptionPolicy: 'Never' })['preemptionPolicy'], 'Never');
  });
});

describe('priorityclasses: validation', () => {
  const cases: Array<[string, string, Record<string, unknown>, string[]]> = [
    ['a user class', 'high', { value: 1000000000 }, []],
    ['a negative user class', 'low', { value: -10 }, []],
    [
      'a user class above the limit',
      'too-high',
      { value: 1000000001 },
      ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    ],
    ['the system-cluster-critical class', 'system-cluster-critical', { value: 2000000000 }, []],
    ['the system-node-critical class', 'system-node-critical', { value: 2000001000 }, []],
    [
      'an unknown system- class',
      'system-mine',
      { value: 10 },
      [
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
      ],
    ],
    [
      'a system class with another value',
      'system-node-critical',
      { value: 5 },
      [
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
      ],
    ],
    [
      'a global default system class',
      'system-cluster-critical',
      { value: 2000000000, globalDefault: true },
      [
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
      ],
    ],
    [
      'an unknown preemption policy',
      'high',
      { value: 1, preemptionPolicy: 'Sometimes' },
      ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
    ],
    [
      'an empty preemption policy',
      'high',
      { value: 1, preemptionPolicy: '' },
      ['preemptionPolicy: Required value'],
    ],
  ];
  for (const [name, className, fields, want] of cases) {
    it(name, () => assert.deepEqual(validate(className, fields), want));
  }

  it('keeps value and preemptionPolicy immutable', () => {
    const old = priorityClass('high', { value: 10 });
    const next = priorityClass('high', { value: 11, preemptionPolicy: 'Never', description: 'changed' });
    assert.deepEqual(priorityclasses.strategy!.validateUpdate!(next, old).map(errorString), [
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
    const described = priorityClass('high', { value: 10, description: 'changed', globalDefault: true });
    assert.deepEqual(priorityclasses.strategy!.validateUpdate!(described, old), []);
  });
});

describe('priorityclasses: table', () => {
  it('prints value, global default and preemption policy', () => {
    assert.deepEqual(
      priorityclasses.table!.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Value', 'integer'],
        ['Global-Default', 'boolean'],
        ['Age', 'string'],
        ['PreemptionPolicy', 'string'],
      ],
    );
    assert.deepEqual(
      priorityclasses.table!.row(priorityClass('high', { value: 100, globalDefault: true }), now),
      ['high', 100, true, '3h', 'PreemptLowerPriority'],
    );
    assert.deepEqual(priorityclasses.table!.row(priorityClass('low', { value: -1 }), now), [
      'low',
      -1,
      false,
      '3h',
      'PreemptLowerPriority',
    ]);
  });
});
