import { type FieldError, forbidden, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { formatQuantity, parseQuantity } from '../../../../api/quantity.ts';
import { isDNS1123Label } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition, StatusSubresource } from '../../types.ts';
import { ensure, int, nonNegatives, rec } from '../../apps/workload.ts';
import { defaultCPUUtilization, dropRoundTripAnnotations, hpaFromV1, hpaToV1 } from './conversion.ts';

interface MetricTarget {
  type?: string;
  value?: string | number;
  averageValue?: string | number;
  averageUtilization?: number;
}

interface MetricIdentifier {
  name?: string;
  selector?: unknown;
}

interface MetricSpec {
  type?: string;
  object?: {
    describedObject?: CrossVersionObjectReference;
    metric?: MetricIdentifier;
    target?: MetricTarget;
  };
  pods?: { metric?: MetricIdentifier; target?: MetricTarget };
  resource?: { name?: string; target?: MetricTarget };
  containerResource?: { name?: string; container?: string; target?: MetricTarget };
  external?: { metric?: MetricIdentifier; target?: MetricTarget };
}

interface MetricValueStatus {
  value?: string | number;
  averageValue?: string | number;
  averageUtilization?: number;
}

interface MetricStatus {
  type?: string;
  object?: { current?: MetricValueStatus };
  pods?: { current?: MetricValueStatus };
  resource?: { current?: MetricValueStatus };
  containerResource?: { current?: MetricValueStatus };
  external?: { current?: MetricValueStatus };
}

interface CrossVersionObjectReference {
  kind?: string;
  name?: string;
  apiVersion?: string;
}

interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: string;
  policies?: { type?: string; value?: number; periodSeconds?: number }[];
}

interface HPASpec {
  scaleTargetRef?: CrossVersionObjectReference;
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: MetricSpec[];
  behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } | null;
}

const spec = (obj: KubeObject): HPASpec => rec(obj['spec']) as HPASpec;
const status = (obj: KubeObject): { currentReplicas?: number; currentMetrics?: MetricStatus[] } =>
  rec(obj['status']);

// The behavior that repeats the controller's historical scaling (autoscaling/v2 defaults.go).
const defaultScaleUp = (): ScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
// No scale-down window: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const defaultScaleDown = (): ScalingRules => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** copyHPAScalingRules: the set fields of `from` over the defaults. */
function withDefaults(from: ScalingRules | undefined, rules: ScalingRules): ScalingRules {
  if (from === undefined || from === null) return rules;
  if (from.selectPolicy !== undefined && from.selectPolicy !== null) rules.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds !== undefined && from.stabilizationWindowSeconds !== null) {
    rules.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  }
  if (from.policies !== undefined && from.policies !== null) rules.policies = from.policies;
  return rules;
}

/** autoscaling/v2 SetDefaults_HorizontalPodAutoscaler and SetDefaults_HorizontalPodAutoscalerBehavior. */
function defaults(obj: KubeObject): void {
  const s = ensure<HPASpec>(obj, 'spec');
  s.minReplicas ??= 1;
  if ((s.metrics ?? []).length === 0) {
    s.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } },
      },
    ];
  }
  if (isRecord(s.behavior)) {
    s.behavior.scaleUp = withDefaults(s.behavior.scaleUp, defaultScaleUp());
    s.behavior.scaleDown = withDefaults(s.behavior.scaleDown, defaultScaleDown());
  }
}

/** The conversion annotations never stay on a stored object (the v2 conversion drops them). */
function dropAnnotations(obj: KubeObject): void {
  const kept = dropRoundTripAnnotations(obj.metadata.annotations);
  if (kept === undefined || Object.keys(kept).length === 0) delete obj.metadata.annotations;
  else obj.metadata.annotations = kept;
}

/** pathvalidation.IsValidPathSegmentName. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** ValidateCrossVersionObjectReference. */
function validateReference(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of ['kind', 'name'] as const) {
    const v = ref?.[f] ?? '';
    if (v === '') errors.push(required(`${path}.${f}`, ''));
    else for (const msg of pathSegmentErrors(v)) errors.push(invalid(`${path}.${f}`, v, msg));
  }
  return errors;
}

function quantitySign(v: string | number | undefined): number {
  try {
    const q = parseQuantity(typeof v === 'number' ? String(v) : (v ?? ''));
    return q.value > 0n ? 1 : q.value < 0n ? -1 : 0;
  } catch {
    return 0;
  }
}

/** validateMetricTarget. */
function validateTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const target = t ?? {};
  const errors: FieldError[] = [];
  if (!target.type) errors.push(required(`${path}.type`, 'must specify a metric target type'));
  if (target.type !== 'Utilization' && target.type !== 'Value' && target.type !== 'AverageValue') {
    errors.push(
      invalid(`${path}.type`, target.type ?? '', 'must be either Utilization, Value, or AverageValue'),
    );
  }
  for (const f of ['value', 'averageValue'] as const) {
    if (target[f] !== undefined && target[f] !== null && quantitySign(target[f]) !== 1) {
      errors.push(invalid(`${path}.${f}`, target[f], 'must be positive'));
    }
  }
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) {
    errors.push(invalid(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  }
  return errors;
}

/** validateMetricIdentifier. */
function validateIdentifier(id: MetricIdentifier | undefined, path: string): FieldError[] {
  const name = id?.name ?? '';
  if (name === '') return [required(`${path}.name`, 'must specify a metric name')];
  return pathSegmentErrors(name).map((msg) => invalid(`${path}.name`, name, msg));
}

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** validateResourceSource and validateContainerResourceSource. */
function validateResource(
  src: MetricSpec['containerResource'],
  path: string,
  container: boolean,
): FieldError[] {
  const s = src ?? {};
  const errors: FieldError[] = [];
  if (!s.name) errors.push(required(`${path}.name`, 'must specify a resource name'));
  if (container) {
    if (!s.container) errors.push(required(`${path}.container`, 'must specify a container'));
    else
      for (const msg of isDNS1123Label(s.container))
        errors.push(invalid(`${path}.container`, s.container, msg));
  }
  errors.push(...validateTarget(s.target, `${path}.target`));
  const t = s.target ?? {};
  if (!has(t.averageUtilization) && !has(t.averageValue)) {
    errors.push(
      required(
        `${path}.target.averageUtilization`,
        'must set either a target raw value or a target utilization',
      ),
    );
  }
  if (has(t.averageUtilization) && has(t.averageValue)) {
    errors.push(
      forbidden(
        `${path}.target.averageValue`,
        'may not set both a target raw value and a target utilization',
      ),
    );
  }
  return errors;
}

function validateSource(kind: string, m: MetricSpec, path: string): FieldError[] {
  switch (kind) {
    case 'object': {
      const o = m.object ?? {};
      const errors = [
        ...validateReference(o.describedObject, `${path}.describedObject`),
        ...validateIdentifier(o.metric, `${path}.metric`),
        ...validateTarget(o.target, `${path}.target`),
      ];
      if (!has(o.target?.value) && !has(o.target?.averageValue)) {
        errors.push(
          required(`${path}.target.averageValue`, 'must set either a target value or averageValue'),
        );
      }
      return errors;
    }
    case 'external': {
      const e = m.external ?? {};
      const errors = [
        ...validateIdentifier(e.metric, `${path}.metric`),
        ...validateTarget(e.target, `${path}.target`),
      ];
      if (!has(e.target?.value) && !has(e.target?.averageValue)) {
        errors.push(
          required(
            `${path}.target.averageValue`,
            'must set either a target value for metric or a per-pod target',
          ),
        );
      }
      if (has(e.target?.value) && has(e.target?.averageValue)) {
        errors.push(
          forbidden(
            `${path}.target.value`,
            'may not set both a target value for metric and a per-pod target',
          ),
        );
      }
      return errors;
    }
    case 'pods': {
      const p = m.pods ?? {};
      const errors = [
        ...validateIdentifier(p.metric, `${path}.metric`),
        ...validateTarget(p.target, `${path}.target`),
      ];
      if (!has(p.target?.averageValue)) {
        errors.push(required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
      }
      return errors;
    }
    case 'resource':
      return validateResource(m.resource, path, false);
    default:
      return validateResource(m.containerResource, path, true);
  }
}

const metricTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const sourceOfType: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

/** validateMetricSpec: a known type, and exactly its source, which is checked first. */
function validateMetric(m: MetricSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = m.type ?? '';
  if (type === '') errors.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!metricTypes.includes(type)) errors.push(notSupported(`${path}.type`, type, metricTypes));
  const present = (['object', 'external', 'pods', 'resource', 'containerResource'] as const).filter((k) =>
    has(m[k]),
  );
  if (present.length > 0) errors.push(...validateSource(present[0]!, m, `${path}.${present[0]!}`));
  const expected = sourceOfType[type];
  if (expected === undefined) {
    errors.push(notSupported(`${path}.type`, type, metricTypes));
  } else if (!has(m[expected as keyof MetricSpec])) {
    errors.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  }
  if (present.length !== 1) {
    for (const k of present.filter((k) => k !== expected)) {
      errors.push(forbidden(`${path}.${k}`, 'must populate the given metric source only'));
    }
  }
  return errors;
}

/** validateScalingRules and validateScalingPolicy. */
function validateRules(rules: ScalingRules | undefined, path: string): FieldError[] {
  if (rules === undefined || rules === null) return [];
  const errors: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && window < 0) {
    errors.push(
      invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'),
    );
  }
  if (typeof window === 'number' && window > 3600) {
    errors.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be less than or equal to 3600'));
  }
  if (has(rules.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy!)) {
    errors.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errors.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent')
      errors.push(notSupported(`${pp}.type`, p.type ?? '', ['Percent', 'Pods']));
    if (int(p.value) <= 0) errors.push(invalid(`${pp}.value`, int(p.value), 'must be greater than zero'));
    if (int(p.periodSeconds) <= 0)
      errors.push(invalid(`${pp}.periodSeconds`, int(p.periodSeconds), 'must be greater than zero'));
    if (int(p.periodSeconds) > 1800) {
      errors.push(invalid(`${pp}.periodSeconds`, int(p.periodSeconds), 'must be less than or equal to 1800'));
    }
  });
  return errors;
}

/** validateHorizontalPodAutoscalerSpec; minReplicas may be 0 only where it already was (HPAScaleToZero is off). */
function validateSpec(obj: KubeObject, minReplicasLowerBound: number): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  if (typeof s.minReplicas === 'number' && s.minReplicas < minReplicasLowerBound) {
    errors.push(
      invalid('spec.minReplicas', s.minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`),
    );
  }
  const max = int(s.maxReplicas);
  if (max < 1) errors.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof s.minReplicas === 'number' && max < s.minReplicas) {
    errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  errors.push(...validateReference(s.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = s.metrics ?? [];
  metrics.forEach((m, i) => errors.push(...validateMetric(rec(m) as MetricSpec, `spec.metrics[${i}]`)));
  if (s.minReplicas === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errors.push(
      forbidden(
        'spec.metrics',
        'must specify at least one Object or External metric to support scaling to zero replicas',
      ),
    );
  }
  if (isRecord(s.behavior)) {
    errors.push(...validateRules(s.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errors.push(...validateRules(s.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errors;
}

/** Quantity.String(); a missing quantity prints as a nil *Quantity does. */
function quantityString(v: string | number | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  try {
    return formatQuantity(parseQuantity(String(v)));
  } catch {
    return String(v);
  }
}

/** printers.go formatHPAMetrics: `cpu: 40%/80%`, `<unknown>` before the controller reports. */
export function formatMetrics(metrics: MetricSpec[], statuses: MetricStatus[]): string {
  if (metrics.length === 0) return '<none>';
  const list = metrics.map((m, i) => {
    const st = statuses[i];
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const target = m[key]?.target ?? {};
        const current = st?.[key]?.current;
        if (has(target.averageValue)) {
          const now = has(current?.averageValue) ? quantityString(current!.averageValue) : '<unknown>';
          return `${now}/${quantityString(target.averageValue)} (avg)`;
        }
        const now = current !== undefined ? quantityString(current.value) : '<unknown>';
        return `${now}/${quantityString(target.value)}`;
      }
      case 'Pods': {
        const current = st?.pods?.current;
        const now = current !== undefined ? quantityString(current.averageValue) : '<unknown>';
        return `${now}/${quantityString(m.pods?.target?.averageValue)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const source = m[key] ?? {};
        const target = source.target ?? {};
        const current = st?.[key]?.current;
        if (has(target.averageValue)) {
          const now = current !== undefined ? quantityString(current.averageValue) : '<unknown>';
          return `${source.name ?? ''}: ${now}/${quantityString(target.averageValue)}`;
        }
        const now =
          typeof current?.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
        const goal =
          typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
        return `${source.name ?? ''}: ${now}/${goal}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

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
