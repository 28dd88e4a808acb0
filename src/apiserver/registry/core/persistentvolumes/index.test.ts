import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { persistentvolumes } from './index.ts';

const now = new Date('2024-01-01T00:00:30Z');
const ctx = { user: { name: 'admin', groups: [] } };

function pv(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-1', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
    ...extra,
  };
}

function create(obj: KubeObject): string[] {
  persistentvolumes.strategy!.prepareForCreate!(obj, ctx);
  persistentvolumes.strategy!.defaults!(obj);
  return persistentvolumes.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}`);
}

const good = { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } };

describe('persistentvolumes', () => {
  it('defaults the reclaim policy, volume mode, hostPath type and a Pending status', () => {
    const obj = pv({ ...good }, { status: { phase: 'Bound' } });
    assert.deepEqual(create(obj), []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.deepEqual(
      [spec['persistentVolumeReclaimPolicy'], spec['volumeMode'], spec['hostPath']],
      ['Retain', 'Filesystem', { path: '/data', type: '' }],
    );
    const status = obj['status'] as Record<string, unknown>;
    assert.equal(status['phase'], 'Pending');
    assert.equal(typeof status['lastPhaseTransitionTime'], 'string');
  });

  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    {
      name: 'nothing given',
      spec: {},
      want: [
        'FieldValueRequired spec.accessModes',
        'FieldValueRequired spec.capacity',
        'FieldValueNotSupported spec.capacity',
        'FieldValueRequired spec',
      ],
    },
    {
      name: 'two volume types',
      spec: { ...good, nfs: { server: 'nfs', path: '/' } },
      want: ['FieldValueForbidden spec.nfs'],
    },
    {
      name: 'bad access mode and zero capacity',
      spec: {
        ...good,
        accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'Sometimes'],
        capacity: { storage: '0' },
      },
      want: [
        'FieldValueNotSupported spec.accessModes',
        'FieldValueForbidden spec.accessModes',
        'FieldValueInvalid spec.capacity[storage]',
      ],
    },
    {
      name: 'unknown reclaim policy',
      spec: { ...good, persistentVolumeReclaimPolicy: 'Shred' },
      want: ['FieldValueNotSupported spec.persistentVolumeReclaimPolicy'],
    },
  ];
  for (const c of cases) it(`validates: ${c.name}`, () => assert.deepEqual(create(pv(c.spec)), c.want));

  it('keeps the volume source fixed on update', () => {
    const old = pv({ ...good });
    create(old);
    const next = pv({ ...good, hostPath: { path: '/other', type: '' } });
    persistentvolumes.strategy!.defaults!(next);
    assert.deepEqual(
      persistentvolumes.strategy!.validateUpdate!(next, old).map((e) => e.field),
      ['spec.persistentvolumesource'],
    );
  });

  it('timestamps a phase change on the status subresource', () => {
    const old = pv(
      { ...good },
      { status: { phase: 'Pending', lastPhaseTransitionTime: '2024-01-01T00:00:00Z' } },
    );
    const same = pv({}, { status: { phase: 'Pending' } });
    persistentvolumes.status!.prepareForUpdate!(same, old);
    assert.deepEqual(same['status'], { phase: 'Pending', lastPhaseTransitionTime: '2024-01-01T00:00:00Z' });
    assert.deepEqual(same['spec'], old['spec']);
    const bound = pv({}, { status: { phase: 'Bound' } });
    persistentvolumes.status!.prepareForUpdate!(bound, old);
    assert.notEqual((bound['status'] as Record<string, unknown>)['lastPhaseTransitionTime'], undefined);
    assert.notEqual(
      (bound['status'] as Record<string, unknown>)['lastPhaseTransitionTime'],
      '2024-01-01T00:00:00Z',
    );
  });

  it('prints the upstream row', () => {
    const obj = pv(
      {
        capacity: { storage: '10737418240' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'fast',
        claimRef: { namespace: 'default', name: 'data' },
        volumeMode: 'Filesystem',
      },
      { status: { phase: 'Bound' } },
    );
    assert.deepEqual(persistentvolumes.table!.row(obj, now), [
      'pv-1',
      '10737418240',
      'RWO,RWX',
      'Delete',
      'Bound',
      'default/data',
      'fast',
      '<unset>',
      '',
      '30s',
      'Filesystem',
    ]);
    obj.metadata.deletionTimestamp = '2024-01-01T00:00:10Z';
    obj.metadata.annotations = { 'volume.beta.kubernetes.io/storage-class': 'legacy' };
    const row = persistentvolumes.table!.row(obj, now);
    assert.deepEqual([row[4], row[6]], ['Terminating', 'legacy']);
  });

  it('prints capacity as Quantity.String() does', () => {
    const row = persistentvolumes.table!.row(pv({ capacity: { storage: '1024Mi' } }), now);
    assert.equal(row[1], '1Gi');
    assert.equal(persistentvolumes.table!.row(pv({}), now)[1], '0');
  });

  it('selects on the legacy "name" field, cluster-scoped', () => {
    assert.deepEqual(objectFields(persistentvolumes, pv({})), { 'metadata.name': 'pv-1', name: 'pv-1' });
  });
});
