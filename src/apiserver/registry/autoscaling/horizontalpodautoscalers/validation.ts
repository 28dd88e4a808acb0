import { type FieldError, forbidden, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { parseQuantity } from '../../../../api/quantity.ts';
import { isDNS1123Label } from '../../../../api/validation.ts';
import { int, rec } from '../../apps/workload.ts';
import {
  type CrossVersionObjectReference,
  has,
  type MetricIdentifier,
  type MetricSpec,
  type MetricTarget,
  type ScalingRules,
  spec,
} from './spec.ts';

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
export function validateSpec(obj: KubeObject, minReplicasLowerBound: number): FieldError[] {
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
