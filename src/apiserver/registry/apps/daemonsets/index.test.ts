import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../testing.ts';
import { daemonsets, templateGenerationAnnotation } from './index.ts';

const base = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { name: 'agent' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

describe('daemonsets', () => {
  it('fills apps/v1 defaults and starts the template generation at 1', () => {
    const { obj, errors } = create(daemonsets, base());
    assert.deepEqual(errors, []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.deepEqual(spec['updateStrategy'], {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    assert.equal(spec['revisionHistoryLimit'], 10);
    assert.equal(obj.metadata.annotations?.[templateGenerationAnnotation], '1');
    assert.deepEqual(obj['status'], {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
  });

  it('counts template changes in the generation annotation, which clients cannot set', () => {
    const old = create(daemonsets, base()).obj;
    const same = structuredClone(old);
    same.metadata.annotations = { [templateGenerationAnnotation]: '9' };
    assert.equal(update(daemonsets, same, old).obj.metadata.annotations?.[templateGenerationAnnotation], '1');
    const changed = structuredClone(old);
    const tpl = (changed['spec'] as { template: { spec: { containers: { image: string }[] } } }).template;
    tpl.spec.containers[0]!.image = 'nginx:1.28';
    assert.equal(
      update(daemonsets, changed, old).obj.metadata.annotations?.[templateGenerationAnnotation],
      '2',
    );
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    // A missing selector matches nothing; upstream reports only the mismatch.
    ['no selector', { selector: undefined }, ['Invalid spec.template.metadata.labels']],
    ['empty selector', { selector: {} }, ['Invalid spec.selector']],
    [
      'both surge and unavailable',
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } },
      ['Invalid spec.updateStrategy.rollingUpdate.maxSurge'],
    ],
    [
      'neither',
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
      ['Required spec.updateStrategy.rollingUpdate.maxUnavailable'],
    ],
    ['unknown strategy', { updateStrategy: { type: 'Never' } }, ['NotSupported spec.updateStrategy']],
    ['negative history', { revisionHistoryLimit: -1 }, ['Invalid spec.revisionHistoryLimit']],
    [
      'restartPolicy',
      { template: template({ restartPolicy: 'Never' }) },
      ['NotSupported spec.template.spec.restartPolicy'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(daemonsets, base(spec)).errors), want));
  }

  it('keeps the selector immutable and validates status', () => {
    const old = create(daemonsets, base()).obj;
    const next = structuredClone(old);
    (next['spec'] as Record<string, unknown>)['selector'] = {
      matchExpressions: [{ key: 'app', operator: 'Exists' }],
    };
    assert.deepEqual(errorKeys(update(daemonsets, next, old).errors), ['Invalid spec.selector']);
    const st: KubeObject = { ...old, status: { numberReady: -1 } };
    assert.deepEqual(errorKeys(daemonsets.status?.validateUpdate?.(st, old) ?? []), [
      'Invalid status.numberReady',
    ]);
  });

  it('prints NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE', () => {
    const { obj } = create(
      daemonsets,
      base({ template: template({ nodeSelector: { zone: 'a', os: 'linux' } }) }),
    );
    obj['status'] = {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 2,
    };
    assert.deepEqual(
      daemonsets.table?.columns.map((c) => c.name),
      [
        'Name',
        'Desired',
        'Current',
        'Ready',
        'Up-to-date',
        'Available',
        'Node Selector',
        'Age',
        'Containers',
        'Images',
        'Selector',
      ],
    );
    assert.deepEqual(daemonsets.table?.row(obj, new Date('2025-01-01T00:00:30Z')), [
      'agent',
      3,
      3,
      2,
      1,
      2,
      'os=linux,zone=a',
      '30s',
      'web',
      'nginx:1.27',
      'app=web',
    ]);
    const plain = create(daemonsets, base()).obj;
    assert.equal(daemonsets.table?.row(plain, new Date())[6], '<none>');
  });
});
