// What the workload resources (apps, batch, policy, autoscaling) share: the embedded pod template's
// defaults and validation (core ValidatePodTemplateSpec), metav1 label selector validation,
// apps/validation's int-or-percent checks, and the printers' selector and container cells.
import { type FieldError, forbidden, invalid, notSupported, required } from '../../../api/field-errors.ts';
import {
  type LabelSelector,
  labelSelectorAsSelector,
  type Selector,
  selectorToString,
} from '../../../api/labels.ts';
import { isRecord, type KubeObject } from '../../../api/meta.ts';
import {
  isQualifiedName,
  isValidLabelValue,
  validateAnnotations,
  validateLabels,
} from '../../../api/validation.ts';
import { defaultPodSpec } from '../core/pods/index.ts';
import { validatePodSpec } from '../core/pods/spec.ts';

export interface ContainerLike {
  name?: string;
  image?: string;
}

export interface PodTemplateSpec {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string | null;
    [field: string]: unknown;
  };
  spec?: {
    containers?: ContainerLike[];
    ephemeralContainers?: unknown[];
    restartPolicy?: string;
    activeDeadlineSeconds?: number;
    nodeSelector?: Record<string, string>;
    [field: string]: unknown;
  };
}

/** A JSON object field as a record, or an empty one when absent or of another type. */
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** The object at `obj[key]`, created when missing so defaults can be filled into it. */
export function ensure<T extends object = Record<string, unknown>>(
  obj: Record<string, unknown>,
  key: string,
): T {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as T;
}

/** An int32 field read as upstream's zero value when absent. */
export function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * Pod template defaults: SetDefaults_PodSpec and the container defaults, and the
 * `creationTimestamp: null` every embedded ObjectMeta serializes with in v1.32.
 */
export function defaultPodTemplate(template: PodTemplateSpec): void {
  template.metadata ??= {};
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
  template.spec ??= {};
  defaultPodSpec(template.spec);
}

/**
 * core ValidatePodTemplateSpec: labels and annotations (upstream names them `<path>.labels`, not
 * `<path>.metadata.labels`), the pod spec as a Pod's, no ephemeral containers.
 */
export function validatePodTemplate(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const t = template ?? {};
  const errors = [
    ...validateLabels(t.metadata?.labels, `${path}.labels`),
    ...validateAnnotations(t.metadata?.annotations, `${path}.annotations`),
  ];
  errors.push(...validatePodSpec(t.spec ?? {}, `${path}.spec`, { resourceIsPod: false }));
  if ((t.spec?.ephemeralContainers ?? []).length > 0) {
    errors.push(
      forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'),
    );
  }
  return errors;
}

/** metav1 validation.ValidateLabelSelector (strict label values, as apps and batch use it). */
export function validateLabelSelector(
  selector: LabelSelector | null | undefined,
  path: string,
): FieldError[] {
  if (selector === null || selector === undefined) return [];
  const errors = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errors.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errors.push(
            forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
          );
        break;
      default:
        errors.push(invalid(`${p}.operator`, expr.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errors.push(invalid(`${p}.key`, expr.key, msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errors.push(invalid(`${p}.values[${j}]`, v, msg));
    });
  });
  return errors;
}

/** metav1.LabelSelectorAsSelector, or undefined where upstream returns an error. */
export function asSelector(selector: LabelSelector | null | undefined): Selector | undefined {
  try {
    return labelSelectorAsSelector(selector);
  } catch {
    return undefined;
  }
}

/** labels.Selector.Empty(): true for Everything, false for Nothing (a null selector). */
export function selectorEmpty(selector: Selector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

/** A LabelSelector without matchLabels and matchExpressions (the "empty selector is invalid" check). */
export function hasNoRequirements(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
}

/**
 * The selector/template checks apps' ReplicaSet-like specs share (ValidateDeploymentSpec,
 * ValidateReplicaSetSpec): selector required and non-empty, template labels matching it, and
 * ValidatePodTemplateSpecForReplicaSet.
 */
export function validateSelectorAndTemplate(spec: {
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.selector === null || spec.selector === undefined) {
    errors.push(required('spec.selector', ''));
  } else {
    errors.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (hasNoRequirements(spec.selector))
      // Upstream's ReplicaSet check says "deployment" too.
      errors.push(invalid('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
  }
  const selector = asSelector(spec.selector);
  if (selector === undefined) {
    errors.push(invalid('spec.selector', spec.selector, 'invalid label selector'));
    return errors;
  }
  const template = spec.template ?? {};
  errors.push(...templateMatches(selector, template, 'spec.template'));
  errors.push(...validatePodTemplate(template, 'spec.template'));
  errors.push(...restartAlwaysOnly(template, 'spec.template', 'ReplicaSet'));
  return errors;
}

/** The selector must select the template's pods ("`selector` does not match template `labels`"). */
export function templateMatches(selector: Selector, template: PodTemplateSpec, path: string): FieldError[] {
  if (selectorEmpty(selector) || selector.matches(template.metadata?.labels ?? {})) return [];
  return [
    invalid(
      `${path}.metadata.labels`,
      template.metadata?.labels ?? {},
      '`selector` does not match template `labels`',
    ),
  ];
}

/** Long-running controllers' pods restart Always and have no deadline. */
export function restartAlwaysOnly(template: PodTemplateSpec, path: string, kind: string): FieldError[] {
  const errors: FieldError[] = [];
  const policy = template.spec?.restartPolicy ?? '';
  if (policy !== 'Always') errors.push(notSupported(`${path}.spec.restartPolicy`, policy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errors.push(
      forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`),
    );
  }
  return errors;
}

/** ValidateNonnegativeField. */
export function nonNegative(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0
    ? [invalid(path, value, 'must be greater than or equal to 0')]
    : [];
}

/** Several ValidateNonnegativeField checks under one parent path. */
export function nonNegatives(
  obj: Record<string, unknown>,
  path: string,
  fields: readonly string[],
): FieldError[] {
  return fields.flatMap((f) => nonNegative(obj[f], `${path}.${f}`));
}

/** ValidateImmutableField: apiequality.Semantic.DeepEqual, else "field is immutable". */
export function immutable(value: unknown, old: unknown, path: string): FieldError[] {
  return jsonEqual(value, old) ? [] : [invalid(path, value ?? null, 'field is immutable')];
}

/** Deep equality of JSON values; null and a missing field are the same (Semantic.DeepEqual's nil). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b || ((a === undefined || a === null) && (b === undefined || b === null))) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** apivalidation.IsDecremented for status.collisionCount. */
export function collisionCountDecremented(
  status: Record<string, unknown>,
  old: Record<string, unknown>,
): FieldError[] {
  const now = status['collisionCount'];
  const before = old['collisionCount'];
  if (typeof before !== 'number') return [];
  if (typeof now === 'number' && now >= before) return [];
  return [invalid('status.collisionCount', typeof now === 'number' ? now : 0, 'cannot be decremented')];
}

// ---- intstr.IntOrString (apps/validation) ----

const percentError =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return percentValue(v) === undefined ? [invalid(path, v, percentError)] : [];
  if (typeof v === 'number') return nonNegative(v, path);
  if (v === undefined || v === null) return [];
  return [invalid(path, v, "must be an integer or percentage (e.g '5%%')")];
}

/** getIntOrPercentValue: the percentage or the integer; an unparsable string is 0, as IntValue(). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  const percent = percentValue(v);
  if (percent !== undefined) return percent;
  const n = typeof v === 'string' && /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
  return n;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const percent = percentValue(v);
  return percent !== undefined && percent > 100 ? [invalid(path, v, 'must not be greater than 100%')] : [];
}

// ---- printers ----

/** printers.go layoutContainerCells: container names and images, each joined with commas. */
export function containerCells(template: PodTemplateSpec | undefined): [string, string] {
  const cs = template?.spec?.containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const s = asSelector(selector);
  if (s === undefined) return '<error>';
  const text = selectorToString(s);
  return text === '' ? '<none>' : text;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` for an empty map. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** printers.go printBoolPtr. */
export function printBoolPtr(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>';
}

export const containersColumnDescription = 'Names of each container in the template.';
export const imagesColumnDescription = 'Images referenced by each container in the template.';

/**
 * The status strategy of Deployments and ReplicaSets: it resets only spec and labels, because the
 * controller writes its annotations (revision, desired-replicas, ...) together with the status.
 */
export function keepSpecAndLabels(obj: KubeObject, old: KubeObject): void {
  obj['spec'] = old['spec'];
  if (old.metadata.labels === undefined) delete obj.metadata.labels;
  else obj.metadata.labels = old.metadata.labels;
}
