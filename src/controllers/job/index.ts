// The Job controller (pkg/controller/job) and the batch/v1 Job view the cronjob and
// ttl-after-finished controllers share.
export { JobController } from './controller.ts';
export type { JobControllerOptions } from './state.ts';
export { defaultPodFailureBackoffMs, maxPodFailureBackoffMs } from './backoff.ts';
export { formatIntervals, parseIntervals } from './indexes.ts';
export {
  finishedCondition,
  isJobFinished,
  type Job,
  type JobCondition,
  jobCompletionIndexAnnotation,
  jobKind,
  type JobSpec,
  type JobStatus,
  jobTrackingFinalizer,
} from './types.ts';
