import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../testing.ts';
import { deployments } from './index.ts';

const base = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

describe('deployments', () => {
  it('fills apps/v1 defaults and the pod template defaults', () => {
    const { obj, errors } = create(deployments, base());
    assert.deepEqual(errors, []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.equal(spec['replicas'], 1);
    assert.deepEqual(spec['strategy'], {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    assert.equal(spec['revisionHistoryLimit'], 10);
    assert.equal(spec['progressDeadlineSeconds'], 600);
    const tpl = spec['template'] as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    assert.equal(tpl.metadata['creationTimestamp'], null);
    assert.equal(tpl.spec['restartPolicy'], 'Always');
    assert.equal(tpl.spec['dnsPolicy'], 'ClusterFirst');
    assert.equal(tpl.spec['terminationGracePeriodSeconds'], 30);
    assert.equal(tpl.spec['enableServiceLinks'], undefined, 'enableServiceLinks is Pod-only');
    const c = (tpl.spec['containers'] as Record<string, unknown>[])[0]!;
    assert.equal(c['imagePullPolicy'], 'IfNotPresent');
    assert.deepEqual(obj['status'], {});
  });

  it('leaves a Recreate strategy without rollingUpdate and keeps given values', () => {
    const { obj } = create(
      deployments,
      base({ replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 2 }),
    );
    const spec = obj['spec'] as Record<string, unknown>;
    assert.deepEqual(spec['strategy'], { type: 'Recreate' });
    assert.equal(spec['replicas'], 0);
    assert.equal(spec['revisionHistoryLimit'], 2);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    [
      'no selector',
      { selector: undefined },
      ['Required spec.selector', 'Invalid spec.template.metadata.labels'],
    ],
    ['empty selector', { selector: {} }, ['Invalid spec.selector']],
    [
      'selector not matching',
      { selector: { matchLabels: { app: 'db' } } },
      ['Invalid spec.template.metadata.labels'],
    ],
    [
      'bad expression',
      { selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['web'] }] } },
      ['Invalid spec.selector.matchExpressions[0].operator', 'Invalid spec.selector'],
    ],
    ['negative replicas', { replicas: -1 }, ['Invalid spec.replicas']],
    [
      'no containers',
      { template: { metadata: { labels: { app: 'web' } } } },
      ['Required spec.template.spec.containers'],
    ],
    [
      'restartPolicy Never',
      { template: template({ restartPolicy: 'Never' }) },
      ['NotSupported spec.template.spec.restartPolicy'],
    ],
    [
      'activeDeadlineSeconds',
      { template: template({ activeDeadlineSeconds: 5 }) },
      ['Forbidden spec.template.spec.activeDeadlineSeconds'],
    ],
    [
      'bad template label',
      {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web', 'a/b/c': 'x' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
      ['Invalid spec.template.labels'],
    ],
    [
      'Recreate with rollingUpdate',
      { strategy: { type: 'Recreate', rollingUpdate: {} } },
      ['Forbidden spec.strategy.rollingUpdate'],
    ],
    [
      'both zero',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } },
      ['Invalid spec.strategy.rollingUpdate.maxUnavailable'],
    ],
    [
      'over 100%',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } },
      ['Invalid spec.strategy.rollingUpdate.maxUnavailable'],
    ],
    [
      'not a percent',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots' } } },
      ['Invalid spec.strategy.rollingUpdate.maxSurge'],
    ],
    ['unknown strategy', { strategy: { type: 'BlueGreen' } }, ['NotSupported spec.strategy']],
    ['deadline within minReadySeconds', { minReadySeconds: 700 }, ['Invalid spec.progressDeadlineSeconds']],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => {
      assert.deepEqual(errorKeys(create(deployments, base(spec)).errors), want);
    });
  }

  it('prints upstream messages', () => {
    const { errors } = create(deployments, base({ selector: {} }));
    assert.equal(
      errorString(errors[0]!),
      'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    );
    const zero = create(
      deployments,
      base({ strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }),
    );
    assert.equal(
      errorString(zero.errors[0]!),
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    );
  });

  it('keeps the selector immutable and counts annotation changes as spec changes', () => {
    const old = create(deployments, base()).obj;
    const next = structuredClone(old);
    (next['spec'] as Record<string, unknown>)['selector'] = { matchLabels: { app: 'web', tier: 'x' } };
    const { errors } = update(deployments, next, old);
    assert.ok(errorKeys(errors).includes('Invalid spec.selector'));
    assert.match(errorString(errors.find((e) => e.field === 'spec.selector')!), /field is immutable$/);

    const annotated = structuredClone(old);
    annotated.metadata.annotations = { note: 'x' };
    assert.equal(deployments.strategy?.specChanged?.(annotated, old), true);
    assert.equal(deployments.strategy?.specChanged?.(structuredClone(old), old), false);
  });

  it('validates status updates', () => {
    const old = create(deployments, base()).obj;
    const next: KubeObject = { ...old, status: { replicas: 1, readyReplicas: 2, availableReplicas: -1 } };
    assert.deepEqual(errorKeys(deployments.status?.validateUpdate?.(next, old) ?? []), [
      'Invalid status.availableReplicas',
      'Invalid status.readyReplicas',
    ]);
  });

  it('prints NAME READY UP-TO-DATE AVAILABLE AGE and the wide columns', () => {
    const { obj } = create(deployments, base({ replicas: 3 }));
    obj['status'] = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 1 };
    const now = new Date('2025-01-01T00:05:00Z');
    assert.deepEqual(
      deployments.table?.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
    );
    assert.deepEqual(deployments.table?.row(obj, now), [
      'web',
      '2/3',
      3,
      1,
      '5m',
      'web',
      'nginx:1.27',
      'app=web',
    ]);
    const bare: KubeObject = { metadata: { name: 'b' }, spec: {} };
    assert.deepEqual(deployments.table?.row(bare, now), ['b', '0/0', 0, 0, '<unknown>', '', '', '']);
  });

  it('serves a scale subresource over the replica counts', () => {
    assert.deepEqual(deployments.scale, {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.spec.selector',
    });
    assert.deepEqual([deployments.shortNames, deployments.categories], [['deploy'], ['all']]);
  });
});
