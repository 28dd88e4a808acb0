// k8s.io/api/batch/v1: Job and CronJob.
import { list, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

export const batchMessages: MessageTable = {
  'batch.Job': object('batch.JobSpec', 'batch.JobStatus'),
  'batch.JobSpec': {
    1: ptr('parallelism', 'int32'),
    2: ptr('completions', 'int32'),
    3: ptr('activeDeadlineSeconds', 'int64'),
    11: ptr('podFailurePolicy', 'batch.PodFailurePolicy'),
    16: ptr('successPolicy', 'batch.SuccessPolicy'),
    7: ptr('backoffLimit', 'int32'),
    12: ptr('backoffLimitPerIndex', 'int32'),
    13: ptr('maxFailedIndexes', 'int32'),
    4: ptr('selector', 'meta.LabelSelector'),
    5: ptr('manualSelector', 'bool'),
    6: req('template', 'core.PodTemplateSpec'),
    8: ptr('ttlSecondsAfterFinished', 'int32'),
    9: ptr('completionMode'),
    10: ptr('suspend', 'bool'),
    14: ptr('podReplacementPolicy'),
    15: ptr('managedBy'),
  },
  'batch.PodFailurePolicy': { 1: list('rules', 'batch.PodFailurePolicyRule', 'required') },
  // Older k8s.io/api tagged onExitCodes, onPodConditions and containerName without omitempty;
  // kubectl 1.32's JSON (testdata/job-from-cronjob.json) shows they have it now.
  'batch.PodFailurePolicyRule': {
    1: req('action'),
    2: ptr('onExitCodes', 'batch.PodFailurePolicyOnExitCodesRequirement'),
    3: list('onPodConditions', 'batch.PodFailurePolicyOnPodConditionsPattern'),
  },
  'batch.PodFailurePolicyOnExitCodesRequirement': {
    1: ptr('containerName'),
    2: req('operator'),
    3: list('values', 'int32', 'required'),
  },
  'batch.PodFailurePolicyOnPodConditionsPattern': { 1: req('type'), 2: req('status') },
  'batch.SuccessPolicy': { 1: list('rules', 'batch.SuccessPolicyRule', 'required') },
  'batch.SuccessPolicyRule': { 1: ptr('succeededIndexes'), 2: ptr('succeededCount', 'int32') },
  'batch.JobStatus': {
    1: list('conditions', 'batch.JobCondition'),
    2: ptr('startTime', 'Time'),
    3: ptr('completionTime', 'Time'),
    4: opt('active', 'int32'),
    5: opt('succeeded', 'int32'),
    6: opt('failed', 'int32'),
    11: ptr('terminating', 'int32'),
    7: opt('completedIndexes'),
    10: ptr('failedIndexes'),
    8: ptr('uncountedTerminatedPods', 'batch.UncountedTerminatedPods'),
    9: ptr('ready', 'int32'),
  },
  'batch.UncountedTerminatedPods': { 1: list('succeeded'), 2: list('failed') },
  'batch.JobCondition': {
    1: req('type'),
    2: req('status'),
    3: opt('lastProbeTime', 'Time'),
    4: opt('lastTransitionTime', 'Time'),
    5: opt('reason'),
    6: opt('message'),
  },
  'batch.JobTemplateSpec': object('batch.JobSpec'),
  'batch.CronJob': object('batch.CronJobSpec', 'batch.CronJobStatus'),
  'batch.CronJobSpec': {
    1: req('schedule'),
    8: ptr('timeZone'),
    2: ptr('startingDeadlineSeconds', 'int64'),
    3: opt('concurrencyPolicy'),
    4: ptr('suspend', 'bool'),
    5: req('jobTemplate', 'batch.JobTemplateSpec'),
    6: ptr('successfulJobsHistoryLimit', 'int32'),
    7: ptr('failedJobsHistoryLimit', 'int32'),
  },
  'batch.CronJobStatus': {
    1: list('active', 'core.ObjectReference'),
    4: ptr('lastScheduleTime', 'Time'),
    5: ptr('lastSuccessfulTime', 'Time'),
  },
};

export const batchKinds: KindTable = {
  'batch/v1 Job': 'batch.Job',
  'batch/v1 CronJob': 'batch.CronJob',
};
