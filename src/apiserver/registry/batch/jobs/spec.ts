import type { LabelSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { type PodTemplateSpec, rec } from '../../apps/workload.ts';

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: string;
  suspend?: boolean;
  manualSelector?: boolean;
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
  podFailurePolicy?: { rules?: { onPodConditions?: { status?: string }[] }[] } | null;
  successPolicy?: unknown;
  podReplacementPolicy?: string;
  managedBy?: string;
}

interface JobCondition {
  type?: string;
  status?: string;
}

export interface JobStatus {
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  startTime?: string;
  completionTime?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

// batch/v1's selector labels; the unprefixed ones are kept for compatibility.
export const jobNameLabel = 'batch.kubernetes.io/job-name';
export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const legacyJobNameLabel = 'job-name';
export const legacyControllerUidLabel = 'controller-uid';

export const spec = (obj: KubeObject): JobSpec => rec(obj['spec']) as JobSpec;
export const status = (obj: KubeObject): JobStatus => rec(obj['status']) as JobStatus;
