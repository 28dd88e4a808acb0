// JSON forms of the Go types that have a protobuf form of their own: metav1.Time, MicroTime,
// Duration. Each mirrors the Go formatting exactly, since the JSON path receives Go's output.
import { ProtobufDecodeError } from './wire.ts';

const NS_PER_SECOND = 1_000_000_000n;

/**
 * metav1.Time / MicroTime as JSON: `time.Unix(seconds, nanos).UTC()` formatted as RFC 3339, with
 * no fraction (Time) or exactly six truncated fractional digits (MicroTime).
 */
export function formatTime(seconds: bigint, nanos: bigint, micro: boolean, path: string): string {
  // time.Unix normalises nanoseconds outside [0, 1e9) into the seconds.
  const total = seconds * NS_PER_SECOND + nanos;
  let secs = total / NS_PER_SECOND;
  let frac = total % NS_PER_SECOND;
  if (frac < 0n) {
    frac += NS_PER_SECOND;
    secs -= 1n;
  }
  const date = new Date(Number(secs) * 1000);
  const year = date.getUTCFullYear();
  // Go would print such years in a form RFC 3339 parsers reject; refuse rather than guess.
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new ProtobufDecodeError(`${path}: time ${secs}s is outside years 0000-9999`);
  }
  const base = date.toISOString().slice(0, 19);
  if (!micro) return `${base}Z`;
  return `${base}.${String(frac / 1000n).padStart(6, '0')}Z`;
}

// Go's fmtFrac: the low `prec` digits of v as a fraction without trailing zeros (and no '.' when
// all are zero), plus v with those digits removed.
function fmtFrac(v: bigint, prec: number): { frac: string; rest: bigint } {
  let digits = '';
  let printed = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printed = printed || digit !== 0n;
    if (printed) digits = String(digit) + digits;
    v /= 10n;
  }
  return { frac: printed ? `.${digits}` : '', rest: v };
}

/** time.Duration.String(): "1h0m0s", "1.5s", "300ms", "2µs", "0s". */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  // Go works on the unsigned magnitude, so the minimum int64 formats correctly too.
  let u = neg ? -ns : ns;
  let out: string;
  if (u < NS_PER_SECOND) {
    // Sub-second values use a smaller unit: "1.2ms", "12µs", "3ns".
    let unit: string;
    let prec: number;
    if (u < 1000n) {
      unit = 'ns';
      prec = 0;
    } else if (u < 1_000_000n) {
      unit = 'µs';
      prec = 3;
    } else {
      unit = 'ms';
      prec = 6;
    }
    const { frac, rest } = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const { frac, rest } = fmtFrac(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
