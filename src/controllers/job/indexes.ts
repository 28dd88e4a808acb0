// Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): the ordered
// intervals behind `status.completedIndexes` ("0-2,4"), the index of a pod, and which indexes to
// create pods for next.
import type { Pod } from '../framework/index.ts';
import { jobCompletionIndexAnnotation } from './types.ts';

export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** orderedIntervals: sorted, non-overlapping, non-adjacent closed intervals. */
export type Intervals = readonly Interval[];

/** unknownCompletionIndex */
export const unknownIndex = -1;

/** orderedIntervals.String: `0-2,4`. */
export function formatIntervals(intervals: Intervals): string {
  return intervals.map((v) => (v.first === v.last ? `${v.first}` : `${v.first}-${v.last}`)).join(',');
}

/** orderedIntervals.total */
export function totalIndexes(intervals: Intervals): number {
  return intervals.reduce((n, v) => n + v.last - v.first + 1, 0);
}

export function hasIndex(intervals: Intervals, ix: number): boolean {
  return intervals.some((v) => v.first <= ix && ix <= v.last);
}

/**
 * parseIndexesFromString: intervals below `completions`; malformed parts are skipped (upstream
 * logs and ignores them), out-of-range ends are cut.
 */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  const ixs: number[] = [];
  if (text === undefined || text === '') return [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) ixs.push(i);
  }
  return withIndexes([], ixs);
}

/** orderedIntervals.withOrderedIndexes: the union of `intervals` and `ixs`, merged. */
export function withIndexes(intervals: Intervals, ixs: readonly number[]): Interval[] {
  const all = new Set<number>(ixs);
  const points = [...all].sort((a, b) => a - b);
  const merged: Interval[] = [];
  const push = (v: Interval): void => {
    const prev = merged[merged.length - 1];
    if (prev !== undefined && v.first <= prev.last + 1) {
      merged[merged.length - 1] = { first: prev.first, last: Math.max(prev.last, v.last) };
    } else merged.push({ ...v });
  };
  const sorted = [...intervals, ...points.map((p) => ({ first: p, last: p }))].sort(
    (a, b) => a.first - b.first,
  );
  for (const v of sorted) push(v);
  return merged;
}

/** getCompletionIndex: the annotation as a non-negative integer, or unknownIndex. */
export function completionIndexOf(pod: Pod): number {
  const v = pod.metadata.annotations?.[jobCompletionIndexAnnotation];
  if (v === undefined || !/^\d+$/.test(v)) return unknownIndex;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : unknownIndex;
}

/**
 * firstPendingIndexes: the `count` lowest indexes below `completions` that have neither succeeded
 * nor an active pod.
 */
export function firstPendingIndexes(
  succeeded: Intervals,
  activeIndexes: ReadonlySet<number>,
  count: number,
  completions: number,
): number[] {
  const out: number[] = [];
  for (let ix = 0; ix < completions && out.length < count; ix++) {
    if (!activeIndexes.has(ix) && !hasIndex(succeeded, ix)) out.push(ix);
  }
  return out;
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so the name stays valid. */
export function generateNameWithIndex(jobName: string, index: number): string {
  const appendix = `-${index}-`;
  const max = 63 - 5;
  return `${jobName.length + appendix.length > max ? jobName.slice(0, max - appendix.length) : jobName}${appendix}`;
}
