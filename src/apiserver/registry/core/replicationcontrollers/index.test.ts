import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { replicationcontrollers } from './index.ts';

const now = new Date('2024-01-01T00:00:42Z');
const ctx = { user: { name: 'admin', groups: [] } };

function rc(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
    ...extra,
  };
}

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
};

function create(obj: KubeObject): string[] {
  replicationcontrollers.strategy!.prepareForCreate!(obj, ctx);
  replicationcontrollers.strategy!.defaults!(obj);
  return replicationcontrollers.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}`);
}

describe('replicationcontrollers', () => {
  it('defaults one replica, and selector and labels from the template', () => {
    const obj = rc({ template: structuredClone(template) }, { status: { replicas: 5 } });
    assert.deepEqual(create(obj), []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.deepEqual(
      [spec['replicas'], spec['selector'], obj.metadata.labels],
      [1, { app: 'web' }, { app: 'web' }],
    );
    assert.deepEqual(obj['status'], {});
    assert.equal(obj.metadata.generation, 1);
  });

  it('keeps a given selector, replicas and labels', () => {
    const obj = rc({ replicas: 0, selector: { app: 'web' }, template: structuredClone(template) });
    obj.metadata.labels = { team: 'a' };
    assert.deepEqual(create(obj), []);
    assert.deepEqual(
      [(obj['spec'] as Record<string, unknown>)['replicas'], obj.metadata.labels],
      [0, { team: 'a' }],
    );
  });

  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'no template', spec: { selector: { app: 'web' } }, want: ['FieldValueRequired spec.template'] },
    {
      name: 'no selector anywhere',
      spec: { template: { spec: template.spec } },
      want: ['FieldValueRequired spec.selector'],
    },
    {
      name: 'a selector the template does not match, negative replicas',
      spec: { replicas: -1, selector: { app: 'db' }, template: structuredClone(template) },
      want: ['FieldValueInvalid spec.replicas', 'FieldValueInvalid spec.template.metadata.labels'],
    },
    {
      name: 'a restart policy other than Always',
      spec: {
        template: { ...structuredClone(template), spec: { ...template.spec, restartPolicy: 'Never' } },
      },
      want: ['FieldValueNotSupported spec.template.spec.restartPolicy'],
    },
  ];
  for (const c of cases) it(`validates: ${c.name}`, () => assert.deepEqual(create(rc(c.spec)), c.want));

  it('validates status counts on the status subresource', () => {
    const obj = rc({}, { status: { replicas: 2, readyReplicas: 3, availableReplicas: 1 } });
    assert.deepEqual(
      replicationcontrollers.status!.validateUpdate!(obj, rc({})).map((e) => `${e.field}: ${e.detail}`),
      ['status.readyReplicas: cannot be greater than status.replicas'],
    );
  });

  it('prints desired, current, ready and the wide columns', () => {
    const obj = rc(
      { replicas: 3, selector: { app: 'web', tier: 'front' }, template },
      { status: { replicas: 3, readyReplicas: 2 } },
    );
    assert.deepEqual(replicationcontrollers.table!.row(obj, now), [
      'web',
      3,
      3,
      2,
      '42s',
      'web',
      'nginx',
      'app=web,tier=front',
    ]);
  });

  it('serves scale and selects on status.replicas', () => {
    assert.deepEqual(replicationcontrollers.scale, {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.spec.selector',
    });
    assert.equal(objectFields(replicationcontrollers, rc({}))['status.replicas'], '0');
    assert.deepEqual(
      [replicationcontrollers.shortNames, replicationcontrollers.categories],
      [['rc'], ['all']],
    );
  });
});
