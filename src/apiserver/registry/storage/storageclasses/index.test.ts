import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { storageclasses } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function storageClass(fields: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', creationTimestamp: '2024-01-01T00:00:00Z' },
    provisioner: 'rancher.io/local-path',
    ...fields,
  };
  if (annotations !== undefined) obj.metadata.annotations = annotations;
  return obj;
}

function defaulted(fields: Record<string, unknown>): KubeObject {
  const obj = storageClass(fields);
  storageclasses.strategy!.defaults!(obj);
  return obj;
}

const validate = (fields: Record<string, unknown>) =>
  storageclasses.strategy!.validate!(defaulted(fields)).map(errorString);

describe('storageclasses: defaults', () => {
  const cases: Array<[string, Record<string, unknown>, [unknown, unknown]]> = [
    ['nothing set', {}, ['Delete', 'Immediate']],
    [
      'both set',
      { reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
      ['Retain', 'WaitForFirstConsumer'],
    ],
  ];
  for (const [name, fields, [reclaim, mode]] of cases) {
    it(name, () => {
      const obj = defaulted(fields);
      assert.equal(obj['reclaimPolicy'], reclaim);
      assert.equal(obj['volumeBindingMode'], mode);
    });
  }
});

describe('storageclasses: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a plain class', { parameters: { type: 'ssd' }, allowVolumeExpansion: true }, []],
    ['an upper-case CSI driver name', { provisioner: 'Example.com/Driver' }, []],
    ['no provisioner', { provisioner: '' }, ['provisioner: Required value']],
    [
      'a provisioner that is no qualified name',
      { provisioner: 'a/b/c' },
      [
        `provisioner: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    [
      'an unknown reclaim policy',
      { reclaimPolicy: 'Recycle' },
      ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
    ],
    [
      'an unknown binding mode',
      { volumeBindingMode: 'Later' },
      [
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      ],
    ],
    [
      'an empty parameter key',
      { parameters: { '': 'x' } },
      ['parameters: Invalid value: "": field can not be empty.'],
    ],
    [
      'allowed topologies with a duplicate value',
      {
        allowedTopologies: [
          { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'a'] }] },
        ],
      },
      ['allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"'],
    ],
    [
      'duplicate allowed topology terms',
      {
        allowedTopologies: [
          { matchLabelExpressions: [{ key: 'zone', values: ['a', 'b'] }] },
          { matchLabelExpressions: [{ key: 'zone', values: ['b', 'a'] }] },
        ],
      },
      ['allowedTopologies[1].matchLabelExpressions: Duplicate value: ""'],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(validate(fields), want));
  }

  it('forbids changing what provisioned volumes depend on', () => {
    const old = defaulted({ parameters: { type: 'ssd' } });
    const next = defaulted({
      provisioner: 'example.com/other',
      parameters: { type: 'hdd' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    assert.deepEqual(storageclasses.strategy!.validateUpdate!(next, old).map(errorString), [
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
    const relabelled = structuredClone(old);
    relabelled.metadata.labels = { tier: 'fast' };
    relabelled['allowVolumeExpansion'] = true;
    assert.deepEqual(storageclasses.strategy!.validateUpdate!(relabelled, old), []);
  });
});

describe('storageclasses: table', () => {
  it('has the upstream columns', () => {
    assert.deepEqual(
      storageclasses.table!.columns.map((c) => c.name),
      ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
    );
  });

  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'a plain class',
      defaulted({}),
      ['standard', 'rancher.io/local-path', 'Delete', 'Immediate', false, '3h'],
    ],
    [
      'the default class',
      storageClass(
        { reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true },
        { 'storageclass.kubernetes.io/is-default-class': 'true' },
      ),
      ['standard (default)', 'rancher.io/local-path', 'Retain', 'WaitForFirstConsumer', true, '3h'],
    ],
    [
      'the beta default annotation',
      storageClass({}, { 'storageclass.beta.kubernetes.io/is-default-class': 'true' }),
      ['standard (default)', 'rancher.io/local-path', 'Delete', 'Immediate', false, '3h'],
    ],
    [
      'a default annotation that is not "true"',
      storageClass({}, { 'storageclass.kubernetes.io/is-default-class': 'false' }),
      ['standard', 'rancher.io/local-path', 'Delete', 'Immediate', false, '3h'],
    ],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => assert.deepEqual(storageclasses.table!.row(obj, now), want));
  }
});
