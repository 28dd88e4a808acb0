// The schedule check of CronJob validation: robfig/cron/v3's ParseStandard (five fields or an
// @-descriptor, an optional TZ=/CRON_TZ= prefix), returning its error text, which upstream shows.
import { goQuote } from '../../../../api/field-errors.ts';

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const minutes: Bounds = { min: 0, max: 59 };
const hours: Bounds = { min: 0, max: 23 };
const dom: Bounds = { min: 1, max: 31 };
const months: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const dow: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const descriptors = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

class ScheduleError extends Error {}

// strconv.Atoi's errors, as mustParseInt wraps them.
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new ScheduleError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: invalid syntax`,
    );
  }
  const n = Number(expr);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) {
    throw new ScheduleError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: value out of range`,
    );
  }
  if (n < 0) throw new ScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const name = expr.toLowerCase();
  if (bounds.names !== undefined && Object.hasOwn(bounds.names, name)) return bounds.names[name]!;
  return mustParseInt(expr);
}

// getRange: `*`, `?`, `n`, `n-m`, each with an optional `/step`.
function checkRange(expr: string, bounds: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, bounds);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) {
    throw new ScheduleError(`too many slashes: ${expr}`);
  }
  if (start < bounds.min)
    throw new ScheduleError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max)
    throw new ScheduleError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
}

// time.ParseDuration, enough to accept and reject what @every takes.
function checkDuration(text: string): void {
  if (text === '0' || /^[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$/.test(text)) {
    if (!/[0-9]/.test(text) && text !== '0')
      throw new ScheduleError(`time: invalid duration ${goQuote(text)}`);
    return;
  }
  if (/^[-+]?[0-9.]+$/.test(text)) throw new ScheduleError(`time: missing unit in duration ${goQuote(text)}`);
  throw new ScheduleError(`time: invalid duration ${goQuote(text)}`);
}

/** Whether Go's time.LoadLocation knows a zone; "" and "UTC" are UTC, "Local" the local zone. */
export function knownTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** cron.ParseStandard: the error message, or undefined for a valid schedule. */
export function scheduleError(input: string): string | undefined {
  try {
    let spec = input;
    if (spec.length === 0) throw new ScheduleError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      const zone = spec.slice(spec.indexOf('=') + 1, space === -1 ? undefined : space);
      if (!knownTimeZone(zone)) {
        throw new ScheduleError(`provided bad location ${zone}: unknown time zone ${zone}`);
      }
      spec = space === -1 ? '' : spec.slice(space).trim();
    }
    if (spec.startsWith('@')) {
      if (descriptors.has(spec)) return undefined;
      if (spec.startsWith('@every ')) {
        try {
          checkDuration(spec.slice('@every '.length));
        } catch (e: unknown) {
          throw new ScheduleError(
            `failed to parse duration ${spec}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        return undefined;
      }
      throw new ScheduleError(`unrecognized descriptor: ${spec}`);
    }
    const fields = spec.split(/[ \t\n\v\f\r]+/).filter((f) => f !== '');
    if (fields.length !== 5) {
      throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    }
    [minutes, hours, dom, months, dow].forEach((bounds, i) => {
      for (const expr of fields[i]!.split(',').filter((e) => e !== '')) checkRange(expr, bounds);
    });
    return undefined;
  } catch (e: unknown) {
    if (e instanceof ScheduleError) return e.message;
    throw e;
  }
}
