// Small pieces the pod validation files share: JSON accessors, upstream's common field checks
// (ValidateDNS1123Label, ValidateQualifiedName, ValidateNonnegativeField, the local path checks,
// metav1 ValidateLabelSelector) and their messages, as pkg/apis/core/validation v1.32 words them.
import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord } from '../../../../api/meta.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateLabels,
} from '../../../../api/validation.ts';

export type Obj = Record<string, unknown>;

export const rec = (v: unknown): Obj => (isRecord(v) ? v : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const recs = (v: unknown): Obj[] => list(v).map(rec);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** An int field with Go's zero value when absent. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** A pointer field: set unless absent or null. */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const strings = (v: unknown): string[] => list(v).map(str);
export const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) if (typeof val === 'string') out[k] = val;
  return out;
};

export const maxInt32 = 2147483647;

/** validation.InclusiveRangeError. */
export const inclusiveRange = (lo: number, hi: number): string =>
  `must be between ${lo} and ${hi}, inclusive`;

/**
 * field.NotFound. FieldErrorType has no FieldValueNotFound yet, so this reports the closest
 * equivalent; upstream prints `Not found: "<value>"`.
 */
export function notFound(path: string, value: unknown): FieldError {
  return invalid(path, value, 'not found');
}

export function dnsLabel(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

export function dnsSubdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

/** ValidateQualifiedName, and metav1 ValidateLabelName (the same check). */
export function qualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

export function nonNegative(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n < 0 ? [invalid(path, n, 'must be greater than or equal to 0')] : [];
}

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** A volume file mode (defaultMode, items[*].mode): 0 to 0777 when set. */
export function fileMode(value: unknown, path: string): FieldError[] {
  if (!isSet(value)) return [];
  const n = num(value);
  return n > 0o777 || n < 0 ? [invalid(path, n, fileModeErrorMsg)] : [];
}

/** validatePathNoBacksteps: no `..` element. */
export function pathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, without `..` elements. */
export function localDescendingPath(target: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (target.startsWith('/')) errors.push(invalid(path, target, 'must be a relative path'));
  errors.push(...pathNoBacksteps(target, path));
  return errors;
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with `..`. */
export function localNonReservedPath(target: string, path: string): FieldError[] {
  const errors = localDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../'))
    errors.push(invalid(path, target, "must not start with '..'"));
  return errors;
}

/** metav1 validation.ValidateLabelSelector (label values checked, as for new pods). */
export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (!isRecord(selector)) return [];
  const errors = validateLabels(stringMap(selector['matchLabels']), fieldPath(path, 'matchLabels'));
  recs(selector['matchExpressions']).forEach((expr, i) => {
    const p = fieldPath(path, 'matchExpressions', i);
    const values = strings(expr['values']);
    const operator = str(expr['operator']);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        errors.push(required(fieldPath(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0)
        errors.push(
          forbidden(
            fieldPath(p, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
    } else {
      errors.push(invalid(fieldPath(p, 'operator'), operator, 'not a valid selector operator'));
    }
    errors.push(...qualifiedName(str(expr['key']), fieldPath(p, 'key')));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errors.push(invalid(fieldPath(p, 'values', j), v, m));
    });
  });
  return errors;
}

/** A Go struct's field name as cmp.Diff prints it. */
export const goFieldName = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);

/** Duplicate errors for names seen before in the list. */
export function duplicateNames(names: readonly string[], pathOf: (i: number) => string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  names.forEach((n, i) => {
    if (seen.has(n)) errors.push(duplicate(pathOf(i), n));
    seen.add(n);
  });
  return errors;
}
