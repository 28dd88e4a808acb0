// k8s.io/api/apps/v1 (Deployment, ControllerRevision) and k8s.io/api/batch/v1 (Job, CronJob).
import { list, nul, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

const apps: MessageTable = {
  'apps.Deployment': object('apps.DeploymentSpec', 'apps.DeploymentStatus'),
  'apps.DeploymentSpec': {
    1: ptr('replicas', 'int32'),
    2: nul('selector', 'meta.LabelSelector'),
    3: req('template', 'core.PodTemplateSpec'),
    4: opt('strategy', 'apps.DeploymentStrategy'),
    5: opt('minReadySeconds', 'int32'),
    6: ptr('revisionHistoryLimit', 'int32'),
    7: opt('paused', 'bool'),
    9: ptr('progressDeadlineSeconds', 'int32'),
  },
  'apps.DeploymentStrategy': {
    1: opt('type'),
    2: ptr('rollingUpdate', 'apps.RollingUpdateDeployment'),
  },
  'apps.RollingUpdateDeployment': {
    1: ptr('maxUnavailable', 'IntOrString'),
    2: ptr('maxSurge', 'IntOrString'),
  },
  'apps.DeploymentStatus': {
    1: opt('observedGeneration', 'int64'),
    2: opt('replicas', 'int32'),
    3: opt('updatedReplicas', 'int32'),
    7: opt('readyReplicas', 'int32'),
    4: opt('availableReplicas', 'int32'),
    5: opt('unavailableReplicas', 'int32'),
    6: list('conditions', 'apps.DeploymentCondition'),
    8: ptr('collisionCount', 'int32'),
  },
  'apps.ControllerRevision': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('data', 'RawExtension'),
    3: req('revision', 'int64'),
  },
  'apps.DeploymentCondition': {
    1: req('type'),
    2: req('status'),
    6: opt('lastUpdateTime', 'Time'),
    7: opt('lastTransitionTime', 'Time'),
    4: opt('reason'),
    5: opt('message'),
  },
};

const batch: MessageTable = {
  'batch.Job': object('batch.JobSpec', 'batch.JobStatus'),
  'batch.JobSpec': {
    1: ptr('parallelism', 'int32'),
    2: ptr('completions', 'int32'),
    3: ptr('activeDeadlineSeconds', 'int64'),
    11: ptr('podFailurePolicy', 'batch.PodFailurePolicy'),
    7: ptr('backoffLimit', 'int32'),
    4: ptr('selector', 'meta.LabelSelector'),
    5: ptr('manualSelector', 'bool'),
    6: req('template', 'core.PodTemplateSpec'),
    8: ptr('ttlSecondsAfterFinished', 'int32'),
    9: ptr('completionMode'),
    10: ptr('suspend', 'bool'),
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
  'batch.JobStatus': {
    1: list('conditions', 'batch.JobCondition'),
    2: ptr('startTime', 'Time'),
    3: ptr('completionTime', 'Time'),
    4: opt('active', 'int32'),
    5: opt('succeeded', 'int32'),
    6: opt('failed', 'int32'),
    7: opt('completedIndexes'),
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

export const workloadMessages: MessageTable = { ...apps, ...batch };

export const workloadKinds: KindTable = {
  'apps/v1 Deployment': 'apps.Deployment',
  'apps/v1 ControllerRevision': 'apps.ControllerRevision',
  'batch/v1 Job': 'batch.Job',
  'batch/v1 CronJob': 'batch.CronJob',
};
