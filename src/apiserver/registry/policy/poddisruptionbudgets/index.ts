import { type FieldError, invalid, notSupported } from '../../../../api/field-errors.ts';
import type { LabelSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  int,
  nonNegatives,
  notMoreThan100Percent,
  rec,
  validateLabelSelector,
  validatePositiveIntOrPercent,
} from '../../apps/workload.ts';

interface PDBSpec {
  minAvailable?: number | string | null;
  maxUnavailable?: number | string | null;
  selector?: LabelSelector | null;
  unhealthyPodEvictionPolicy?: string | null;
}

const spec = (obj: KubeObject): PDBSpec => rec(obj['spec']) as PDBSpec;
const status = (obj: KubeObject): Record<string, unknown> => rec(obj['status']);

const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePodDisruptionBudgetSpec: at most one of minAvailable and maxUnavailable, each an int or percent. */
function validate(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  const hasMin = s.minAvailable !== undefined && s.minAvailable !== null;
  const hasMax = s.maxUnavailable !== undefined && s.maxUnavailable !== null;
  if (hasMin && hasMax) errors.push(invalid('spec', s, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (s[f] === undefined || s[f] === null) continue;
    errors.push(
      ...validatePositiveIntOrPercent(s[f], `spec.${f}`),
      ...notMoreThan100Percent(s[f], `spec.${f}`),
    );
  }
  errors.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const policy = s.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !evictionPolicies.includes(policy)) {
    errors.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, evictionPolicies));
  }
  return errors;
}

/** The MIN AVAILABLE and MAX UNAVAILABLE cells: IntOrString.String(), N/A when unset. */
function intOrString(v: unknown): string {
  return typeof v === 'number' || typeof v === 'string' ? String(v) : 'N/A';
}

/** policy/v1 PodDisruptionBudget (upstream pkg/registry/policy/poddisruptionbudget and its printer). */
export const poddisruptionbudgets: ResourceDefinition = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  status: {
    // ValidatePodDisruptionBudgetStatusUpdate's counters.
    validateUpdate: (obj) =>
      nonNegatives(status(obj), 'status', [
        'disruptionsAllowed',
        'currentHealthy',
        'desiredHealthy',
        'expectedPods',
      ]),
  },
  strategy: {
    prepareForCreate(obj) {
      // The counters have no omitempty.
      obj['status'] = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    },
    validate,
  },
  table: {
    columns: [
      nameColumn('poddisruptionbudget'),
      {
        name: 'Min Available',
        type: 'string',
        description: 'The minimum number of pods that must be available.',
        priority: 0,
      },
      {
        name: 'Max Unavailable',
        type: 'string',
        description: 'The maximum number of pods that may be unavailable.',
        priority: 0,
      },
      {
        name: 'Allowed Disruptions',
        type: 'integer',
        description: 'Calculated number of pods that may be disrupted at this time.',
        priority: 0,
      },
      ageColumn('poddisruptionbudget'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      intOrString(spec(obj).minAvailable),
      intOrString(spec(obj).maxUnavailable),
      int(status(obj)['disruptionsAllowed']),
      age(obj, now),
    ],
  },
};
