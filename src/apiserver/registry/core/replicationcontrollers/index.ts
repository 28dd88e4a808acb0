import { type FieldError, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  defaultPodTemplateSpec,
  ensure,
  formatLabels,
  layoutContainerCells,
  num,
  rec,
  stringMap,
  validateNonnegative,
  validatePodTemplateSpec,
} from '../shared.ts';

interface ReplicationControllerSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: Record<string, string>;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } | null;
}

interface ReplicationControllerStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
}

const spec = (obj: KubeObject): ReplicationControllerSpec => rec(obj['spec']) as ReplicationControllerSpec;
const status = (obj: KubeObject): ReplicationControllerStatus =>
  rec(obj['status']) as ReplicationControllerStatus;

/** SetDefaults_ReplicationController: selector and labels from the template's labels, one replica. */
function setDefaults(obj: KubeObject): void {
  const s = ensure(obj, 'spec');
  const template = s['template'];
  if (isRecord(template)) {
    const labels = rec(template['metadata'])['labels'];
    // Only a template that has labels at all (a non-nil map upstream) lends them.
    if (isRecord(labels)) {
      if (Object.keys(rec(s['selector'])).length === 0) s['selector'] = { ...stringMap(labels) };
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...stringMap(labels) };
    }
    defaultPodTemplateSpec(template);
  }
  if (s['replicas'] === undefined || s['replicas'] === null) s['replicas'] = 1;
}

/** ValidateReplicationControllerSpec and ValidatePodTemplateSpecForRC. */
function validateController(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  errors.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const selector = stringMap(s.selector);
  const hasSelector = Object.keys(selector).length > 0;
  if (!hasSelector) errors.push(required('spec.selector', ''));
  errors.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  const template = s.template;
  if (!isRecord(template)) {
    errors.push(required('spec.template', ''));
    return errors;
  }
  const labels = stringMap(rec(template['metadata'])['labels']);
  if (hasSelector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errors.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
  errors.push(...validatePodTemplateSpec(template, 'spec.template'));
  const podSpec = rec(template['spec']);
  const restartPolicy = podSpec['restartPolicy'];
  if (restartPolicy !== 'Always') {
    errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['Always']));
  }
  if (podSpec['activeDeadlineSeconds'] !== undefined && podSpec['activeDeadlineSeconds'] !== null) {
    errors.push(
      invalid(
        'spec.template.spec.activeDeadlineSeconds',
        podSpec['activeDeadlineSeconds'],
        'activeDeadlineSeconds in ReplicationController is not Supported',
      ),
    );
  }
  return errors;
}

/** ValidateReplicationControllerStatus: counts are non-negative and nest inside each other. */
function validateControllerStatus(obj: KubeObject): FieldError[] {
  const st = status(obj);
  const errors: FieldError[] = [];
  for (const field of [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
  ] as const) {
    errors.push(...validateNonnegative(st[field], `status.${field}`));
  }
  const msg = 'cannot be greater than status.replicas';
  const replicas = num(st.replicas);
  if (num(st.fullyLabeledReplicas) > replicas)
    errors.push(invalid('status.fullyLabeledReplicas', num(st.fullyLabeledReplicas), msg));
  if (num(st.readyReplicas) > replicas)
    errors.push(invalid('status.readyReplicas', num(st.readyReplicas), msg));
  if (num(st.availableReplicas) > replicas)
    errors.push(invalid('status.availableReplicas', num(st.availableReplicas), msg));
  if (num(st.availableReplicas) > num(st.readyReplicas)) {
    errors.push(
      invalid('status.availableReplicas', num(st.availableReplicas), 'cannot be greater than readyReplicas'),
    );
  }
  return errors;
}

/** core/v1 ReplicationController (upstream pkg/registry/core/replicationcontroller). */
export const replicationcontrollers: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  status: { validateUpdate: (obj) => validateControllerStatus(obj) },
  // An RC's selector is a label map at .spec.selector; the Scale's status.selector is its
  // string form (upstream's ScaleREST uses labels.SelectorFromSet).
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
      obj.metadata.generation = 1;
    },
    defaults: setDefaults,
    validate: validateController,
  },
  table: {
    columns: [
      nameColumn('replication controller'),
      {
        name: 'Desired',
        type: 'integer',
        description: 'Replicas is the number of desired replicas.',
        priority: 0,
      },
      {
        name: 'Current',
        type: 'integer',
        description: 'Replicas is the most recently observed number of replicas.',
        priority: 0,
      },
      {
        name: 'Ready',
        type: 'integer',
        description: 'The number of ready replicas for this replication controller.',
        priority: 0,
      },
      ageColumn('replication controller'),
      {
        name: 'Containers',
        type: 'string',
        description: 'Names of each container in the template.',
        priority: 1,
      },
      {
        name: 'Images',
        type: 'string',
        description: 'Images referenced by each container in the template.',
        priority: 1,
      },
      {
        name: 'Selector',
        type: 'string',
        description: 'Selector is a label query over pods that should match the Replicas count.',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const [names, images] = layoutContainerCells(rec(rec(s.template)['spec'])['containers']);
      return [
        obj.metadata.name ?? '',
        num(s.replicas),
        num(status(obj).replicas),
        num(status(obj).readyReplicas),
        age(obj, now),
        names,
        images,
        formatLabels(s.selector),
      ];
    },
  },
  fields: (obj) => ({ 'status.replicas': String(num(status(obj).replicas)) }),
};
