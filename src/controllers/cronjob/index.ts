// The CronJob controller (pkg/controller/cronjob).
export {
  CronJobController,
  type CronJob,
  cronJobKind,
  jobForActivation,
  scheduledTimestampAnnotation,
} from './controller.ts';
export { formatRfc3339, parseSchedule, type Schedule } from './cron.ts';
export { mostRecentScheduleTime, nextScheduleDelay, nextScheduleTime } from './missed.ts';
