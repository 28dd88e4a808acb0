import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, update } from '../../apps/testing.ts';
import {
  behaviorAnnotation,
  conditionsAnnotation,
  hpaFromV1,
  hpaToV1,
  metricSpecsAnnotation,
  metricStatusesAnnotation,
} from './conversion.ts';
import { horizontalpodautoscalers as hpa, horizontalpodautoscalersV1 as hpaV1 } from './index.ts';

const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const base = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { name: 'web' },
  spec: { scaleTargetRef: ref, maxReplicas: 5, ...spec },
});
const cpu = (utilization: number): Record<string, unknown> => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } },
});
const memory = {
  type: 'Resource',
  resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
};
const specOf = (obj: KubeObject): Record<string, unknown> => obj['spec'] as Record<string, unknown>;

describe('horizontalpodautoscalers (autoscaling/v2)', () => {
  it('defaults minReplicas and the CPU target', () => {
    const { obj, errors } = create(hpa, base());
    assert.deepEqual(errors, []);
    assert.equal(specOf(obj)['minReplicas'], 1);
    assert.deepEqual(specOf(obj)['metrics'], [cpu(80)]);
    assert.deepEqual(obj['status'], { desiredReplicas: 0 });
  });

  it('fills a given behavior with the default rules', () => {
    const { obj } = create(hpa, base({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }));
    assert.deepEqual(specOf(obj)['behavior'], {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', { metrics: [cpu(50), memory] }, []],
    ['minReplicas 0', { minReplicas: 0 }, ['Invalid spec.minReplicas', 'Forbidden spec.metrics']],
    ['maxReplicas 0', { maxReplicas: 0 }, ['Invalid spec.maxReplicas', 'Invalid spec.maxReplicas']],
    ['no target', { scaleTargetRef: { kind: 'Deployment' } }, ['Required spec.scaleTargetRef.name']],
    [
      'bad target name',
      { scaleTargetRef: { kind: 'Deployment', name: 'a/b' } },
      ['Invalid spec.scaleTargetRef.name'],
    ],
    ['utilization 0', { metrics: [cpu(0)] }, ['Invalid spec.metrics[0].resource.target.averageUtilization']],
    [
      'both targets',
      {
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 5, averageValue: '1' },
            },
          },
        ],
      },
      ['Forbidden spec.metrics[0].resource.target.averageValue'],
    ],
    ['missing source', { metrics: [{ type: 'Pods' }] }, ['Required spec.metrics[0].pods']],
    [
      'two sources',
      {
        metrics: [
          {
            ...cpu(50),
            pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1' } },
          },
        ],
      },
      ['Forbidden spec.metrics[0].pods'],
    ],
    [
      'unknown type',
      { metrics: [{ type: 'Magic' }] },
      ['NotSupported spec.metrics[0].type', 'NotSupported spec.metrics[0].type'],
    ],
    [
      'bad policy',
      { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 3600 }] } } },
      [
        'Invalid spec.behavior.scaleUp.policies[0].value',
        'Invalid spec.behavior.scaleUp.policies[0].periodSeconds',
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(hpa, base(spec)).errors), want));
  }

  it('prints upstream messages; minReplicas 0 stays only where it was', () => {
    const { errors } = create(hpa, base({ maxReplicas: 0 }));
    assert.equal(errorString(errors[0]!), 'spec.maxReplicas: Invalid value: 0: must be greater than 0');
    const old = create(hpa, base()).obj;
    specOf(old)['minReplicas'] = 0;
    const next = structuredClone(old);
    specOf(next)['metrics'] = [
      { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '10' } } },
    ];
    assert.deepEqual(update(hpa, next, old).errors, []);
  });

  const now = new Date('2025-01-01T00:02:00Z');
  const rows: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['defaulted', {}, {}, 'cpu: <unknown>/80%'],
    [
      'measured',
      { metrics: [cpu(80)] },
      {
        currentReplicas: 2,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } },
        ],
      },
      'cpu: 42%/80%',
    ],
    [
      'values and more',
      {
        metrics: [
          memory,
          {
            type: 'Pods',
            pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } },
          },
          {
            type: 'External',
            external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } },
          },
        ],
      },
      {
        currentMetrics: [
          { type: 'Resource', resource: { name: 'memory', current: { averageValue: '262144000' } } },
        ],
      },
      'memory: 262144k/500Mi, <unknown>/1k + 1 more...',
    ],
  ];
  for (const [name, spec, st, targets] of rows) {
    it(`prints NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE: ${name}`, () => {
      const { obj } = create(hpa, base(spec));
      obj['status'] = st;
      assert.deepEqual(hpa.table?.row(obj, now), [
        'web',
        'Deployment/web',
        targets,
        '1',
        5,
        (st['currentReplicas'] as number | undefined) ?? 0,
        '2m',
      ]);
    });
  }

  it('drops the v1 round-trip annotations from v2 writes', () => {
    const { obj } = create(hpa, {
      ...base(),
      metadata: { name: 'web', annotations: { [metricSpecsAnnotation]: '[]', keep: 'me' } },
    });
    assert.deepEqual(obj.metadata.annotations, { keep: 'me' });
  });
});

describe('horizontalpodautoscalers (autoscaling/v1 conversion)', () => {
  it('is served from the v2 storage', () => {
    assert.deepEqual(hpaV1.storage, { group: 'autoscaling', resource: 'horizontalpodautoscalers' });
    assert.equal(hpaV1.version, 'v1');
    assert.ok(hpaV1.status !== undefined);
  });

  it('turns targetCPUUtilizationPercentage into a v2 CPU metric and back', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 55 },
    };
    const v2 = hpaFromV1(v1);
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2['spec'], { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, metrics: [cpu(60)] });
    assert.deepEqual(v2['status'], {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }],
    });
    const back = hpaToV1(v2);
    assert.equal(back.apiVersion, 'autoscaling/v1');
    assert.deepEqual(back['spec'], v1['spec']);
    assert.deepEqual(back['status'], v1['status']);
    // The raw status travels in the annotation too, as upstream keeps it.
    assert.deepEqual(JSON.parse(back.metadata.annotations?.[metricStatusesAnnotation] ?? ''), [
      {
        type: 'Resource',
        resource: { name: 'cpu', currentAverageUtilization: 55, currentAverageValue: '0' },
      },
    ]);
  });

  it('gives a v1 HPA without a target the implicit 80% CPU target', () => {
    const v2 = hpaFromV1({ metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
    assert.deepEqual(specOf(v2)['metrics'], [cpu(80)]);
    assert.equal('status' in v2, false);
  });

  it('keeps what v1 cannot say in annotations, and restores it', () => {
    const stored = create(
      hpa,
      base({
        metrics: [cpu(70), memory],
        behavior: { scaleUp: { selectPolicy: 'Min' } },
      }),
    ).obj;
    stored['status'] = {
      currentReplicas: 1,
      desiredReplicas: 1,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 30, averageValue: '50m' } },
        },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '100Mi' } } },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          lastTransitionTime: '2025-01-01T00:00:00Z',
          reason: 'ReadyForNewScale',
        },
      ],
    };
    const v1 = hpaToV1(stored);
    assert.deepEqual(specOf(v1), {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 70,
    });
    const annotations = v1.metadata.annotations ?? {};
    assert.deepEqual(JSON.parse(annotations[metricSpecsAnnotation]!), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
    ]);
    assert.ok(annotations[conditionsAnnotation]);
    assert.deepEqual(Object.keys(JSON.parse(annotations[behaviorAnnotation]!) as object), [
      'ScaleUp',
      'ScaleDown',
    ]);
    assert.equal((v1['status'] as Record<string, unknown>)['currentCPUUtilizationPercentage'], 30);

    const back = hpaFromV1(v1);
    // Upstream puts the metrics from the annotation first, the CPU target after them.
    assert.deepEqual(specOf(back)['metrics'], [memory, cpu(70)]);
    assert.deepEqual(specOf(back)['behavior'], specOf(stored)['behavior']);
    assert.deepEqual(back['status'], stored['status']);
    assert.equal(back.metadata.annotations, undefined);
  });

  it('round-trips every v2 metric source through the v1 annotation', () => {
    const metrics = [
      {
        type: 'Pods',
        pods: {
          metric: { name: 'qps', selector: { matchLabels: { a: 'b' } } },
          target: { type: 'AverageValue', averageValue: '10' },
        },
      },
      {
        type: 'External',
        external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } },
      },
      {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'app',
          target: { type: 'Utilization', averageUtilization: 50 },
        },
      },
      {
        type: 'Object',
        object: { describedObject: ref, metric: { name: 'hits' }, target: { type: 'Value', value: '100' } },
      },
    ];
    const stored = create(hpa, base({ metrics })).obj;
    assert.deepEqual(specOf(hpaFromV1(hpaToV1(stored)))['metrics'], metrics);
    assert.equal(specOf(hpaToV1(stored))['targetCPUUtilizationPercentage'], undefined);
  });

  it('ignores malformed annotations', () => {
    const v2 = hpaFromV1({
      metadata: { name: 'web', annotations: { [metricSpecsAnnotation]: '{not json', other: 'x' } },
      spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    });
    assert.deepEqual(specOf(v2)['metrics'], [cpu(50)]);
    assert.deepEqual(v2.metadata.annotations, { other: 'x' });
  });
});
