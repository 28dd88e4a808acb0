import { type FieldError, invalid, notSupported, required, tooLong } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../../api/validation.ts';
import {
  asSelector,
  immutable,
  int,
  nonNegative,
  validateLabelSelector,
  validatePodTemplate,
} from '../../apps/workload.ts';
import {
  controllerUidLabel,
  type JobSpec,
  jobNameLabel,
  legacyControllerUidLabel,
  legacyJobNameLabel,
  spec,
  status,
} from './spec.ts';

const maxParallelismForIndexedJob = 100_000;
const maxFailedIndexesForIndexedJob = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;

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
export function validateJob(obj: KubeObject, requirePrefixedLabels: boolean): FieldError[] {
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
export function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
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
