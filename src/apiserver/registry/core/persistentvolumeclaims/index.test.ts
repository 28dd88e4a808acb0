import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { persistentvolumeclaims } from './index.ts';

const now = new Date('2024-01-01T00:00:30Z');
const ctx = { user: { name: 'admin', groups: [] } };

function pvc(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
  };
  if (status !== undefined) obj['status'] = status;
  return obj;
}

const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
const fields = (errs: Array<{ type: string; field: string }>): string[] =>
  errs.map((e) => `${e.type} ${e.field}`);

describe('persistentvolumeclaims', () => {
  it('defaults the volume mode and a Pending phase, dropping client status', () => {
    const obj = pvc({ ...good }, { phase: 'Bound', capacity: { storage: '1Gi' } });
    persistentvolumeclaims.strategy!.prepareForCreate!(obj, ctx);
    persistentvolumeclaims.strategy!.defaults!(obj);
    assert.equal((obj['spec'] as Record<string, unknown>)['volumeMode'], 'Filesystem');
    assert.deepEqual(obj['status'], { phase: 'Pending' });
    assert.deepEqual(persistentvolumeclaims.strategy!.validate!(obj), []);
  });

  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    {
      name: 'no access modes, no storage request',
      spec: {},
      want: ['FieldValueRequired spec.accessModes', 'FieldValueRequired spec.resources[storage]'],
    },
    {
      name: 'a negative request and a bad mode',
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '-1' } }, volumeMode: 'Raw' },
      want: ['FieldValueInvalid spec.resources[storage]', 'FieldValueNotSupported spec.volumeMode'],
    },
  ];
  for (const c of cases) {
    it(`validates: ${c.name}`, () =>
      assert.deepEqual(fields(persistentvolumeclaims.strategy!.validate!(pvc(c.spec))), c.want));
  }

  it('allows binding once and expansion of a bound claim, nothing else', () => {
    const old = pvc({ ...good, volumeMode: 'Filesystem' }, { phase: 'Pending' });
    const bind = pvc({ ...good, volumeMode: 'Filesystem', volumeName: 'pv-1' }, { phase: 'Pending' });
    assert.deepEqual(fields(persistentvolumeclaims.strategy!.validateUpdate!(bind, old)), []);
    const boundOld = pvc({ ...(bind['spec'] as object) }, { phase: 'Bound', capacity: { storage: '1Gi' } });
    const grow = pvc(
      { ...good, volumeMode: 'Filesystem', volumeName: 'pv-1', resources: { requests: { storage: '2Gi' } } },
      { phase: 'Bound' },
    );
    assert.deepEqual(fields(persistentvolumeclaims.strategy!.validateUpdate!(grow, boundOld)), []);
    const shrink = pvc(
      {
        ...good,
        volumeMode: 'Filesystem',
        volumeName: 'pv-1',
        resources: { requests: { storage: '512Mi' } },
      },
      { phase: 'Bound' },
    );
    assert.deepEqual(fields(persistentvolumeclaims.strategy!.validateUpdate!(shrink, boundOld)), [
      'FieldValueForbidden spec.resources.requests.storage',
    ]);
    const modes = pvc(
      { ...good, accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', volumeName: 'pv-1' },
      { phase: 'Bound' },
    );
    assert.deepEqual(fields(persistentvolumeclaims.strategy!.validateUpdate!(modes, boundOld)), [
      'FieldValueForbidden spec',
    ]);
    const pendingGrow = pvc(
      { ...good, volumeMode: 'Filesystem', resources: { requests: { storage: '2Gi' } } },
      { phase: 'Pending' },
    );
    assert.deepEqual(fields(persistentvolumeclaims.strategy!.validateUpdate!(pendingGrow, old)), [
      'FieldValueForbidden spec',
    ]);
  });

  it('prints capacity and modes only once bound', () => {
    const pending = pvc(
      { ...good, storageClassName: 'standard', volumeMode: 'Filesystem' },
      { phase: 'Pending' },
    );
    assert.deepEqual(persistentvolumeclaims.table!.row(pending, now), [
      'data',
      'Pending',
      '',
      '',
      '',
      'standard',
      '<unset>',
      '30s',
      'Filesystem',
    ]);
    const bound = pvc(
      { ...good, volumeName: 'pv-1', volumeAttributesClassName: 'gold' },
      { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] },
    );
    assert.deepEqual(persistentvolumeclaims.table!.row(bound, now), [
      'data',
      'Bound',
      'pv-1',
      '1Gi',
      'RWO,ROX',
      '',
      'gold',
      '30s',
      '<unset>',
    ]);
  });

  it('selects on the legacy "name" field', () => {
    assert.deepEqual(objectFields(persistentvolumeclaims, pvc({})), {
      'metadata.name': 'data',
      'metadata.namespace': 'default',
      name: 'data',
    });
  });
});
