import { duplicate, type FieldError, invalid, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { int, nonNegatives } from '../../apps/workload.ts';
import { type JobStatus, spec, status } from './spec.ts';

export function conditionTrue(st: JobStatus, type: string): boolean {
  return (st.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** An Invalid error that prints no value (upstream's field.OmitValueType). */
function invalidOmitValue(field: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail };
}

/**
 * ValidateJobUpdateStatus with the JobManagedBy options of v1.32 (terminal conditions stay, counters
 * do not go down, a finished Job is consistent), checked when the fields involved change.
 */
export function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const st = status(obj);
  const before = status(old);
  const s = spec(obj);
  const errors = nonNegatives(st as Record<string, unknown>, 'status', [
    'active',
    'succeeded',
    'failed',
    'ready',
    'terminating',
  ]);
  const seen = new Set<string>();
  for (const list of ['succeeded', 'failed'] as const) {
    (st.uncountedTerminatedPods?.[list] ?? []).forEach((uid, i) => {
      const p = `status.uncountedTerminatedPods.${list}[${i}]`;
      if (uid === '') errors.push(invalid(p, uid, 'must not be empty'));
      else if (seen.has(uid)) errors.push(duplicate(p, uid));
      else seen.add(uid);
    });
  }
  const complete = conditionTrue(st, 'Complete');
  const failed = conditionTrue(st, 'Failed');
  const finished = complete || failed;
  const wasComplete = conditionTrue(before, 'Complete');
  const wasFinished = wasComplete || conditionTrue(before, 'Failed');
  const completeChanged = complete !== wasComplete;
  const completionTimeChanged = st.completionTime !== before.completionTime;
  if ((completeChanged || failed !== conditionTrue(before, 'Failed')) && complete && failed) {
    errors.push(invalidOmitValue('status.conditions', 'cannot set Complete=True and Failed=true conditions'));
  }
  if ((completeChanged || completionTimeChanged) && st.completionTime !== undefined && !complete) {
    errors.push(
      invalid(
        'status.completionTime',
        st.completionTime,
        'cannot set completionTime when there is no Complete=True condition',
      ),
    );
  }
  if ((completeChanged || completionTimeChanged) && st.completionTime === undefined && complete) {
    errors.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
  }
  if ((finished !== wasFinished || st.active !== before.active) && int(st.active) > 0 && finished) {
    errors.push(invalid('status.active', st.active, 'active>0 is invalid for finished job'));
  }
  if (
    (finished !== wasFinished || st.startTime !== before.startTime) &&
    st.startTime === undefined &&
    finished
  ) {
    errors.push(required('status.startTime', 'startTime is required for finished job'));
  }
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (conditionTrue(before, type) && !conditionTrue(st, type)) {
      errors.push(
        invalidOmitValue('status.conditions', `cannot disable the terminal ${type}=True condition`),
      );
    }
  }
  if (int(st.failed) < int(before.failed)) {
    errors.push(invalid('status.failed', int(st.failed), 'cannot decrease the failed counter'));
  }
  // An elastic Indexed Job (completions == parallelism) may scale its succeeded count down.
  const elastic = s.completionMode === 'Indexed' && s.completions === s.parallelism;
  if (!elastic && int(st.succeeded) < int(before.succeeded)) {
    errors.push(invalid('status.succeeded', int(st.succeeded), 'cannot decrease the succeeded counter'));
  }
  if (
    before.completionTime !== undefined &&
    st.completionTime !== undefined &&
    st.completionTime !== before.completionTime
  ) {
    errors.push(invalid('status.completionTime', st.completionTime, 'completionTime cannot be mutated'));
  }
  return errors;
}
