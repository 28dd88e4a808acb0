// Cron schedules as the CronJob controller runs them (robfig/cron/v3 ParseStandard and
// SpecSchedule.Next): five fields or an @-descriptor, an optional TZ=/CRON_TZ= prefix, `@every
// <duration>`, and the next activation strictly after a time, in a time zone (through Intl). When
// both day-of-month and day-of-week are restricted a day matches either; if one is `*` both must.
const starBit = 1n << 63n;

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const monthNames = {
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
};
const dowNames = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fields: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames },
  { min: 0, max: 6, names: dowNames },
];

const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface Schedule {
  /** The first activation strictly after `afterMs`, or undefined when there is none (within 5 years). */
  next(afterMs: number): number | undefined;
}

function parseValue(text: string, f: Field): number {
  const named = f.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
  return Number(text);
}

/** getField: a comma list of `*`, `n`, `n-m`, each with an optional `/step`, as a bit set. */
function parseField(expr: string, f: Field): bigint {
  let bits = 0n;
  for (const part of expr.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`);
    const [lowText = '', highText, more] = range.split('-');
    if (more !== undefined) throw new Error(`too many hyphens: ${part}`);
    let low: number;
    let high: number;
    let star = false;
    if (lowText === '*' || lowText === '?') {
      [low, high, star] = [f.min, f.max, true];
    } else {
      low = parseValue(lowText, f);
      high = highText === undefined ? low : parseValue(highText, f);
    }
    const step = stepText === undefined ? 1 : parseValue(stepText, { min: 0, max: 0 });
    if (stepText !== undefined && highText === undefined && !star) high = f.max;
    if (low < f.min || high > f.max || low > high || step === 0) throw new Error(`invalid range: ${part}`);
    for (let v = low; v <= high; v += step) bits |= 1n << BigInt(v);
    if (star && step === 1) bits |= starBit;
  }
  return bits;
}

/** time.ParseDuration for @every: h, m, s, ms units. */
function parseDuration(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) throw new Error(`time: invalid duration "${text}"`);
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  if (text === '') throw new Error(`time: invalid duration "${text}"`);
  return total;
}

export interface WallTime {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock of `ms` in `zone` ("" and "UTC" are UTC). */
export function wallTime(ms: number, zone: string): WallTime {
  if (zone === '' || zone === 'UTC') {
    const d = new Date(ms);
    return {
      minute: d.getUTCMinutes(),
      hour: d.getUTCHours(),
      day: d.getUTCDate(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
    };
  }
  let fmt = formatters.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(ms)) parts[p.type] = p.value;
  return {
    minute: Number(parts['minute']),
    hour: Number(parts['hour']),
    day: Number(parts['day']),
    month: Number(parts['month']),
    weekday: weekdays[parts['weekday'] ?? ''] ?? 0,
  };
}

/** Whether Intl knows the zone (Go's time.LoadLocation). */
export function validTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const has = (bits: bigint, v: number): boolean => (bits & (1n << BigInt(v))) !== 0n;
const maxSearchMs = 5 * 366 * 24 * 3_600_000;

/** cron.ParseStandard; `timeZone` is the zone when the spec names none. Throws on a bad spec. */
export function parseSchedule(input: string, timeZone = ''): Schedule {
  let spec = input.trim();
  let zone = timeZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    zone = spec.slice(spec.indexOf('=') + 1, space === -1 ? undefined : space);
    spec = space === -1 ? '' : spec.slice(space).trim();
  }
  if (zone === 'Local') zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!validTimeZone(zone)) throw new Error(`provided bad location ${zone}: unknown time zone ${zone}`);
  if (spec.startsWith('@every ')) {
    const every = Math.max(1000, Math.floor(parseDuration(spec.slice(7).trim()) / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + every };
  }
  if (spec.startsWith('@')) {
    const d = descriptors[spec];
    if (d === undefined) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = d;
  }
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5)
    throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, fields[i]!)) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const dayMatches = (w: WallTime): boolean => {
    const d = has(dom, w.day);
    const wd = has(dow, w.weekday);
    return (dom & starBit) !== 0n || (dow & starBit) !== 0n ? d && wd : d || wd;
  };
  return {
    next(after: number): number | undefined {
      // Strictly after `after`, on a whole minute.
      let t = Math.floor(after / 60_000) * 60_000 + 60_000;
      const end = after + maxSearchMs;
      while (t <= end) {
        const w = wallTime(t, zone);
        if (!has(month, w.month) || !dayMatches(w)) {
          // To the next day, landing an hour early so a DST change cannot skip midnight.
          const left = 24 * 60 - (w.hour * 60 + w.minute);
          t += Math.max(1, left - 60) * 60_000;
        } else if (!has(hour, w.hour)) {
          t += (60 - w.minute) * 60_000;
        } else if (!has(minute, w.minute)) {
          t += 60_000;
        } else return t;
      }
      return undefined;
    },
  };
}

/** RFC 3339 of `ms` in `zone` with its offset (Go's Time.In(loc).Format(time.RFC3339)). */
export function formatRfc3339(ms: number, zone: string): string {
  if (zone === '' || zone === 'UTC') return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
  const wallMs = Date.UTC(
    Number(p['year']),
    Number(p['month']) - 1,
    Number(p['day']),
    Number(p['hour']),
    Number(p['minute']),
    Number(p['second']),
  );
  const offsetMin = Math.round((wallMs - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset =
    offsetMin === 0
      ? 'Z'
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}${offset}`;
}
