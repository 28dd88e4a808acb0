import { type FieldError, forbidden, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  asSelector,
  collisionCountDecremented,
  containerCells,
  containersColumnDescription,
  defaultPodTemplate,
  ensure,
  formatLabelSelector,
  formatLabels,
  hasNoRequirements,
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
  validateLabelSelector,
  validatePodTemplate,
  validatePositiveIntOrPercent,
} from '../workload.ts';

interface DaemonSetSpec {
  selector?: LabelSelector | null;
  template?: PodTemplateSpec;
  updateStrategy?: {
    type?: string;
    rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

/**
 * apps/v1 keeps the internal spec.templateGeneration in this annotation (the v1 conversion); the
 * strategy sets it to 1 on create and counts template changes.
 */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

const spec = (obj: KubeObject): DaemonSetSpec => rec(obj['spec']) as DaemonSetSpec;
const status = (obj: KubeObject): Record<string, unknown> => rec(obj['status']);

function setTemplateGeneration(obj: KubeObject, generation: number): void {
  obj.metadata.annotations = {
    ...obj.metadata.annotations,
    [templateGenerationAnnotation]: String(generation),
  };
}

/** apps/v1 SetDefaults_DaemonSet, with the pod template's defaults. */
function defaults(obj: KubeObject): void {
  const s = ensure<DaemonSetSpec>(obj, 'spec');
  s.updateStrategy ??= {};
  s.updateStrategy.type ||= 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  s.template ??= {};
  defaultPodTemplate(s.template);
}

/** ValidateDaemonSetUpdateStrategy and ValidateRollingUpdateDaemonSet. */
function validateUpdateStrategy(strategy: DaemonSetSpec['updateStrategy']): FieldError[] {
  const path = 'spec.updateStrategy';
  const s = strategy ?? {};
  switch (s.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (ru === undefined || ru === null) return [required(`${path}.rollingUpdate`, '')];
      const p = `${path}.rollingUpdate`;
      const errors = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
        ...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`),
      ];
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge)
        errors.push(invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      if (!hasUnavailable && !hasSurge)
        errors.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      return errors;
    }
    default:
      return [notSupported(path, s, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetSpec. */
function validate(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const template = s.template ?? {};
  const errors = validateLabelSelector(s.selector, 'spec.selector');
  // No "Required" for a missing selector here: a null selector matches nothing, which this reports.
  const selector = asSelector(s.selector);
  if (selector !== undefined && !selector.matches(template.metadata?.labels ?? {})) {
    errors.push(
      invalid(
        'spec.template.metadata.labels',
        template.metadata?.labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  if (s.selector !== undefined && s.selector !== null && hasNoRequirements(s.selector)) {
    errors.push(invalid('spec.selector', s.selector, 'empty selector is invalid for daemonset'));
  }
  errors.push(...validatePodTemplate(template, 'spec.template'));
  const policy = template.spec?.restartPolicy ?? '';
  if (policy !== 'Always') errors.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errors.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in DaemonSet is not Supported',
      ),
    );
  }
  errors.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errors.push(...validateUpdateStrategy(s.updateStrategy));
  errors.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errors;
}

/** ValidateDaemonSetStatusUpdate. */
function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const st = status(obj);
  return [
    ...nonNegatives(st, 'status', [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
    ]),
    ...collisionCountDecremented(st, status(old)),
  ];
}

/** apps/v1 DaemonSet (upstream pkg/registry/apps/daemonset and printDaemonSet). */
export const daemonsets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  status: { validateUpdate: validateStatus },
  strategy: {
    prepareForCreate(obj) {
      // The counters without omitempty.
      obj['status'] = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
      setTemplateGeneration(obj, 1);
    },
    prepareForUpdate(obj, old) {
      // A client may not set the template generation; a template change counts one up.
      const before = Number(old.metadata.annotations?.[templateGenerationAnnotation] ?? 0) || 0;
      // Upstream compares decoded, hence defaulted, templates.
      const next = structuredClone(obj);
      defaults(next);
      const changed = !jsonEqual(spec(next).template, spec(old).template);
      setTemplateGeneration(obj, changed ? before + 1 : before);
    },
    defaults,
    validate,
    validateUpdate(obj, old) {
      return [...validate(obj), ...immutable(spec(obj).selector, spec(old).selector, 'spec.selector')];
    },
  },
  table: {
    columns: [
      nameColumn('daemonset'),
      {
        name: 'Desired',
        type: 'integer',
        description:
          'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
        priority: 0,
      },
      {
        name: 'Current',
        type: 'integer',
        description:
          'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
        priority: 0,
      },
      {
        name: 'Ready',
        type: 'integer',
        description:
          'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
        priority: 0,
      },
      {
        name: 'Up-to-date',
        type: 'integer',
        description: 'The total number of nodes that are running updated daemon pod',
        priority: 0,
      },
      {
        name: 'Available',
        type: 'integer',
        description:
          'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
        priority: 0,
      },
      {
        name: 'Node Selector',
        type: 'string',
        description:
          "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        priority: 0,
      },
      ageColumn('daemonset'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
      {
        name: 'Selector',
        type: 'string',
        description:
          "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const st = status(obj);
      const [names, images] = containerCells(s.template);
      return [
        obj.metadata.name ?? '',
        int(st['desiredNumberScheduled']),
        int(st['currentNumberScheduled']),
        int(st['numberReady']),
        int(st['updatedNumberScheduled']),
        int(st['numberAvailable']),
        formatLabels(s.template?.spec?.nodeSelector),
        age(obj, now),
        names,
        images,
        formatLabelSelector(s.selector),
      ];
    },
  },
};
