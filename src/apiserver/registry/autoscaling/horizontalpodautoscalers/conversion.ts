// autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscalers, after upstream's
// pkg/apis/autoscaling/v1/conversion.go: v1 holds one CPU utilization target; everything else v2
// can say travels in `autoscaling.alpha.kubernetes.io/*` annotations, in v1's (v2beta1-shaped)
// metric types, so that a v1 read-modify-write loses nothing.
import { isRecord, type KubeObject } from '../../../../api/meta.ts';

type Json = Record<string, unknown>;

export const metricSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const metricStatusesAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

const roundTripAnnotations = [
  metricSpecsAnnotation,
  metricStatusesAnnotation,
  conditionsAnnotation,
  behaviorAnnotation,
];

/** autoscaling.DefaultCPUUtilization: the target when no metric is given. */
export const defaultCPUUtilization = 80;

const rec = (v: unknown): Json => (isRecord(v) ? v : {});
const has = (v: unknown): boolean => v !== undefined && v !== null;

/** Sets `key` only when the value is present, as omitempty fields serialize. */
function put(out: Json, key: string, value: unknown): Json {
  if (has(value)) out[key] = value;
  return out;
}

/** DropRoundTripHorizontalPodAutoscalerAnnotations: the annotations without the conversion ones. */
export function dropRoundTripAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (annotations === undefined || !roundTripAnnotations.some((k) => Object.hasOwn(annotations, k))) {
    return annotations;
  }
  const out = { ...annotations };
  for (const k of roundTripAnnotations) delete out[k];
  return out;
}

/** A resource.Quantity field without omitempty: the zero Quantity is "0". */
const quantity = (v: unknown): unknown => (has(v) ? v : '0');

function crossVersionRef(ref: unknown): Json {
  const r = rec(ref);
  return put({ kind: r['kind'] ?? '', name: r['name'] ?? '' }, 'apiVersion', r['apiVersion']);
}

const isCpuUtilization = (m: Json): boolean =>
  m['type'] === 'Resource' &&
  rec(m['resource'])['name'] === 'cpu' &&
  has(rec(rec(m['resource'])['target'])['averageUtilization']);

// ---- metric specs: v2 → v1 (annotation) and back ----

function specToV1(m: Json): Json {
  const out: Json = { type: m['type'] };
  if (isRecord(m['object'])) {
    const o = m['object'];
    const t = rec(o['target']);
    const metric = rec(o['metric']);
    out['object'] = put(
      put(
        {
          target: crossVersionRef(o['describedObject']),
          metricName: metric['name'] ?? '',
          targetValue: quantity(t['value']),
        },
        'selector',
        metric['selector'],
      ),
      'averageValue',
      t['averageValue'],
    );
  }
  if (isRecord(m['pods'])) {
    const metric = rec(m['pods']['metric']);
    out['pods'] = put(
      {
        metricName: metric['name'] ?? '',
        targetAverageValue: quantity(rec(m['pods']['target'])['averageValue']),
      },
      'selector',
      metric['selector'],
    );
  }
  for (const key of ['resource', 'containerResource']) {
    const r = m[key];
    if (!isRecord(r)) continue;
    const t = rec(r['target']);
    const v1: Json = { name: r['name'] ?? '' };
    put(v1, 'targetAverageUtilization', t['averageUtilization']);
    put(v1, 'targetAverageValue', t['averageValue']);
    if (key === 'containerResource') v1['container'] = r['container'] ?? '';
    out[key] = v1;
  }
  if (isRecord(m['external'])) {
    const t = rec(m['external']['target']);
    const metric = rec(m['external']['metric']);
    const v1: Json = { metricName: metric['name'] ?? '' };
    put(v1, 'metricSelector', metric['selector']);
    put(v1, 'targetValue', t['value']);
    put(v1, 'targetAverageValue', t['averageValue']);
    out['external'] = v1;
  }
  return out;
}

function metricIdentifier(name: unknown, selector: unknown): Json {
  return put({ name: name ?? '' }, 'selector', selector);
}

function specFromV1(m: Json): Json {
  const out: Json = { type: m['type'] };
  if (isRecord(m['object'])) {
    const o = m['object'];
    const averageValue = o['averageValue'];
    out['object'] = {
      describedObject: crossVersionRef(o['target']),
      metric: metricIdentifier(o['metricName'], o['selector']),
      // Upstream always carries targetValue over, even beside an averageValue.
      target: put(
        { type: has(averageValue) ? 'AverageValue' : 'Value', value: quantity(o['targetValue']) },
        'averageValue',
        averageValue,
      ),
    };
  }
  if (isRecord(m['pods'])) {
    const p = m['pods'];
    out['pods'] = {
      metric: metricIdentifier(p['metricName'], p['selector']),
      target: { type: 'AverageValue', averageValue: quantity(p['targetAverageValue']) },
    };
  }
  for (const key of ['resource', 'containerResource']) {
    const r = m[key];
    if (!isRecord(r)) continue;
    const utilization = r['targetAverageUtilization'];
    const target: Json = { type: has(utilization) ? 'Utilization' : 'AverageValue' };
    put(target, 'averageValue', r['targetAverageValue']);
    put(target, 'averageUtilization', utilization);
    const v2: Json = { name: r['name'] ?? '', target };
    if (key === 'containerResource') v2['container'] = r['container'] ?? '';
    out[key] = v2;
  }
  if (isRecord(m['external'])) {
    const e = m['external'];
    const target: Json = { type: has(e['targetValue']) ? 'Value' : 'AverageValue' };
    put(target, 'value', e['targetValue']);
    put(target, 'averageValue', e['targetAverageValue']);
    out['external'] = { metric: metricIdentifier(e['metricName'], e['metricSelector']), target };
  }
  return out;
}

// ---- metric statuses ----

function statusToV1(m: Json): Json {
  const out: Json = { type: m['type'] };
  if (isRecord(m['object'])) {
    const o = m['object'];
    const c = rec(o['current']);
    const metric = rec(o['metric']);
    out['object'] = put(
      put(
        {
          target: crossVersionRef(o['describedObject']),
          metricName: metric['name'] ?? '',
          currentValue: quantity(c['value']),
        },
        'selector',
        metric['selector'],
      ),
      'averageValue',
      c['averageValue'],
    );
  }
  if (isRecord(m['pods'])) {
    const metric = rec(m['pods']['metric']);
    out['pods'] = put(
      {
        metricName: metric['name'] ?? '',
        currentAverageValue: quantity(rec(m['pods']['current'])['averageValue']),
      },
      'selector',
      metric['selector'],
    );
  }
  for (const key of ['resource', 'containerResource']) {
    const r = m[key];
    if (!isRecord(r)) continue;
    const c = rec(r['current']);
    const v1: Json = { name: r['name'] ?? '' };
    put(v1, 'currentAverageUtilization', c['averageUtilization']);
    v1['currentAverageValue'] = quantity(c['averageValue']);
    if (key === 'containerResource') v1['container'] = r['container'] ?? '';
    out[key] = v1;
  }
  if (isRecord(m['external'])) {
    const c = rec(m['external']['current']);
    const metric = rec(m['external']['metric']);
    const v1: Json = { metricName: metric['name'] ?? '' };
    put(v1, 'metricSelector', metric['selector']);
    v1['currentValue'] = quantity(c['value']);
    put(v1, 'currentAverageValue', c['averageValue']);
    out['external'] = v1;
  }
  return out;
}

function statusFromV1(m: Json): Json {
  const out: Json = { type: m['type'] };
  if (isRecord(m['object'])) {
    const o = m['object'];
    out['object'] = {
      metric: metricIdentifier(o['metricName'], o['selector']),
      current: put({ value: quantity(o['currentValue']) }, 'averageValue', o['averageValue']),
      describedObject: crossVersionRef(o['target']),
    };
  }
  if (isRecord(m['pods'])) {
    const p = m['pods'];
    out['pods'] = {
      metric: metricIdentifier(p['metricName'], p['selector']),
      current: { averageValue: quantity(p['currentAverageValue']) },
    };
  }
  for (const key of ['resource', 'containerResource']) {
    const r = m[key];
    if (!isRecord(r)) continue;
    const current = put(
      { averageValue: quantity(r['currentAverageValue']) },
      'averageUtilization',
      r['currentAverageUtilization'],
    );
    const v2: Json = { name: r['name'] ?? '', current };
    if (key === 'containerResource') v2['container'] = r['container'] ?? '';
    out[key] = v2;
  }
  if (isRecord(m['external'])) {
    const e = m['external'];
    out['external'] = {
      metric: metricIdentifier(e['metricName'], e['metricSelector']),
      current: put({ value: quantity(e['currentValue']) }, 'averageValue', e['currentAverageValue']),
    };
  }
  return out;
}

// ---- behavior: upstream marshals its internal type, whose JSON keys are the Go field names ----

function rulesToInternal(rules: unknown): Json | null {
  if (!isRecord(rules)) return null;
  const policies = Array.isArray(rules['policies'])
    ? rules['policies'].map((p) => {
        const r = rec(p);
        return { Type: r['type'] ?? '', Value: r['value'] ?? 0, PeriodSeconds: r['periodSeconds'] ?? 0 };
      })
    : null;
  return {
    StabilizationWindowSeconds: rules['stabilizationWindowSeconds'] ?? null,
    SelectPolicy: rules['selectPolicy'] ?? null,
    Policies: policies,
  };
}

/** A field of a Go-marshaled struct; encoding/json matches names case-insensitively. */
function goField(obj: Json, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

function rulesFromInternal(rules: unknown): Json | undefined {
  if (!isRecord(rules)) return undefined;
  const out: Json = {};
  put(out, 'stabilizationWindowSeconds', goField(rules, 'StabilizationWindowSeconds'));
  put(out, 'selectPolicy', goField(rules, 'SelectPolicy'));
  const policies = goField(rules, 'Policies');
  if (Array.isArray(policies)) {
    out['policies'] = policies.map((p) => {
      const r = rec(p);
      return {
        type: goField(r, 'Type') ?? '',
        value: goField(r, 'Value') ?? 0,
        periodSeconds: goField(r, 'PeriodSeconds') ?? 0,
      };
    });
  }
  return out;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---- objects ----

/** Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler, from the stored v2. */
export function hpaToV1(obj: KubeObject): KubeObject {
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const metrics = Array.isArray(spec['metrics']) ? spec['metrics'].map(rec) : [];
  const currentMetrics = Array.isArray(status['currentMetrics']) ? status['currentMetrics'].map(rec) : [];
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];

  const v1Spec: Json = { scaleTargetRef: crossVersionRef(spec['scaleTargetRef']) };
  put(v1Spec, 'minReplicas', spec['minReplicas']);
  v1Spec['maxReplicas'] = spec['maxReplicas'] ?? 0;
  // The first CPU resource metric decides, whether or not it targets a utilization.
  const cpu = metrics.find((m) => m['type'] === 'Resource' && rec(m['resource'])['name'] === 'cpu');
  put(v1Spec, 'targetCPUUtilizationPercentage', rec(rec(cpu?.['resource'])['target'])['averageUtilization']);

  const v1Status: Json = {};
  put(v1Status, 'observedGeneration', status['observedGeneration']);
  put(v1Status, 'lastScaleTime', status['lastScaleTime']);
  v1Status['currentReplicas'] = status['currentReplicas'] ?? 0;
  v1Status['desiredReplicas'] = status['desiredReplicas'] ?? 0;
  for (const m of currentMetrics) {
    const r = rec(m['resource']);
    const utilization = rec(r['current'])['averageUtilization'];
    if (m['type'] === 'Resource' && r['name'] === 'cpu' && has(utilization)) {
      v1Status['currentCPUUtilizationPercentage'] = utilization;
    }
  }

  const annotations = { ...dropRoundTripAnnotations(obj.metadata.annotations) };
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(specToV1);
  if (others.length > 0) annotations[metricSpecsAnnotation] = JSON.stringify(others);
  if (currentMetrics.length > 0)
    annotations[metricStatusesAnnotation] = JSON.stringify(currentMetrics.map(statusToV1));
  if (conditions.length > 0) annotations[conditionsAnnotation] = JSON.stringify(conditions);
  if (isRecord(spec['behavior'])) {
    annotations[behaviorAnnotation] = JSON.stringify({
      ScaleUp: rulesToInternal(spec['behavior']['scaleUp']),
      ScaleDown: rulesToInternal(spec['behavior']['scaleDown']),
    });
  }
  const metadata = structuredClone(obj.metadata);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: KubeObject = { ...structuredClone(obj), apiVersion: 'autoscaling/v1', metadata, spec: v1Spec };
  if ('status' in obj) out['status'] = v1Status;
  return out;
}

/** Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler, to the stored v2. */
export function hpaFromV1(obj: KubeObject): KubeObject {
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const annotations = obj.metadata.annotations ?? {};

  const v2Spec: Json = { scaleTargetRef: crossVersionRef(spec['scaleTargetRef']) };
  put(v2Spec, 'minReplicas', spec['minReplicas']);
  v2Spec['maxReplicas'] = spec['maxReplicas'] ?? 0;
  const metrics: Json[] = [];
  // Only well-formed annotations move into fields.
  const others = parseJson(annotations[metricSpecsAnnotation]);
  if (Array.isArray(others)) metrics.push(...others.map((m) => specFromV1(rec(m))));
  const target = spec['targetCPUUtilizationPercentage'];
  if (has(target)) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
    });
  }
  // v1's implicit target, which its controller used to apply.
  if (metrics.length === 0) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } },
    });
  }
  v2Spec['metrics'] = metrics;
  const behavior = parseJson(annotations[behaviorAnnotation]);
  if (isRecord(behavior)) {
    const scaleUp = rulesFromInternal(goField(behavior, 'ScaleUp'));
    const scaleDown = rulesFromInternal(goField(behavior, 'ScaleDown'));
    if (scaleUp !== undefined || scaleDown !== undefined) {
      v2Spec['behavior'] = put(put({}, 'scaleUp', scaleUp), 'scaleDown', scaleDown);
    }
  }

  const v2Status: Json = {};
  put(v2Status, 'observedGeneration', status['observedGeneration']);
  put(v2Status, 'lastScaleTime', status['lastScaleTime']);
  put(v2Status, 'currentReplicas', status['currentReplicas'] || undefined);
  v2Status['desiredReplicas'] = status['desiredReplicas'] ?? 0;
  const current = parseJson(annotations[metricStatusesAnnotation]);
  if (Array.isArray(current)) {
    // The annotation has more than currentCPUUtilizationPercentage can say.
    v2Status['currentMetrics'] = current.map((m) => statusFromV1(rec(m)));
  } else if (has(status['currentCPUUtilizationPercentage'])) {
    v2Status['currentMetrics'] = [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: status['currentCPUUtilizationPercentage'] } },
      },
    ];
  }
  const conditions = parseJson(annotations[conditionsAnnotation]);
  if (Array.isArray(conditions)) v2Status['conditions'] = conditions;

  const metadata = structuredClone(obj.metadata);
  const kept = dropRoundTripAnnotations(metadata.annotations);
  if (kept === undefined || Object.keys(kept).length === 0) delete metadata.annotations;
  else metadata.annotations = kept;
  const out: KubeObject = { ...structuredClone(obj), apiVersion: 'autoscaling/v2', metadata, spec: v2Spec };
  if ('status' in obj) out['status'] = v2Status;
  else delete out['status'];
  return out;
}
