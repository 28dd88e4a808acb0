import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRfc3339, parseSchedule } from './cron.ts';
import { mostRecentScheduleTime, nextScheduleDelay, nextScheduleTime } from './missed.ts';

const iso = (s: string): number => Date.parse(s);
const next = (spec: string, after: string, zone = ''): string | undefined => {
  const t = parseSchedule(spec, zone).next(iso(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron schedules', () => {
  const cases: [string, string, string, string?][] = [
    ['* * * * *', '2024-01-01T10:00:00Z', '2024-01-01T10:01:00.000Z'],
    ['*/15 * * * *', '2024-01-01T10:07:30Z', '2024-01-01T10:15:00.000Z'],
    ['0 9 * * 1-5', '2024-01-05T09:00:00Z', '2024-01-08T09:00:00.000Z'],
    ['30 6-16/4 * * *', '2024-01-01T11:00:00Z', '2024-01-01T14:30:00.000Z'],
    ['0 0 13 * 5', '2024-01-01T00:00:00Z', '2024-01-05T00:00:00.000Z'],
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['@hourly', '2024-01-01T10:59:59Z', '2024-01-01T11:00:00.000Z'],
    ['@monthly', '2024-01-15T00:00:00Z', '2024-02-01T00:00:00.000Z'],
    ['0 0 * JAN-MAR SUN', '2024-03-30T00:00:00Z', '2024-03-31T00:00:00.000Z'],
    ['@every 90s', '2024-01-01T00:00:00.500Z', '2024-01-01T00:01:30.000Z'],
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    ['0 9 * * *', '2024-01-10T12:00:00Z', '2024-01-11T08:00:00.000Z', 'Europe/Berlin'],
    ['0 9 * * *', '2024-07-10T12:00:00Z', '2024-07-11T07:00:00.000Z', 'Europe/Berlin'],
    ['TZ=America/New_York 0 0 * * *', '2024-01-01T00:00:00Z', '2024-01-01T05:00:00.000Z'],
    // Across the spring-forward night in Berlin (2024-03-31 02:00 → 03:00).
    ['30 0 * * *', '2024-03-30T12:00:00Z', '2024-03-30T23:30:00.000Z', 'Europe/Berlin'],
    ['30 2 * * *', '2024-03-30T12:00:00Z', '2024-04-01T00:30:00.000Z', 'Europe/Berlin'],
  ];
  for (const [spec, after, want, zone] of cases) {
    it(`${spec}${zone === undefined ? '' : ` in ${zone}`} after ${after}`, () => {
      assert.equal(next(spec, after, zone), want);
    });
  }
  it('rejects bad specs', () => {
    for (const bad of [
      '',
      '* * * *',
      '60 * * * *',
      '* * * * 7',
      '@fortnightly',
      '5-1 * * * *',
      'TZ=Mars/Base * * * * *',
    ]) {
      assert.throws(() => parseSchedule(bad), bad);
    }
  });
  it('formats the scheduled timestamp in the zone', () => {
    assert.equal(formatRfc3339(iso('2024-01-01T08:00:00Z'), 'Europe/Berlin'), '2024-01-01T09:00:00+01:00');
    assert.equal(formatRfc3339(iso('2024-01-01T08:00:00Z'), ''), '2024-01-01T08:00:00Z');
    assert.equal(formatRfc3339(iso('2024-01-01T08:00:00Z'), 'America/St_Johns'), '2024-01-01T04:30:00-03:30');
  });
});

describe('missed schedules', () => {
  const every5 = parseSchedule('*/5 * * * *');
  const created = iso('2024-01-01T10:00:00Z');
  it('finds nothing before the first activation', () => {
    const cj = { createdMs: created, lastScheduleMs: undefined, startingDeadlineSeconds: undefined };
    assert.deepEqual(nextScheduleTime(cj, iso('2024-01-01T10:04:00Z'), every5), {
      time: undefined,
      missed: 'none',
    });
    assert.equal(nextScheduleDelay(cj, iso('2024-01-01T10:04:00Z'), every5), 60_100);
  });
  it('runs the most recent of a few missed activations', () => {
    const cj = { createdMs: created, lastScheduleMs: undefined, startingDeadlineSeconds: undefined };
    const r = nextScheduleTime(cj, iso('2024-01-01T10:17:00Z'), every5);
    assert.equal(r.time, iso('2024-01-01T10:15:00Z'));
    assert.equal(r.missed, 'few');
  });
  it('reports too many missed start times past 100', () => {
    const cj = { createdMs: created, lastScheduleMs: created, startingDeadlineSeconds: undefined };
    const r = mostRecentScheduleTime(cj, created + 101 * 5 * 60_000 + 1000, every5, true);
    assert.equal(r.missed, 'many');
    assert.equal(r.mostRecent, created + 101 * 5 * 60_000);
  });
  it('looks back no further than startingDeadlineSeconds', () => {
    const cj = { createdMs: created, lastScheduleMs: undefined, startingDeadlineSeconds: 60 };
    assert.equal(nextScheduleTime(cj, iso('2024-01-01T10:17:00Z'), every5).time, undefined);
    assert.equal(nextScheduleTime(cj, iso('2024-01-01T10:15:30Z'), every5).time, iso('2024-01-01T10:15:00Z'));
  });
});
