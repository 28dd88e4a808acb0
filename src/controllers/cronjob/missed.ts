// Which scheduled time a CronJob should run now (pkg/controller/cronjob/utils.go
// mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration): the latest activation not
// after now and after the last one run (or creation), bounded by startingDeadlineSeconds; more
// than 100 missed activations is reported as "too many missed start times".
import type { Schedule } from './cron.ts';

export type Missed = 'none' | 'few' | 'many';

/** nextScheduleDelta: wake a little after the activation so the clock has surely passed it. */
export const nextScheduleDeltaMs = 100;

export interface ScheduleInput {
  readonly createdMs: number;
  readonly lastScheduleMs: number | undefined;
  readonly startingDeadlineSeconds: number | undefined;
}

export interface MostRecent {
  readonly earliest: number;
  readonly mostRecent: number | undefined;
  readonly missed: Missed;
}

/** mostRecentScheduleTime; throws for a schedule whose activations are under a second apart. */
export function mostRecentScheduleTime(
  cj: ScheduleInput,
  nowMs: number,
  schedule: Schedule,
  includeStartingDeadline: boolean,
): MostRecent {
  let earliest = cj.lastScheduleMs ?? cj.createdMs;
  if (includeStartingDeadline && cj.startingDeadlineSeconds !== undefined) {
    earliest = Math.max(earliest, nowMs - cj.startingDeadlineSeconds * 1000);
  }
  const t1 = schedule.next(earliest);
  if (t1 === undefined || nowMs < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  const t2 = schedule.next(t1);
  if (t2 === undefined || nowMs < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const elapsed = Math.floor((nowMs - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  // Step back one interval further and let the schedule find the real activations (irregular
  // schedules such as `30 6-16/4 * * 1-5`).
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= nowMs; t = schedule.next(t)) {
    mostRecent = t;
  }
  const missed: Missed = missedCount > 100 ? 'many' : missedCount > 1 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** nextScheduleTime: the activation to run now, if any (with the many-missed verdict). */
export function nextScheduleTime(
  cj: ScheduleInput,
  nowMs: number,
  schedule: Schedule,
): { time: number | undefined; missed: Missed } {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > nowMs) return { time: undefined, missed: r.missed };
  return { time: r.mostRecent, missed: r.missed };
}

/** nextScheduleTimeDuration: how long until the activation after the most recent one. */
export function nextScheduleDelay(cj: ScheduleInput, nowMs: number, schedule: Schedule): number | undefined {
  let r: MostRecent;
  try {
    r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  } catch {
    return undefined;
  }
  const next = schedule.next(r.mostRecent ?? r.earliest);
  return next === undefined ? undefined : next + nextScheduleDeltaMs - nowMs;
}

/** getTimeHashInMinutes: the job name suffix of an activation. */
export const scheduledMinutes = (ms: number): number => Math.floor(ms / 60_000);
