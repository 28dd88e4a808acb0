import type { KubeObject } from '../../../../api/meta.ts';
import { humanDuration } from '../../../handlers/table.ts';
import { int } from '../../apps/workload.ts';
import { spec, status } from './spec.ts';
import { conditionTrue } from './status.ts';

/** The STATUS column of kubectl 1.32's printJob. */
export function jobStatus(obj: KubeObject): string {
  const st = status(obj);
  if (conditionTrue(st, 'Complete')) return 'Complete';
  if (conditionTrue(st, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (conditionTrue(st, 'Suspended')) return 'Suspended';
  if (conditionTrue(st, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function completionsCell(obj: KubeObject): string {
  const s = spec(obj);
  const succeeded = int(status(obj).succeeded);
  if (s.completions !== undefined && s.completions !== null) return `${succeeded}/${s.completions}`;
  const parallelism = int(s.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function durationCell(obj: KubeObject, now: Date): string {
  const st = status(obj);
  if (st.startTime === undefined) return '';
  const end = st.completionTime === undefined ? now.getTime() : Date.parse(st.completionTime);
  return humanDuration(end - Date.parse(st.startTime));
}
