// apimachinery validation helpers the registries of networking.k8s.io and its neighbours share, not (yet) in
// src/api: DNS-1035 labels, wildcard subdomains, path segment names (api/validation/path), domain-prefixed
// paths, label selector validation (apis/meta/v1/validation) and formatting, immutable fields, and
// defensive readers for request bodies whose shape nothing has checked yet.
import { isDeepStrictEqual } from 'node:util';
import { type FieldError, fieldPath, forbidden, invalid, required } from '../../../api/field-errors.ts';
import { isRecord } from '../../../api/meta.ts';
import { type LabelSelector, labelSelectorAsSelector, selectorToString } from '../../../api/labels.ts';
import {
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateLabels,
} from '../../../api/validation.ts';

/** validation.RegexError: the rule, examples, then the pattern. */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/** validation.IsDNS1035Label: Service names, CRD names and versions. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp(`^(?:${dns1035LabelFmt})$`).test(value)) {
    errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  }
  return errs;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const wildcardFmt = `\\*\\.${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const wildcardErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** validation.IsWildcardDNS1123Subdomain: `*.example.com` hosts of Ingress rules and TLS. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^(?:${wildcardFmt})$`).test(value)) {
    errs.push(regexError(wildcardErrMsg, wildcardFmt, '*.example.com'));
  }
  return errs;
}

/** path.IsValidPathSegmentName: a name that is safe as one URL path segment (RBAC names, references). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** validation.IsDomainPrefixedPath: `acme.io/foo`, as an IngressClass controller. */
export function isDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value === '') return [required(path, '')];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host === '' || rest === '') {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs: FieldError[] = [];
  for (const msg of isDNS1123Subdomain(host)) errs.push(invalid(path, host, msg));
  if (!new RegExp(`^(?:${httpPathFmt})$`).test(rest)) {
    errs.push(invalid(path, rest, regexError('Invalid path', httpPathFmt)));
  }
  return errs;
}

/** metav1validation.ValidateLabelName. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path, name, msg));
}

/**
 * metav1validation.ValidateLabelSelector; `allowInvalidValues` is LabelSelectorValidationOptions'
 * AllowInvalidLabelValueInSelector, which updates of objects already holding such values get.
 */
export function validateLabelSelector(
  selector: unknown,
  path: string,
  allowInvalidValues = false,
): FieldError[] {
  if (!isRecord(selector)) return [];
  const ls = selector as LabelSelector;
  const errs = validateLabels(ls.matchLabels, fieldPath(path, 'matchLabels'));
  list(ls.matchExpressions).forEach((raw, i) => {
    const expr = record(raw);
    const p = fieldPath(path, 'matchExpressions', i);
    const values = list(expr['values']);
    const operator = expr['operator'];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errs.push(required(fieldPath(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errs.push(
          forbidden(
            fieldPath(p, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
    } else {
      errs.push(invalid(fieldPath(p, 'operator'), operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(text(expr['key']), fieldPath(p, 'key')));
    if (!allowInvalidValues) {
      values.forEach((v, j) => {
        const value = text(v);
        for (const msg of isValidLabelValue(value)) errs.push(invalid(fieldPath(p, 'values', j), value, msg));
      });
    }
  });
  return errs;
}

/** metav1.FormatLabelSelector: the canonical string, `<none>` for an empty one, `<error>` if unparsable. */
export function formatLabelSelector(selector: unknown): string {
  try {
    const s = selectorToString(
      labelSelectorAsSelector((isRecord(selector) ? selector : {}) as LabelSelector),
    );
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

// apimachinery's Semantic.DeepEqual treats nil and empty lists and maps alike; absent JSON fields are nil.
function normalized(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalized);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalized(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v ?? undefined;
}

/** equality.Semantic.DeepEqual over JSON values. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalized(a), normalized(b));
}

/** apivalidation.ValidateImmutableField. */
export function validateImmutableField(next: unknown, old: unknown, path: string): FieldError[] {
  return semanticEqual(next, old) ? [] : [invalid(path, next ?? null, 'field is immutable')];
}

/** A JSON value as an object (empty when it is none), for reading bodies of any shape. */
export function record(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** A JSON value as a list (empty when it is none). */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A JSON value as a string (empty when it is none), as a Go string field decodes. */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** An optional JSON string (a Go *string): undefined when absent or null. */
export function optionalText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
