import {
  duplicate,
  type FieldError,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../../api/validation.ts';
import { age, ageColumn, humanDuration, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  asSelector,
  containerCells,
  containersColumnDescription,
  defaultPodTemplate,
  ensure,
  formatLabelSelector,
  imagesColumnDescription,
  immutable,
  int,
  nonNegative,
  nonNegatives,
  type PodTemplateSpec,
  rec,
  validateLabelSelector,
  validatePodTemplate,
} from '../../apps/workload.ts';

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

interface JobStatus {
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
const legacyJobNameLabel = 'job-name';
const legacyControllerUidLabel = 'controller-uid';

const maxParallelismForIndexedJob = 100_000;
const maxFailedIndexesForIndexedJob = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;

const spec = (obj: KubeObject): JobSpec => rec(obj['spec']) as JobSpec;
const status = (obj: KubeObject): JobStatus => rec(obj['status']) as JobStatus;

/** batch/v1 SetDefaults_Job, with the pod template's defaults. */
function defaults(obj: KubeObject): void {
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
function generateSelector(obj: KubeObject): void {
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

/** ValidateHasLabel. */
function hasLabel(labels: Record<string, string>, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!Object.hasOwn(labels, key)) return [required(path, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(path, labels, `must be '${expected}'`)];
}

/** validateGeneratedSelector: a generated selector and its labels must name this Job. */
function validateGeneratedSelector(obj: KubeObject, requirePrefixedLabels: boolean): FieldError[] {
  const s = spec(obj);
  if (s.manualSelector === true || s.selector === undefined || s.selector === null) return [];
  const errors: FieldError[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (uid === '') errors.push(required('metadata.uid', ''));
  const labels = s.template?.metadata?.labels ?? {};
  errors.push(
    ...hasLabel(labels, legacyControllerUidLabel, uid),
    ...hasLabel(labels, legacyJobNameLabel, name),
  );
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errors.push(...hasLabel(labels, controllerUidLabel, uid), ...hasLabel(labels, jobNameLabel, name));
    expected[controllerUidLabel] = uid;
    expected[jobNameLabel] = name;
  }
  expected[legacyControllerUidLabel] = uid;
  expected[legacyJobNameLabel] = name;
  const selector = asSelector(s.selector);
  if (selector !== undefined && !selector.matches(expected)) {
    errors.push(invalid('spec.selector', s.selector, '`selector` not auto-generated'));
  }
  return errors;
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** IsDomainPrefixedPath, for spec.managedBy. */
function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (value === '') return [required(path, '')];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errors = isDNS1123Subdomain(host).map((msg) => invalid(path, host, msg));
  if (!new RegExp(`^(?:${httpPathFmt})$`).test(rest)) {
    errors.push(invalid(path, rest, `Invalid path (regex used for validation is '${httpPathFmt}')`));
  }
  return errors;
}

/**
 * validateJobSpec: what a Job's and a CronJob's job template share, under `path` (`spec`, or
 * `spec.jobTemplate.spec`). The pod failure and success policies' rules are not checked in depth.
 */
export function validateJobSpec(s: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ] as const) {
    errors.push(...nonNegative(s[f], `${path}.${f}`));
  }
  if (s.maxFailedIndexes !== undefined && s.backoffLimitPerIndex === undefined) {
    errors.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (s.managedBy !== undefined && s.managedBy !== null) {
    errors.push(...validateDomainPrefixedPath(s.managedBy, `${path}.managedBy`));
    if (Buffer.byteLength(s.managedBy) > 63) errors.push(tooLong(`${path}.managedBy`, s.managedBy, 63));
  }
  const mode = s.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    errors.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  }
  if (mode === 'Indexed') {
    if (s.completions === undefined)
      errors.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    if (int(s.parallelism) > maxParallelismForIndexedJob) {
      errors.push(
        invalid(
          `${path}.parallelism`,
          s.parallelism,
          `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`,
        ),
      );
    }
    if (
      s.completions !== undefined &&
      s.maxFailedIndexes !== undefined &&
      s.maxFailedIndexes > s.completions
    ) {
      errors.push(
        invalid(`${path}.maxFailedIndexes`, s.maxFailedIndexes, 'must be less than or equal to completions'),
      );
    }
    if (int(s.maxFailedIndexes) > maxFailedIndexesForIndexedJob) {
      errors.push(
        invalid(
          `${path}.maxFailedIndexes`,
          s.maxFailedIndexes,
          `must be less than or equal to ${maxFailedIndexesForIndexedJob}`,
        ),
      );
    }
    if (int(s.completions) > completionsSoftLimit && s.backoffLimitPerIndex !== undefined) {
      const high = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
      if (s.maxFailedIndexes === undefined) {
        errors.push(
          required(
            `${path}.maxFailedIndexes`,
            `must be specified when completions is above ${completionsSoftLimit}`,
          ),
        );
      }
      if (int(s.parallelism) > parallelismLimitForHighCompletions) {
        errors.push(
          invalid(
            `${path}.parallelism`,
            s.parallelism,
            `must be less than or equal to ${parallelismLimitForHighCompletions} ${high}`,
          ),
        );
      }
      if (int(s.maxFailedIndexes) > maxFailedIndexesLimitForHighCompletions) {
        errors.push(
          invalid(
            `${path}.maxFailedIndexes`,
            s.maxFailedIndexes,
            `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${high}`,
          ),
        );
      }
    }
  } else {
    if (s.backoffLimitPerIndex !== undefined) {
      errors.push(
        invalid(`${path}.backoffLimitPerIndex`, s.backoffLimitPerIndex, 'requires indexed completion mode'),
      );
    }
    if (s.maxFailedIndexes !== undefined) {
      errors.push(
        invalid(`${path}.maxFailedIndexes`, s.maxFailedIndexes, 'requires indexed completion mode'),
      );
    }
  }
  const hasFailurePolicy = isRecord(s.podFailurePolicy);
  if (s.successPolicy !== undefined && s.successPolicy !== null && mode !== 'Indexed') {
    errors.push(invalid(`${path}.successPolicy`, s.successPolicy, 'requires indexed completion mode'));
  }
  // validatePodReplacementPolicy.
  const replacement = s.podReplacementPolicy;
  if (replacement !== undefined) {
    if (hasFailurePolicy && replacement !== 'Failed') {
      errors.push(notSupported(`${path}.podReplacementPolicy`, replacement, ['Failed']));
    } else if (!hasFailurePolicy && replacement !== 'Failed' && replacement !== 'TerminatingOrFailed') {
      errors.push(
        notSupported(`${path}.podReplacementPolicy`, replacement, ['Failed', 'TerminatingOrFailed']),
      );
    }
  }
  errors.push(...validatePodTemplate(s.template, `${path}.template`));
  // Defaulting turns an unset restartPolicy into Always, so both mean "not chosen".
  const policy = s.template?.spec?.restartPolicy ?? '';
  const policyPath = `${path}.template.spec.restartPolicy`;
  if (policy === 'Always' || policy === '') {
    errors.push(required(policyPath, 'valid values: "OnFailure", "Never"'));
  } else if (policy !== 'OnFailure' && policy !== 'Never') {
    errors.push(notSupported(policyPath, policy, ['OnFailure', 'Never']));
  } else if (hasFailurePolicy && policy !== 'Never') {
    errors.push(invalid(policyPath, policy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errors;
}

/** ValidateJob: the generated selector, the spec, the selector against the template. */
function validateJob(obj: KubeObject, requirePrefixedLabels: boolean): FieldError[] {
  const s = spec(obj);
  const errors = [...validateGeneratedSelector(obj, requirePrefixedLabels), ...validateJobSpec(s, 'spec')];
  if (s.selector === undefined || s.selector === null) errors.push(required('spec.selector', ''));
  else errors.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const selector = asSelector(s.selector);
  const labels = s.template?.metadata?.labels ?? {};
  if (selector !== undefined && !selector.matches(labels)) {
    errors.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
  // The pods of an Indexed Job are named `<job>-<index>`, which must stay a DNS label.
  if (s.completionMode === 'Indexed' && int(s.completions) > 0) {
    const hostname = `${obj.metadata.name ?? ''}-${int(s.completions) - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errors.push(
        invalid(
          'metadata.name',
          obj.metadata.name ?? '',
          `will not able to create pod with invalid DNS label: ${hostname}`,
        ),
      );
    }
  }
  return errors;
}

/** validatePodTemplateUpdate: a suspended Job that never ran may change where its pods schedule. */
function templateUpdateErrors(obj: KubeObject, old: KubeObject): FieldError[] {
  const template = spec(obj).template ?? {};
  const oldTemplate = structuredClone(spec(old).template ?? {});
  if (spec(old).suspend === true && status(old).startTime === undefined) {
    const meta = (oldTemplate.metadata ??= {});
    meta.annotations = template.metadata?.annotations;
    meta.labels = template.metadata?.labels;
    const oldSpec = (oldTemplate.spec ??= {});
    const newSpec = template.spec ?? {};
    for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) oldSpec[f] = newSpec[f];
    const newAffinity = newSpec['affinity'];
    const oldAffinity = oldSpec['affinity'];
    if (isRecord(newAffinity) && isRecord(oldAffinity)) {
      oldAffinity['nodeAffinity'] = newAffinity['nodeAffinity'];
    } else if (isRecord(newAffinity)) {
      oldSpec['affinity'] = { nodeAffinity: newAffinity['nodeAffinity'] };
    } else if (isRecord(oldAffinity)) {
      delete oldAffinity['nodeAffinity'];
      if (Object.keys(oldAffinity).length === 0) delete oldSpec['affinity'];
    }
  }
  return immutable(template, oldTemplate, 'spec.template');
}

/** ValidateJobSpecUpdate's immutability rules (ElasticIndexedJob is on in v1.32). */
function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = spec(obj);
  const o = spec(old);
  const errors: FieldError[] = [];
  if (s.completionMode !== 'Indexed') {
    errors.push(...immutable(s.completions, o.completions, 'spec.completions'));
  } else if (
    s.completions !== o.completions &&
    s.completions !== undefined &&
    s.completions !== s.parallelism
  ) {
    errors.push(
      invalid('spec.completions', s.completions, 'can only be modified in tandem with spec.parallelism'),
    );
  }
  errors.push(...immutable(s.selector, o.selector, 'spec.selector'));
  errors.push(...templateUpdateErrors(obj, old));
  for (const f of [
    'completionMode',
    'podFailurePolicy',
    'backoffLimitPerIndex',
    'managedBy',
    'successPolicy',
  ] as const) {
    errors.push(...immutable(s[f], o[f], `spec.${f}`));
  }
  return errors;
}

function conditionTrue(st: JobStatus, type: string): boolean {
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
function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
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

/** The STATUS column of kubectl 1.32's printJob. */
function jobStatus(obj: KubeObject): string {
  const st = status(obj);
  if (conditionTrue(st, 'Complete')) return 'Complete';
  if (conditionTrue(st, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (conditionTrue(st, 'Suspended')) return 'Suspended';
  if (conditionTrue(st, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(obj: KubeObject): string {
  const s = spec(obj);
  const succeeded = int(status(obj).succeeded);
  if (s.completions !== undefined && s.completions !== null) return `${succeeded}/${s.completions}`;
  const parallelism = int(s.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(obj: KubeObject, now: Date): string {
  const st = status(obj);
  if (st.startTime === undefined) return '';
  const end = st.completionTime === undefined ? now.getTime() : Date.parse(st.completionTime);
  return humanDuration(end - Date.parse(st.startTime));
}

/** batch/v1 Job (upstream pkg/registry/batch/job and printJob). */
export const jobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  status: { validateUpdate: validateStatus },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
      // generateSelectorIfNeeded runs before the defaults here, so an unset manualSelector is false.
      if (spec(obj).manualSelector !== true) generateSelector(obj);
    },
    defaults,
    validate: (obj) => validateJob(obj, true),
    validateUpdate(obj, old) {
      // Jobs from before the prefixed labels existed are not asked for them.
      const oldLabels = spec(old).template?.metadata?.labels ?? {};
      const prefixed = Object.hasOwn(oldLabels, jobNameLabel) && Object.hasOwn(oldLabels, controllerUidLabel);
      return [...validateJob(obj, prefixed), ...validateJobUpdate(obj, old)];
    },
  },
  table: {
    columns: [
      nameColumn('job'),
      { name: 'Status', type: 'string', description: 'Status of the job.', priority: 0 },
      {
        name: 'Completions',
        type: 'string',
        description:
          'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
        priority: 0,
      },
      { name: 'Duration', type: 'string', description: 'Time required to complete the job.', priority: 0 },
      ageColumn('job'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
      {
        name: 'Selector',
        type: 'string',
        description:
          'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const [names, images] = containerCells(s.template);
      return [
        obj.metadata.name ?? '',
        jobStatus(obj),
        completionsCell(obj),
        durationCell(obj, now),
        age(obj, now),
        names,
        images,
        formatLabelSelector(s.selector),
      ];
    },
  },
  // JobToSelectableFields.
  fields: (obj) => ({ 'status.successful': String(int(status(obj).succeeded)) }),
};
