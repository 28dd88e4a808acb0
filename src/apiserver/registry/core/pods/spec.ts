// ValidatePodSpec and ValidatePodCreate, after pkg/apis/core/validation v1.32, with the feature
// gates at their v1.32 defaults. Pod templates (Deployments, Jobs, PodTemplates...) share
// validatePodSpec; `resourceIsPod` marks the checks that differ for a real Pod.
import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { validateLabels } from '../../../../api/validation.ts';
import { validateIP } from '../shared.ts';
import {
  type PodContext,
  resourceRequirements,
  validateContainers,
  validateEphemeralContainers,
  validateInitContainers,
} from './containers.ts';
import { validateAffinity, validateTolerations, validateTopologySpread } from './scheduling.ts';
import { podSecurityContext, validateOS } from './security.ts';
import {
  dnsLabel,
  dnsSubdomain,
  duplicateNames,
  inclusiveRange,
  isSet,
  maxInt32,
  num,
  type Obj,
  qualifiedName,
  rec,
  recs,
  str,
  stringMap,
  strings,
} from './util.ts';
import { validateVolumes } from './volumes.ts';

export interface PodSpecOptions {
  /** The spec is a Pod's, not a template's (PodValidationOptions.ResourceIsPod). */
  readonly resourceIsPod: boolean;
  /** The pod's name, for generic ephemeral volumes' claim names; empty for templates. */
  readonly podName?: string;
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

function policy(value: unknown, valid: readonly string[], path: string): FieldError[] {
  const v = str(value);
  if (v === '') return [required(path, '')];
  return valid.includes(v) ? [] : [notSupported(path, v, valid)];
}

/** validatePodDNSConfig. */
function dnsConfig(spec: Obj, path: string): FieldError[] {
  const config = spec['dnsConfig'];
  if (str(spec['dnsPolicy']) === 'None') {
    if (!isSet(config)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (strings(rec(config)['nameservers']).length === 0)
      return [
        required(
          fieldPath(path, 'nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
  }
  if (!isSet(config)) return [];
  const c = rec(config);
  const errors: FieldError[] = [];
  const nameservers = strings(c['nameservers']);
  if (nameservers.length > 3)
    errors.push(
      invalid(fieldPath(path, 'nameservers'), nameservers, 'must not have more than 3 nameservers'),
    );
  nameservers.forEach((ns, i) => errors.push(...validateIP(fieldPath(path, 'nameservers', i), ns)));
  const searches = strings(c['searches']);
  if (searches.length > 32)
    errors.push(invalid(fieldPath(path, 'searches'), searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048)
    errors.push(
      invalid(
        fieldPath(path, 'searches'),
        searches,
        'must not have more than 2048 characters (including spaces) in the search list',
      ),
    );
  searches.forEach((s, i) =>
    errors.push(...dnsSubdomain(s.endsWith('.') ? s.slice(0, -1) : s, fieldPath(path, 'searches', i))),
  );
  recs(c['options']).forEach((o, i) => {
    if (str(o['name']) === '') errors.push(required(fieldPath(path, 'options', i), 'must not be empty'));
  });
  return errors;
}

/** validatePodHostNetworkDeps: with hostNetwork, host ports equal container ports. */
function hostNetworkPorts(spec: Obj, path: string, resourceIsPod: boolean): FieldError[] {
  if (spec['hostNetwork'] !== true) return [];
  const errors: FieldError[] = [];
  recs(spec['containers']).forEach((c, i) => {
    recs(c['ports']).forEach((port, j) => {
      const hp = num(port['hostPort']);
      const cp = num(port['containerPort']);
      if ((resourceIsPod || hp !== 0) && hp !== cp)
        errors.push(
          invalid(
            fieldPath(path, 'containers', i, 'ports', j, 'hostPort'),
            hp,
            'must match `containerPort` when `hostNetwork` is true',
          ),
        );
    });
  });
  return errors;
}

function namedField(spec: Obj, key: string, path: string, check: typeof dnsLabel): FieldError[] {
  const v = str(spec[key]);
  return v === '' ? [] : check(v, fieldPath(path, key));
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: Obj, path: string, opts: PodSpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (!isSet(spec['terminationGracePeriodSeconds']))
    errors.push(required(fieldPath(path, 'terminationGracePeriodSeconds'), ''));
  const [volumes, volumeErrors] = validateVolumes(
    spec['volumes'],
    fieldPath(path, 'volumes'),
    opts.podName ?? '',
  );
  errors.push(...volumeErrors);
  const ctx: PodContext = {
    volumes,
    gracePeriod: isSet(spec['terminationGracePeriodSeconds'])
      ? num(spec['terminationGracePeriodSeconds'])
      : undefined,
    hostUsers: rec(spec['securityContext'])['hostUsers'] !== false,
  };
  errors.push(...validateContainers(spec['containers'], ctx, fieldPath(path, 'containers')));
  errors.push(
    ...validateInitContainers(
      spec['initContainers'],
      spec['containers'],
      ctx,
      fieldPath(path, 'initContainers'),
    ),
  );
  errors.push(...validateEphemeralContainers(spec, ctx, fieldPath(path, 'ephemeralContainers')));
  errors.push(...hostNetworkPorts(spec, path, opts.resourceIsPod));
  errors.push(...policy(spec['restartPolicy'], restartPolicies, fieldPath(path, 'restartPolicy')));
  errors.push(...policy(spec['dnsPolicy'], dnsPolicies, fieldPath(path, 'dnsPolicy')));
  errors.push(...validateLabels(stringMap(spec['nodeSelector']), fieldPath(path, 'nodeSelector')));
  errors.push(...podSecurityContext(spec, fieldPath(path, 'securityContext')));
  recs(spec['imagePullSecrets']).forEach((s, i) => {
    if (Object.keys(s).some((k) => k !== 'name'))
      errors.push(invalid(fieldPath(path, 'imagePullSecrets', i), s, 'only name may be set'));
  });
  errors.push(...validateAffinity(spec['affinity'], fieldPath(path, 'affinity')));
  errors.push(...dnsConfig(spec, fieldPath(path, 'dnsConfig')));
  recs(spec['readinessGates']).forEach((g, i) =>
    errors.push(
      ...qualifiedName(str(g['conditionType']), fieldPath(path, 'readinessGates', i, 'conditionType')),
    ),
  );
  const gates = recs(spec['schedulingGates']).map((g) => str(g['name']));
  gates.forEach((g, i) => errors.push(...qualifiedName(g, fieldPath(path, 'schedulingGates', i))));
  errors.push(...duplicateNames(gates, (i) => fieldPath(path, 'schedulingGates', i)));
  errors.push(
    ...validateTopologySpread(
      spec['topologySpreadConstraints'],
      fieldPath(path, 'topologySpreadConstraints'),
    ),
  );
  errors.push(...namedField(spec, 'serviceAccountName', path, dnsSubdomain));
  errors.push(...namedField(spec, 'nodeName', path, dnsSubdomain));
  if (isSet(spec['activeDeadlineSeconds'])) {
    const v = num(spec['activeDeadlineSeconds']);
    if (v < 1 || v > maxInt32)
      errors.push(invalid(fieldPath(path, 'activeDeadlineSeconds'), v, inclusiveRange(1, maxInt32)));
  }
  errors.push(...namedField(spec, 'hostname', path, dnsLabel));
  errors.push(...namedField(spec, 'subdomain', path, dnsLabel));
  errors.push(...validateTolerations(spec['tolerations'], fieldPath(path, 'tolerations')));
  recs(spec['hostAliases']).forEach((a, i) => {
    errors.push(...validateIP(fieldPath(path, 'hostAliases', i, 'ip'), str(a['ip'])));
    strings(a['hostnames']).forEach((h, j) =>
      errors.push(...dnsSubdomain(h, fieldPath(path, 'hostAliases', i, 'hostnames', j))),
    );
  });
  errors.push(...namedField(spec, 'priorityClassName', path, dnsSubdomain));
  if (isSet(spec['runtimeClassName']))
    errors.push(...dnsSubdomain(str(spec['runtimeClassName']), fieldPath(path, 'runtimeClassName')));
  if (isSet(spec['preemptionPolicy']))
    errors.push(
      ...policy(
        spec['preemptionPolicy'],
        ['PreemptLowerPriority', 'Never'],
        fieldPath(path, 'preemptionPolicy'),
      ),
    );
  if (isSet(spec['overhead']))
    errors.push(...resourceRequirements({ limits: spec['overhead'] }, fieldPath(path, 'overhead')));
  errors.push(...validateOS(spec, path));
  return errors;
}

/** The pod-only container check (validateContainersOnlyForPod). */
function imageWhitespace(spec: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['containers', 'initContainers'])
    recs(spec[key]).forEach((c, i) => {
      const image = str(c['image']);
      if (image.trim() !== image)
        errors.push(
          invalid(fieldPath(path, key, i, 'image'), image, 'must not have leading or trailing whitespace'),
        );
    });
  return errors;
}

/** validatePodMetadataAndSpec's spec part: what a Pod's create and update both check. */
export function validatePodMetadataAndSpec(pod: KubeObject): FieldError[] {
  const spec = rec(pod['spec']);
  return [
    ...validatePodSpec(spec, 'spec', { resourceIsPod: true, podName: pod.metadata.name ?? '' }),
    ...imageWhitespace(spec, 'spec'),
  ];
}

/** ValidatePodCreate (metadata is the generic handler's). */
export function validatePodCreate(pod: KubeObject): FieldError[] {
  const spec = rec(pod['spec']);
  const errors = validatePodMetadataAndSpec(pod);
  if (recs(spec['ephemeralContainers']).length > 0)
    errors.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec['nodeName']) !== '' && recs(spec['schedulingGates']).length > 0)
    errors.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errors;
}
