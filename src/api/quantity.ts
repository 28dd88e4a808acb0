// resource.Quantity, after k8s.io/apimachinery pkg/api/resource (quantity.go, suffix.go, amount.go):
// exact fixed-point numbers such as "100m", "1.5Gi" or "1e3", never floats. A quantity is
// value × 10^scale; parsing rounds anything finer than a nano-unit up, away from zero, as upstream.
// formatQuantity prints upstream's canonical form and, like Quantity.String(), keeps the input text
// when upstream considers it canonical already (so "1e3" stays "1e3", and "+1" stays "+1").

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  readonly value: bigint;
  readonly scale: number;
  /** The suffix family the input used; formatting uses it again. */
  readonly format: QuantityFormat;
  /** The input text, kept when upstream would reuse it as the quantity's string form. */
  readonly text?: string;
}

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

const errFormatWrong =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const errSuffix = "unable to parse quantity's suffix";

const maxInt64 = 2n ** 63n - 1n;
const maxInt32 = 2 ** 31 - 1;

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixOf = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixOf = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e / 10, s]));

// suffixHandler.interpret. An exponent beyond ±(2^31-1) is refused, as newer upstream does, where
// v1.32 silently truncated it to 32 bits.
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  // scan() admits only the letters eEinumkKMGTP, a sign and digits, so no prototype key can match.
  const decimal = decimalSuffixes[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = binarySuffixes[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (
    suffix.length > 1 &&
    (suffix[0] === 'e' || suffix[0] === 'E') &&
    /^[+-]?[0-9]+$/.test(suffix.slice(1))
  ) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) <= maxInt32) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError(errSuffix);
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

// parseQuantityString: sign, integer digits without leading zeros, fraction digits, and suffix.
function scan(str: string): { positive: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  const positive = str[0] !== '-';
  if (str[0] === '-' || str[0] === '+') pos++;
  while (str[pos] === '0') pos++;
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    const denomStart = ++pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityError(errFormatWrong);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** resource.ParseQuantity. Throws a QuantityError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str === '') throw new QuantityError(errFormatWrong);
  if (str === '0') return { value: 0n, scale: 0, format: 'DecimalSI', text: str };
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format } = interpretSuffix(suffix);
  const sign = positive ? 1n : -1n;

  // Upstream's int64 fast path. It decides when the input text is reused as the string form: a
  // decimal with a multiple-of-3 exponent and no trailing "000", or a binary value not divisible by 8.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (denom === '') {
    multiplier = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0 && scale - denom.length >= -9) {
    scale -= denom.length;
    const shifted = num + denom;
    const magnitude = BigInt(shifted) * multiplier;
    if (magnitude <= maxInt64) {
      const canonical =
        format === 'BinarySI'
          ? exponent % 10 === 0 && BigInt(shifted) % 8n !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
      const q: Quantity = { value: sign * magnitude, scale, format };
      return canonical ? { ...q, text: str } : q;
    }
  }

  let magnitude = BigInt(num + denom);
  scale = -denom.length;
  if (base === 10) scale += exponent;
  else magnitude <<= BigInt(exponent);
  // Round up to whole nano-units: a request for a tiny amount should get some, not none.
  if (magnitude !== 0n && scale < -9) {
    magnitude = ceilDivPow10(magnitude, -9 - scale);
    scale = -9;
  }
  let resultFormat = format;
  if (format === 'BinarySI') {
    // Binary quantities are capped at the int64 maximum; below 1 they print as decimal.
    if (compareMagnitude(magnitude, scale, maxInt64, 0) > 0) {
      magnitude = maxInt64;
      scale = 0;
    }
    if (magnitude !== 0n && compareMagnitude(magnitude, scale, 1n, 0) < 0) resultFormat = 'DecimalSI';
  }
  return { value: sign * magnitude, scale, format: resultFormat };
}

/** ⌈n / 10^k⌉ for n > 0, without building 10^k when the answer is plainly 1. */
function ceilDivPow10(n: bigint, k: number): bigint {
  if (k >= n.toString().length) return 1n;
  const d = 10n ** BigInt(k);
  return (n + d - 1n) / d;
}

function compareMagnitude(a: bigint, aScale: number, b: bigint, bScale: number): number {
  const scale = Math.min(aScale, bScale);
  const x = a * 10n ** BigInt(aScale - scale);
  const y = b * 10n ** BigInt(bScale - scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  return compareMagnitude(a.value, a.scale, b.value, b.scale);
}

/** Quantity.Add; the result takes a's format unless a is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  const value = a.value * 10n ** BigInt(a.scale - scale) + b.value * 10n ** BigInt(b.scale - scale);
  return { value, scale, format: a.value === 0n ? b.format : a.format };
}

/** Quantity.Sub; the result takes a's format unless a is zero. */
export function subtractQuantity(a: Quantity, b: Quantity): Quantity {
  return addQuantity(a, { value: -b.value, scale: b.scale, format: b.format });
}

/** Quantity.String(): the canonical form (see the comment at the top of this file). */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.value === 0n) return '0';
  if (q.format === 'BinarySI') {
    const whole = exactInteger(q);
    // Small or fractional binary amounts print as decimal rather than round.
    if (whole !== undefined && (whole <= -1024n || whole >= 1024n)) {
      let mantissa = whole;
      let exponent = 0;
      while (mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        exponent++;
      }
      const suffix = binarySuffixOf.get(exponent) ?? (exponent === 0 ? '' : undefined);
      if (suffix !== undefined) return `${mantissa}${suffix}`;
      // Past "Ei" there is no suffix; newer upstream prints the exact decimal instead of dropping
      // the magnitude as v1.32 did.
      return formatDecimal(q, 'DecimalExponent');
    }
    return formatDecimal(q, 'DecimalSI');
  }
  return formatDecimal(q, q.format);
}

// AsCanonicalBytes: all factors of ten into the exponent, then down to a multiple of three.
function formatDecimal(q: Quantity, format: 'DecimalSI' | 'DecimalExponent'): string {
  let mantissa = q.value;
  let exponent = q.scale;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const extra = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(extra);
  exponent -= extra;
  const suffix = format === 'DecimalSI' ? decimalSuffixOf.get(exponent) : undefined;
  if (suffix !== undefined) return `${mantissa}${suffix}`;
  // DecimalExponent, or a DecimalSI amount past "E" or below "n": newer upstream falls back to
  // exponent notation here where v1.32 dropped the suffix and with it the magnitude.
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

function exactInteger(q: Quantity): bigint | undefined {
  if (q.scale >= 0) return q.value * 10n ** BigInt(q.scale);
  const d = 10n ** BigInt(-q.scale);
  return q.value % d === 0n ? q.value / d : undefined;
}

// ScaledValue: the amount in units of 10^scale, rounded up away from zero (upstream's int64 path).
function scaledValue(q: Quantity, scale: number): bigint {
  const shift = q.scale - scale;
  if (shift >= 0) return q.value * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  const quotient = q.value / d;
  if (q.value % d === 0n) return quotient;
  return q.value > 0n ? quotient + 1n : quotient - 1n;
}

/** Quantity.MilliValue(): thousandths, rounded up; CPU requests are compared this way. */
export function toMilli(q: Quantity): bigint {
  return scaledValue(q, -3);
}

/** Quantity.Value(): whole units, rounded up; memory and storage are compared in bytes. */
export function toValue(q: Quantity): bigint {
  return scaledValue(q, 0);
}

/** Quantity.AsApproximateFloat64(): the nearest float, for scores and ratios, not for accounting. */
export function toNumber(q: Quantity): number {
  return Number(`${q.value}e${q.scale}`);
}
