import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { resourcequotas } from './index.ts';

const now = new Date('2024-01-01T00:00:05Z');
const ctx = { user: { name: 'admin', groups: [] } };

function quota(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'compute', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
  };
  if (status !== undefined) obj['status'] = status;
  return obj;
}

const errors = (obj: KubeObject): string[] =>
  resourcequotas.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}: ${e.detail}`);

describe('resourcequotas', () => {
  it('drops a client-written status on create', () => {
    const obj = quota({ hard: { pods: '10' } }, { used: { pods: '3' } });
    resourcequotas.strategy!.prepareForCreate!(obj, ctx);
    assert.deepEqual(obj['status'], {});
  });

  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    {
      name: 'valid',
      spec: { hard: { pods: '10', 'requests.cpu': '500m', 'count/deployments.apps': '5' } },
      want: [],
    },
    {
      name: 'negative and fractional counts',
      spec: { hard: { 'limits.memory': '-1Gi', pods: '1500m' } },
      want: [
        'FieldValueInvalid spec.hard[limits.memory]: must be greater than or equal to 0',
        'FieldValueInvalid spec.hard[pods]: must be an integer',
      ],
    },
    {
      name: 'an unknown resource',
      spec: { hard: { widgets: '1' } },
      want: [
        'FieldValueInvalid spec.hard[widgets]: must be a standard resource type or fully qualified',
        'FieldValueInvalid spec.hard[widgets]: must be a standard resource for quota',
      ],
    },
    {
      name: 'unsupported and conflicting scopes',
      spec: { hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort', 'Everything'] },
      want: [
        'FieldValueInvalid spec.scopes: unsupported scope',
        'FieldValueInvalid spec.scopes: conflicting scopes',
      ],
    },
  ];
  for (const c of cases) it(`validates: ${c.name}`, () => assert.deepEqual(errors(quota(c.spec)), c.want));

  it('prints used/hard per resource, limits.* in the Limit column, sorted by name', () => {
    const obj = quota(
      {},
      {
        hard: {
          'requests.memory': '1Gi',
          pods: '10',
          'limits.cpu': '2',
          'limits.memory': '2Gi',
          'requests.cpu': '1',
        },
        used: { 'requests.memory': '536870912', pods: '3', 'limits.cpu': '500m' },
      },
    );
    assert.deepEqual(resourcequotas.table!.row(obj, now), [
      'compute',
      'pods: 3/10, requests.cpu: 0/1, requests.memory: 536870912/1Gi',
      'limits.cpu: 500m/2, limits.memory: 0/2Gi',
      '5s',
    ]);
  });

  it('validates the status written through the status subresource', () => {
    const obj = quota({}, { used: { pods: '-1' } });
    assert.deepEqual(
      resourcequotas.status!.validateUpdate!(obj, quota({})).map((e) => e.field),
      ['status.used[pods]'],
    );
  });
});
