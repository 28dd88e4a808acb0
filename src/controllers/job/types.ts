// The typed view of batch/v1 Job the job, cronjob and ttl-after-finished controllers read and write.
// Only the fields the controllers use are typed; the rest rides along as plain JSON.
import type { LabelSelector } from '../../api/labels.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { PodTemplateSpec } from '../framework/index.ts';

export interface PodFailurePolicyOnExitCodes {
  containerName?: string;
  operator: 'In' | 'NotIn' | string;
  values: number[];
}

export interface PodFailurePolicyOnPodCondition {
  type: string;
  status?: string;
}

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count' | string;
  onExitCodes?: PodFailurePolicyOnExitCodes | null;
  onPodConditions?: PodFailurePolicyOnPodCondition[] | null;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number | null;
  backoffLimit?: number;
  ttlSecondsAfterFinished?: number | null;
  completionMode?: 'NonIndexed' | 'Indexed' | string;
  suspend?: boolean;
  manualSelector?: boolean;
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
  podFailurePolicy?: { rules?: PodFailurePolicyRule[] } | null;
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed' | string;
  managedBy?: string | null;
}

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface JobStatus {
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

export interface Job extends KubeObject {
  spec: JobSpec;
  status?: JobStatus;
}

export const jobKind = { apiVersion: 'batch/v1', kind: 'Job' } as const;

/** batch.kubernetes.io/job-tracking: keeps a pod until the controller has counted it. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** The completion index of a pod of an Indexed Job (annotation and, since 1.28, label). */
export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const jobIndexEnv = 'JOB_COMPLETION_INDEX';
/** Jobs managed by another controller (spec.managedBy) are left alone. */
export const jobControllerName = 'kubernetes.io/job-controller';

/** IsJobFinished: a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

/** The True Complete or Failed condition of a finished job. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}
