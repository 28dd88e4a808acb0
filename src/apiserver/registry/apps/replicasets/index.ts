import { type FieldError, invalid } from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  keepSpecAndLabels,
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
  validateSelectorAndTemplate,
} from '../workload.ts';

interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
}

const spec = (obj: KubeObject): ReplicaSetSpec => rec(obj['spec']) as ReplicaSetSpec;
const status = (obj: KubeObject): Record<string, unknown> => rec(obj['status']);

/** ValidateReplicaSetSpec. */
function validate(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  return [
    ...nonNegative(s.replicas, 'spec.replicas'),
    ...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(s),
  ];
}

/** ValidateReplicaSetStatusUpdate. */
function validateStatus(obj: KubeObject): FieldError[] {
  const st = status(obj);
  const errors = nonNegatives(st, 'status', [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
  ]);
  const replicas = int(st['replicas']);
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (int(st[f]) > replicas)
      errors.push(invalid(`status.${f}`, int(st[f]), 'cannot be greater than status.replicas'));
  }
  if (int(st['availableReplicas']) > int(st['readyReplicas'])) {
    errors.push(
      invalid(
        'status.availableReplicas',
        int(st['availableReplicas']),
        'cannot be greater than readyReplicas',
      ),
    );
  }
  return errors;
}

/** apps/v1 ReplicaSet (upstream pkg/registry/apps/replicaset and printReplicaSet). */
export const replicasets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  status: {
    prepareForUpdate: keepSpecAndLabels,
    validateUpdate: validateStatus,
  },
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  strategy: {
    prepareForCreate(obj) {
      // ReplicaSetStatus.replicas has no omitempty: a new object shows `replicas: 0`.
      obj['status'] = { replicas: 0 };
    },
    defaults(obj) {
      // apps/v1 SetDefaults_ReplicaSet.
      const s = ensure<ReplicaSetSpec>(obj, 'spec');
      s.replicas ??= 1;
      s.template ??= {};
      defaultPodTemplate(s.template);
    },
    validate,
    validateUpdate(obj, old) {
      return [...validate(obj), ...immutable(spec(obj).selector, spec(old).selector, 'spec.selector')];
    },
  },
  table: {
    columns: [
      nameColumn('replicaset'),
      {
        name: 'Desired',
        type: 'integer',
        description:
          'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
        priority: 0,
      },
      {
        name: 'Current',
        type: 'integer',
        description:
          'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
        priority: 0,
      },
      {
        name: 'Ready',
        type: 'integer',
        description: 'The number of ready replicas for this replica set.',
        priority: 0,
      },
      ageColumn('replicaset'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
      {
        name: 'Selector',
        type: 'string',
        description:
          'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const st = status(obj);
      const [names, images] = containerCells(s.template);
      return [
        obj.metadata.name ?? '',
        int(s.replicas),
        int(st['replicas']),
        int(st['readyReplicas']),
        age(obj, now),
        names,
        images,
        formatLabelSelector(s.selector),
      ];
    },
  },
  // ReplicaSetToSelectableFields.
  fields: (obj) => ({ 'status.replicas': String(int(status(obj)['replicas'])) }),
};
