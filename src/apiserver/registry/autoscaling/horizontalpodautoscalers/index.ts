import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition, StatusSubresource } from '../../types.ts';
import { int, nonNegatives, rec } from '../../apps/workload.ts';
import { hpaFromV1, hpaToV1 } from './conversion.ts';
import { defaults, dropAnnotations } from './defaults.ts';
import { type MetricSpec, spec, status } from './spec.ts';
import { formatMetrics } from './table.ts';
import { validateSpec } from './validation.ts';

export { formatMetrics } from './table.ts';

const statusSubresource: StatusSubresource = {
  // ValidateHorizontalPodAutoscalerStatusUpdate.
  validateUpdate: (obj) => nonNegatives(rec(obj['status']), 'status', ['currentReplicas', 'desiredReplicas']),
};

/** autoscaling/v2 HorizontalPodAutoscaler, the stored version (upstream pkg/registry/autoscaling/horizontalpodautoscaler). */
export const horizontalpodautoscalers: ResourceDefinition = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  status: statusSubresource,
  strategy: {
    prepareForCreate(obj) {
      // desiredReplicas has no omitempty.
      obj['status'] = { desiredReplicas: 0 };
      dropAnnotations(obj);
    },
    prepareForUpdate: (obj) => dropAnnotations(obj),
    defaults,
    validate: (obj) => validateSpec(obj, 1),
    validateUpdate: (obj, old) => validateSpec(obj, spec(old).minReplicas === 0 ? 0 : 1),
  },
  table: {
    columns: [
      nameColumn('horizontalpodautoscaler'),
      {
        name: 'Reference',
        type: 'string',
        description:
          'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
        priority: 0,
      },
      {
        name: 'Targets',
        type: 'string',
        description:
          'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).',
        priority: 0,
      },
      {
        name: 'MinPods',
        type: 'string',
        description:
          'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.',
        priority: 0,
      },
      {
        name: 'MaxPods',
        type: 'string',
        description:
          'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
        priority: 0,
      },
      {
        name: 'Replicas',
        type: 'string',
        description:
          'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
        priority: 0,
      },
      ageColumn('horizontalpodautoscaler'),
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const ref = s.scaleTargetRef ?? {};
      return [
        obj.metadata.name ?? '',
        `${ref.kind ?? ''}/${ref.name ?? ''}`,
        formatMetrics(
          (s.metrics ?? []).map((m) => rec(m) as MetricSpec),
          status(obj).currentMetrics ?? [],
        ),
        typeof s.minReplicas === 'number' ? String(s.minReplicas) : '<unset>',
        int(s.maxReplicas),
        int(status(obj).currentReplicas),
        age(obj, now),
      ];
    },
  },
};

/**
 * autoscaling/v1 HorizontalPodAutoscaler: the same objects, stored as v2 and converted on the way in
 * and out; the v2 strategy and table apply.
 */
export const horizontalpodautoscalersV1: ResourceDefinition = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  conversion: { toStorage: hpaFromV1, fromStorage: hpaToV1 },
  status: statusSubresource,
};
