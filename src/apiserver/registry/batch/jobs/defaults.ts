import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { defaultPodTemplate, ensure } from '../../apps/workload.ts';
import {
  controllerUidLabel,
  type JobSpec,
  jobNameLabel,
  legacyControllerUidLabel,
  legacyJobNameLabel,
} from './spec.ts';

/** batch/v1 SetDefaults_Job, with the pod template's defaults. */
export function defaults(obj: KubeObject): void {
  const s = ensure<JobSpec>(obj, 'spec');
  if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex !== undefined ? 2 ** 31 - 1 : 6;
  // A Job without labels gets its pods' labels.
  const templateLabels = s.template?.metadata?.labels;
  if (templateLabels !== undefined && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    obj.metadata.labels = { ...templateLabels };
  }
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  for (const rule of s.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  s.podReplacementPolicy ??= isRecord(s.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  s.manualSelector ??= false;
  s.template ??= {};
  defaultPodTemplate(s.template);
}

/**
 * generateSelector (strategy.go): labels on the pod template and a selector on them that name this
 * Job alone; labels the user set already are kept, and validation rejects a mismatch.
 */
export function generateSelector(obj: KubeObject): void {
  const s = ensure<JobSpec>(obj, 'spec');
  s.template ??= {};
  s.template.metadata ??= {};
  const labels = (s.template.metadata.labels ??= {});
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const key of [legacyJobNameLabel, jobNameLabel]) labels[key] ??= name;
  for (const key of [legacyControllerUidLabel, controllerUidLabel]) labels[key] ??= uid;
  if (s.selector === undefined || s.selector === null) s.selector = {};
  const matchLabels = (s.selector.matchLabels ??= {});
  matchLabels[controllerUidLabel] ??= uid;
}
