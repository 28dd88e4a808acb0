// The Job controller's pod writes (pkg/controller/job/job_controller.go): pods from the template
// with the job-tracking finalizer (and, for Indexed Jobs, the completion index, hostname and the
// JOB_COMPLETION_INDEX variable), deletions that drop the finalizer first so that a deleted pod is
// not counted as failed, and finalizer removal once a finished pod is counted.
import { isNotFound, objectKey } from '../../client/index.ts';
import {
  errorText,
  isNamespaceTerminating,
  newControllerRef,
  type Pod,
  podFromTemplate,
  referenceTo,
  type PodTemplateSpec,
} from '../framework/index.ts';
import { generateNameWithIndex } from './indexes.ts';
import type { JobState } from './state.ts';
import {
  type Job,
  jobCompletionIndexAnnotation,
  jobIndexEnv,
  jobKind,
  jobTrackingFinalizer,
} from './types.ts';

export const hasTrackingFinalizer = (pod: Pod): boolean =>
  pod.metadata.finalizers?.includes(jobTrackingFinalizer) ?? false;

type Container = { name: string; env?: { name: string; [k: string]: unknown }[]; [k: string]: unknown };

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the annotation, in every container. */
function addIndexEnv(template: PodTemplateSpec): void {
  const spec = template.spec ?? {};
  const lists = [spec.containers, spec['initContainers']] as (Container[] | undefined)[];
  for (const c of lists.flat()) {
    if (c === undefined || c.env?.some((e) => e.name === jobIndexEnv)) continue;
    c.env = [
      ...(c.env ?? []),
      {
        name: jobIndexEnv,
        valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${jobCompletionIndexAnnotation}']` } },
      },
    ];
  }
}

/** The pod of `job` for `index` (undefined: NonIndexed). */
export function jobPod(job: Job, index: number | undefined): Pod {
  const template = structuredClone(job.spec.template ?? {});
  template.metadata ??= {};
  const finalizers = (template.metadata.finalizers ??= []);
  if (!finalizers.includes(jobTrackingFinalizer)) finalizers.push(jobTrackingFinalizer);
  if (index !== undefined) {
    addIndexEnv(template);
    template.metadata.annotations = {
      ...template.metadata.annotations,
      [jobCompletionIndexAnnotation]: `${index}`,
    };
    // PodIndexLabel (beta since 1.28).
    template.metadata.labels = { ...template.metadata.labels, [jobCompletionIndexAnnotation]: `${index}` };
    template.spec = { ...template.spec, hostname: `${job.metadata.name ?? ''}-${index}` };
  }
  const pod = podFromTemplate(template, job, newControllerRef(job, jobKind));
  if (index !== undefined) pod.metadata.generateName = generateNameWithIndex(job.metadata.name ?? '', index);
  return pod;
}

/** CreatePodsWithGenerateName, with upstream's SuccessfulCreate / FailedCreate events. */
export async function createJobPod(s: JobState, job: Job, index: number | undefined): Promise<void> {
  const namespace = job.metadata.namespace ?? '';
  const ref = referenceTo(job, jobKind);
  try {
    const created = await s.podClient.create(jobPod(job, index), { namespace });
    s.recorder.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
  } catch (e: unknown) {
    if (!isNamespaceTerminating(e)) {
      s.recorder.event(ref, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
    }
    throw e;
  }
}

/** removeTrackingFinalizerPatch, guarded by the pod's UID. */
export async function removeTrackingFinalizer(s: JobState, pod: Pod): Promise<void> {
  if (!hasTrackingFinalizer(pod)) return;
  try {
    await s.podClient.patch(
      pod.metadata.name ?? '',
      { metadata: { uid: pod.metadata.uid, '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } },
      { type: 'strategic', namespace: pod.metadata.namespace },
    );
  } catch (e: unknown) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * deleteJobPods: drop the finalizer, then delete; returns how many were deleted (a pod already
 * gone counts). Expectations for the deletions are set here.
 */
export async function deleteJobPods(
  s: JobState,
  job: Job,
  key: string,
  pods: readonly Pod[],
): Promise<{ deleted: number; error?: unknown }> {
  if (pods.length === 0) return { deleted: 0 };
  s.expectations.expectDeletionsOf(key, pods.map(objectKey));
  let deleted = 0;
  const results = await Promise.allSettled(
    pods.map(async (pod) => {
      try {
        await removeTrackingFinalizer(s, pod);
        await s.podControl.deletePod(job.metadata.namespace ?? '', pod.metadata.name ?? '', job, jobKind);
        deleted++;
      } catch (e: unknown) {
        // This delete will never be observed.
        s.expectations.podDeletionObserved(key, objectKey(pod));
        if (!isNotFound(e)) throw e;
        deleted++;
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  return failed === undefined ? { deleted } : { deleted, error: failed.reason };
}
