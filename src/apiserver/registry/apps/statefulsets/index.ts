import { type FieldError, forbidden, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  validateAnnotations,
  validateLabels,
} from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  asSelector,
  collisionCountDecremented,
  containerCells,
  containersColumnDescription,
  defaultPodTemplate,
  ensure,
  hasNoRequirements,
  imagesColumnDescription,
  int,
  intOrPercentValue,
  jsonEqual,
  nonNegative,
  nonNegatives,
  notMoreThan100Percent,
  type PodTemplateSpec,
  rec,
  restartAlwaysOnly,
  templateMatches,
  validateLabelSelector,
  validatePositiveIntOrPercent,
} from '../workload.ts';

interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
  volumeClaimTemplates?: Record<string, unknown>[];
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: {
    type?: string;
    rollingUpdate?: { partition?: number; maxUnavailable?: number | string } | null;
  };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  ordinals?: { start?: number };
}

const spec = (obj: KubeObject): StatefulSetSpec => rec(obj['spec']) as StatefulSetSpec;
const status = (obj: KubeObject): Record<string, unknown> => rec(obj['status']);

/** apps/v1 SetDefaults_StatefulSet, with the pod template's and the claim templates' defaults. */
function defaults(obj: KubeObject): void {
  const s = ensure<StatefulSetSpec>(obj, 'spec');
  s.podManagementPolicy ||= 'OrderedReady';
  s.updateStrategy ??= {};
  if (!s.updateStrategy.type) {
    s.updateStrategy.type = 'RollingUpdate';
    s.updateStrategy.rollingUpdate ??= {};
  }
  const ru = s.updateStrategy.rollingUpdate;
  if (s.updateStrategy.type === 'RollingUpdate' && isRecord(ru)) ru.partition ??= 0;
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  s.replicas ??= 1;
  s.revisionHistoryLimit ??= 10;
  s.template ??= {};
  defaultPodTemplate(s.template);
  // The claim templates are PersistentVolumeClaims: SetDefaults_PersistentVolumeClaim(Spec), and the
  // type meta and null creationTimestamp they serialize with.
  for (const pvc of s.volumeClaimTemplates ?? []) {
    if (!isRecord(pvc)) continue;
    pvc['apiVersion'] ??= 'v1';
    pvc['kind'] ??= 'PersistentVolumeClaim';
    const meta = ensure(pvc, 'metadata');
    if (meta['creationTimestamp'] === undefined) meta['creationTimestamp'] = null;
    ensure(pvc, 'spec')['volumeMode'] ??= 'Filesystem';
    const st = ensure(pvc, 'status');
    st['phase'] ||= 'Pending';
  }
}

function validateUpdateStrategy(s: StatefulSetSpec): FieldError[] {
  const strategy = s.updateStrategy ?? {};
  const ru = strategy.rollingUpdate;
  switch (strategy.type ?? '') {
    case '':
      return [required('spec.updateStrategy', '')];
    case 'OnDelete':
      return ru === undefined || ru === null
        ? []
        : [
            invalid(
              'spec.updateStrategy.rollingUpdate',
              ru,
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ];
    case 'RollingUpdate': {
      if (ru === undefined || ru === null) return [];
      // validateRollingUpdateStatefulSet.
      const p = 'spec.updateStrategy.rollingUpdate';
      const errors = nonNegative(ru.partition, `${p}.partition`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errors.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
        if (intOrPercentValue(ru.maxUnavailable) === 0)
          errors.push(invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'cannot be 0'));
        errors.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      }
      return errors;
    }
    default:
      return [invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/** ValidateStatefulSetSpec. */
function validateSpec(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  const policy = s.podManagementPolicy ?? '';
  if (policy === '') errors.push(required('spec.podManagementPolicy', ''));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel')
    errors.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  errors.push(...validateUpdateStrategy(s));
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (isRecord(retention)) {
    for (const f of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[f] ?? '';
      if (v !== 'Retain' && v !== 'Delete')
        errors.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, ['Retain', 'Delete']));
    }
  }
  errors.push(...nonNegative(s.replicas, 'spec.replicas'));
  errors.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (isRecord(s.ordinals)) errors.push(...nonNegative(s.ordinals.start, 'spec.ordinals.start'));
  if (s.selector === undefined || s.selector === null) {
    errors.push(required('spec.selector', ''));
  } else {
    errors.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (hasNoRequirements(s.selector))
      errors.push(invalid('spec.selector', s.selector, 'empty selector is invalid for statefulset'));
  }
  const template = s.template ?? {};
  const selector = asSelector(s.selector);
  if (selector === undefined) {
    errors.push(invalid('spec.selector', s.selector, ''));
  } else {
    // ValidatePodTemplateSpecForStatefulSet: upstream checks only the template's metadata here.
    errors.push(...templateMatches(selector, template, 'spec.template'));
    errors.push(...validateLabels(template.metadata?.labels, 'spec.template.labels'));
    errors.push(...validateAnnotations(template.metadata?.annotations, 'spec.template.annotations'));
  }
  errors.push(...restartAlwaysOnly(template, 'spec.template', 'StatefulSet'));
  return errors;
}

/** ValidateStatefulSetName is NameIsDNSLabel; the generic metadata check has done the subdomain part. */
function validateName(obj: KubeObject): FieldError[] {
  const name = obj.metadata.name ?? '';
  if (name === '' || isDNS1123Subdomain(name).length > 0) return [];
  return isDNS1123Label(name).map((msg) => invalid('metadata.name', name, msg));
}

/** The spec fields ValidateStatefulSetUpdate lets change. */
const mutable = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateSpec(obj);
  const next = { ...spec(obj) } as Record<string, unknown>;
  const prev = { ...spec(old) } as Record<string, unknown>;
  for (const f of mutable) {
    delete next[f];
    delete prev[f];
  }
  if (!jsonEqual(next, prev)) {
    errors.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errors;
}

/** ValidateStatefulSetStatusUpdate. */
function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const st = status(obj);
  const errors = nonNegatives(st, 'status', [
    'replicas',
    'readyReplicas',
    'currentReplicas',
    'updatedReplicas',
    'availableReplicas',
    'observedGeneration',
    'collisionCount',
  ]);
  const replicas = int(st['replicas']);
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (int(st[f]) > replicas)
      errors.push(invalid(`status.${f}`, int(st[f]), 'cannot be greater than status.replicas'));
  }
  if (int(st['availableReplicas']) > int(st['readyReplicas'])) {
    errors.push(
      invalid(
        'status.availableReplicas',
        int(st['availableReplicas']),
        'cannot be greater than status.readyReplicas',
      ),
    );
  }
  errors.push(...collisionCountDecremented(st, status(old)));
  return errors;
}

/** apps/v1 StatefulSet (upstream pkg/registry/apps/statefulset and printStatefulSet). */
export const statefulsets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  status: { validateUpdate: validateStatus },
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  strategy: {
    prepareForCreate(obj) {
      // replicas and availableReplicas have no omitempty.
      obj['status'] = { replicas: 0, availableReplicas: 0 };
    },
    defaults,
    validate: (obj) => [...validateName(obj), ...validateSpec(obj)],
    validateUpdate,
  },
  table: {
    columns: [
      nameColumn('statefulset'),
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0 },
      ageColumn('statefulset'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const [names, images] = containerCells(s.template);
      return [
        obj.metadata.name ?? '',
        `${int(status(obj)['readyReplicas'])}/${int(s.replicas)}`,
        age(obj, now),
        names,
        images,
      ];
    },
  },
};
