import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { limitranges } from './index.ts';

function lr(limits: unknown[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'limits', namespace: 'default' },
    spec: { limits },
  };
}

const errors = (obj: KubeObject): string[] =>
  limitranges.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}: ${e.detail}`);

describe('limitranges', () => {
  it('defaults container limits from max, and requests from the default limit, then min', () => {
    const obj = lr([
      {
        type: 'Container',
        max: { cpu: '2', memory: '1Gi' },
        default: { memory: '512Mi' },
        min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
      },
      { type: 'Pod', max: { cpu: '4' } },
    ]);
    limitranges.strategy!.defaults!(obj);
    const [container, pod] = (obj['spec'] as { limits: Array<Record<string, unknown>> }).limits;
    assert.deepEqual(container!['default'], { memory: '512Mi', cpu: '2' });
    assert.deepEqual(container!['defaultRequest'], { memory: '512Mi', cpu: '2', 'ephemeral-storage': '1Gi' });
    assert.deepEqual(pod, { type: 'Pod', max: { cpu: '4' } });
    assert.deepEqual(errors(obj), []);
  });

  const cases: Array<{ name: string; limits: unknown[]; want: string[] }> = [
    {
      name: 'min above max',
      limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }],
      want: ['FieldValueInvalid spec.limits[0].min[cpu]: min value 2 is greater than max value 1'],
    },
    {
      name: 'a default request above the default limit',
      limits: [{ type: 'Container', default: { memory: '1Gi' }, defaultRequest: { memory: '2Gi' } }],
      want: [
        'FieldValueInvalid spec.limits[0].defaultRequest[memory]: default request value 2Gi is greater than default limit value 1Gi',
      ],
    },
    {
      name: 'defaults on a Pod limit',
      limits: [{ type: 'Pod', default: { cpu: '1' } }],
      want: ["FieldValueForbidden spec.limits[0].default: may not be specified when `type` is 'Pod'"],
    },
    {
      name: 'a PVC limit without storage bounds',
      limits: [{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }],
      want: [
        'FieldValueRequired spec.limits[0].limits: either minimum or maximum storage value is required, but neither was provided',
      ],
    },
    {
      name: 'an unknown type and a duplicate',
      limits: [{ type: 'Volume' }, { type: 'Pod' }, { type: 'Pod' }],
      want: [
        'FieldValueInvalid spec.limits[0].type: must be a standard limit type or fully qualified',
        'FieldValueDuplicate spec.limits[2].type: ',
      ],
    },
    {
      name: 'a ratio below one and a ratio above max/min',
      limits: [
        { type: 'Container', maxLimitRequestRatio: { cpu: '500m' } },
        {
          type: 'Pod',
          min: { memory: '1Gi' },
          max: { memory: '2Gi' },
          maxLimitRequestRatio: { memory: '3' },
        },
      ],
      want: [
        'FieldValueInvalid spec.limits[0].maxLimitRequestRatio[cpu]: ratio 500m is less than 1',
        'FieldValueInvalid spec.limits[1].maxLimitRequestRatio[memory]: ratio 3 is greater than max/min = 2.000000',
      ],
    },
    {
      name: 'a non-container resource on a container limit',
      limits: [{ type: 'Container', max: { pods: '1' } }],
      want: ['FieldValueInvalid spec.limits[0].max[pods]: must be a standard resource for containers'],
    },
  ];
  for (const c of cases) it(`validates: ${c.name}`, () => assert.deepEqual(errors(lr(c.limits)), c.want));

  it('prints upstream default columns and takes short name limits', () => {
    assert.equal(limitranges.table, undefined);
    assert.deepEqual(limitranges.shortNames, ['limits']);
  });
});
