import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../testing.ts';
import { statefulsets } from './index.ts';

const base = (spec: Record<string, unknown> = {}, name = 'db'): Record<string, unknown> => ({
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'db', template: template(), ...spec },
});

describe('statefulsets', () => {
  it('fills apps/v1 defaults, claim template defaults included', () => {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const { obj, errors } = create(statefulsets, base({ volumeClaimTemplates: [claim] }));
    assert.deepEqual(errors, []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.equal(spec['podManagementPolicy'], 'OrderedReady');
    assert.deepEqual(spec['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(spec['persistentVolumeClaimRetentionPolicy'], {
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    assert.equal(spec['replicas'], 1);
    assert.equal(spec['revisionHistoryLimit'], 10);
    assert.deepEqual(spec['volumeClaimTemplates'], [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', creationTimestamp: null },
        spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ]);
    assert.deepEqual(obj['status'], { replicas: 0, availableReplicas: 0 });
  });

  it('leaves OnDelete without rollingUpdate', () => {
    const { obj } = create(statefulsets, base({ updateStrategy: { type: 'OnDelete' } }));
    assert.deepEqual((obj['spec'] as Record<string, unknown>)['updateStrategy'], { type: 'OnDelete' });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    [
      'no selector',
      { selector: undefined },
      ['Required spec.selector', 'Invalid spec.template.metadata.labels'],
    ],
    ['empty selector', { selector: {} }, ['Invalid spec.selector']],
    ['bad pod management', { podManagementPolicy: 'Sometimes' }, ['Invalid spec.podManagementPolicy']],
    ['bad update strategy', { updateStrategy: { type: 'Sideways' } }, ['Invalid spec.updateStrategy']],
    [
      'OnDelete with rollingUpdate',
      { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } },
      ['Invalid spec.updateStrategy.rollingUpdate'],
    ],
    [
      'negative partition, zero maxUnavailable',
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1, maxUnavailable: 0 } } },
      [
        'Invalid spec.updateStrategy.rollingUpdate.partition',
        'Invalid spec.updateStrategy.rollingUpdate.maxUnavailable',
      ],
    ],
    [
      'retention policy',
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } },
      ['NotSupported spec.persistentVolumeClaimRetentionPolicy.whenDeleted'],
    ],
    ['negative ordinal', { ordinals: { start: -1 } }, ['Invalid spec.ordinals.start']],
    [
      'restartPolicy',
      { template: template({ restartPolicy: 'OnFailure' }) },
      ['NotSupported spec.template.spec.restartPolicy'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () =>
      assert.deepEqual(errorKeys(create(statefulsets, base(spec)).errors), want));
  }

  it('names must be DNS labels', () => {
    assert.deepEqual(errorKeys(create(statefulsets, base({}, 'db.v1')).errors), ['Invalid metadata.name']);
  });

  it('forbids updates beyond replicas, template, updateStrategy and the like', () => {
    const old = create(statefulsets, base()).obj;
    const scaled = structuredClone(old);
    (scaled['spec'] as Record<string, unknown>)['replicas'] = 5;
    (scaled['spec'] as Record<string, unknown>)['minReadySeconds'] = 3;
    assert.deepEqual(update(statefulsets, scaled, old).errors, []);
    const renamed = structuredClone(old);
    (renamed['spec'] as Record<string, unknown>)['serviceName'] = 'other';
    assert.deepEqual(errorKeys(update(statefulsets, renamed, old).errors), ['Forbidden spec']);
  });

  it('validates status counters', () => {
    const old = create(statefulsets, base()).obj;
    old['status'] = { replicas: 1, collisionCount: 2 };
    const next: KubeObject = {
      ...old,
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 2, collisionCount: 1 },
    };
    assert.deepEqual(errorKeys(statefulsets.status?.validateUpdate?.(next, old) ?? []), [
      'Invalid status.availableReplicas',
      'Invalid status.availableReplicas',
      'Invalid status.collisionCount',
    ]);
  });

  it('prints NAME READY AGE, CONTAINERS IMAGES when wide', () => {
    const { obj } = create(statefulsets, base({ replicas: 3 }));
    obj['status'] = { readyReplicas: 2 };
    assert.deepEqual(statefulsets.table?.row(obj, new Date('2025-01-01T01:00:00Z')), [
      'db',
      '2/3',
      '60m',
      'web',
      'nginx:1.27',
    ]);
    assert.deepEqual(statefulsets.shortNames, ['sts']);
    assert.equal(statefulsets.scale?.specReplicasPath, '.spec.replicas');
  });
});
