// Field-level validation errors, after k8s.io/apimachinery pkg/util/validation/field (errors.go,
// path.go) and the Aggregate in pkg/util/errors. The text these produce is what kubectl shows, and
// clients match it, so the rendering follows upstream v1.32 character for character.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

/**
 * One validation failure. `badValue` is left out (not merely undefined) when upstream would print no
 * value, as with TooMany of an unknown count; an explicit undefined or null prints as `null`.
 */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  detail: string;
  badValue?: unknown;
}

/** A key segment of a path: `fieldPath('metadata', 'labels', { key: 'app' })` is `metadata.labels[app]`. */
export interface PathKey {
  key: string;
}

/**
 * Builds a path the way field.Path.String() prints it: names joined by dots, indexes and map keys in
 * brackets. A name may itself be a built path, so `fieldPath(base, 'image')` extends `base`.
 */
export function fieldPath(...segments: Array<string | number | PathKey>): string {
  let out = '';
  segments.forEach((segment, i) => {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'object') out += `[${segment.key}]`;
    else {
      if (i > 0 && segment !== '') out += '.';
      out += segment;
    }
  });
  return out;
}

export function required(field: string, detail: string): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail, badValue: value };
}

export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, detail, badValue: value };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: '', badValue: value };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

/** Upstream's TooLong never prints the value, only the limit in bytes. */
export function tooLong(field: string, value: unknown, maxLength: number): FieldError {
  return {
    type: 'FieldValueTooLong',
    field,
    detail: `must have at most ${maxLength} bytes`,
    badValue: value,
  };
}

/** A negative count or limit means "unknown", as in upstream's TooMany. */
export function tooMany(field: string, actualQuantity: number, maxQuantity: number): FieldError {
  const detail = maxQuantity >= 0 ? `must have at most ${maxQuantity} items` : 'has too many items';
  const error: FieldError = { type: 'FieldValueTooMany', field, detail };
  if (actualQuantity >= 0) error.badValue = actualQuantity;
  return error;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

/** The message without the field, as field.Error.ErrorBody(); it is a StatusCause's message. */
export function errorBody(e: FieldError): string {
  let s = typeText[e.type];
  const showsValue =
    e.type !== 'FieldValueRequired' &&
    e.type !== 'FieldValueForbidden' &&
    e.type !== 'FieldValueTooLong' &&
    'badValue' in e;
  if (showsValue) s += `: ${formatBadValue(e.badValue)}`;
  if (e.detail !== '') s += `: ${e.detail}`;
  return s;
}

/** `spec.replicas: Invalid value: -1: must be greater than or equal to 0`, as field.Error.Error(). */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/**
 * An error list as one line, as ErrorList.ToAggregate().Error(): one message alone, several in
 * brackets joined by ", ", duplicates dropped. Empty for an empty list.
 */
export function errorListString(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map(errorString))];
  return messages.length === 1 ? messages[0]! : messages.length === 0 ? '' : `[${messages.join(', ')}]`;
}

// Upstream prints strings with %q, simple numbers and booleans with %v, a nil value as "null", and
// anything else with %#v. Go syntax for arbitrary objects has no JavaScript equivalent, so objects
// print as JSON; string lists keep the Go form `[]string{"a", "b"}` that label selector errors show.
// An empty list prints as `[]string(nil)`: the only empty lists upstream reports (a selector's
// values) have been copied into a nil slice.
function formatBadValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return formatGoNumber(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length === 0 ? '[]string(nil)' : `[]string{${value.map(goQuote).join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

// Integers print as Go ints do; fractions as Go's %v of a float64 (%g, shortest digits, exponent
// form below 1e-4 or from 1e6, at least two exponent digits).
function formatGoNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(n);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const goPrintable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const goNamedEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's strconv.Quote (the %q verb): printable Unicode kept, everything else escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = goNamedEscapes[ch];
    const cp = ch.codePointAt(0)!;
    // A lone surrogate would be invalid UTF-8, which Go decodes as U+FFFD.
    if (named !== undefined) out += named;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (goPrintable.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}
