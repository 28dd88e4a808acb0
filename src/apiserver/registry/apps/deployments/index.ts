import { type FieldError, forbidden, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { selectorToString } from '../../../../api/labels.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  keepSpecAndLabels,
  asSelector,
  collisionCountDecremented,
  containerCells,
  containersColumnDescription,
  defaultPodTemplate,
  ensure,
  imagesColumnDescription,
  immutable,
  int,
  intOrPercentValue,
  jsonEqual,
  nonNegative,
  nonNegatives,
  notMoreThan100Percent,
  type PodTemplateSpec,
  rec,
  validatePositiveIntOrPercent,
  validateSelectorAndTemplate,
} from '../workload.ts';

interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
}

const spec = (obj: KubeObject): DeploymentSpec => rec(obj['spec']) as DeploymentSpec;
const status = (obj: KubeObject): Record<string, unknown> => rec(obj['status']);

/** apps/v1 SetDefaults_Deployment, with the pod template's defaults. */
function defaults(obj: KubeObject): void {
  const s = ensure<DeploymentSpec>(obj, 'spec');
  s.replicas ??= 1;
  s.strategy ??= {};
  s.strategy.type ||= 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
    s.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  s.revisionHistoryLimit ??= 10;
  s.progressDeadlineSeconds ??= 600;
  s.template ??= {};
  defaultPodTemplate(s.template);
}

/** ValidateDeploymentStrategy and ValidateRollingUpdateDeployment. */
function validateStrategy(strategy: DeploymentSpec['strategy']): FieldError[] {
  const path = 'spec.strategy';
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate === undefined || s.rollingUpdate === null
        ? []
        : [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (ru === undefined || ru === null)
        return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const p = `${path}.rollingUpdate`;
      const errors = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errors.push(
          invalid(`${p}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'),
        );
      }
      errors.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      return errors;
    }
    default:
      return [notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentSpec. */
function validate(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors = [...nonNegative(s.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(s)];
  errors.push(...validateStrategy(s.strategy));
  errors.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errors.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof s.progressDeadlineSeconds === 'number') {
    errors.push(...nonNegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (s.progressDeadlineSeconds <= int(s.minReadySeconds)) {
      errors.push(
        invalid(
          'spec.progressDeadlineSeconds',
          s.progressDeadlineSeconds,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return errors;
}

/** ValidateDeploymentStatusUpdate. */
function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const st = status(obj);
  const errors = nonNegatives(st, 'status', [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
    'collisionCount',
  ]);
  const replicas = int(st['replicas']);
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    if (int(st[f]) > replicas) errors.push(invalid(`status.${f}`, int(st[f]), msg));
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
  errors.push(...collisionCountDecremented(st, status(old)));
  return errors;
}

/** apps/v1 Deployment (upstream pkg/registry/apps/deployment and printDeployment). */
export const deployments: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
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
      obj['status'] = {};
    },
    defaults,
    validate,
    validateUpdate(obj, old) {
      // apps/v1 makes the selector immutable (ValidateUpdate's ValidateImmutableField).
      return [...validate(obj), ...immutable(spec(obj).selector, spec(old).selector, 'spec.selector')];
    },
    // Annotations count too: the controller copies them to the ReplicaSets.
    specChanged: (obj, old) =>
      !jsonEqual(obj['spec'], old['spec']) || !jsonEqual(obj.metadata.annotations, old.metadata.annotations),
  },
  table: {
    columns: [
      nameColumn('deployment'),
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0 },
      {
        name: 'Up-to-date',
        type: 'string',
        description:
          'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        priority: 0,
      },
      {
        name: 'Available',
        type: 'string',
        description:
          'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        priority: 0,
      },
      ageColumn('deployment'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
      {
        name: 'Selector',
        type: 'string',
        description:
          'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const st = status(obj);
      const [names, images] = containerCells(s.template);
      const selector = asSelector(s.selector);
      return [
        obj.metadata.name ?? '',
        `${int(st['readyReplicas'])}/${int(s.replicas)}`,
        int(st['updatedReplicas']),
        int(st['availableReplicas']),
        age(obj, now),
        names,
        images,
        selector === undefined ? '<invalid>' : selectorToString(selector),
      ];
    },
  },
};
