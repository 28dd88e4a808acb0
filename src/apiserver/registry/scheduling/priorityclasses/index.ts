import { type FieldError, forbidden, notSupported, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { optionalText, validateImmutableField } from '../../networking/validation.ts';

/** scheduling.HighestUserDefinablePriority; the system classes sit above it. */
export const highestUserDefinablePriority = 1_000_000_000;
const systemCriticalPriority = 2 * highestUserDefinablePriority;
const systemPrefix = 'system-';

/** The classes the API server creates at bootstrap (scheduling/v1 SystemPriorityClasses). */
export const systemPriorityClasses: ReadonlyArray<{ name: string; value: number; description: string }> = [
  {
    name: 'system-node-critical',
    value: systemCriticalPriority + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: systemCriticalPriority,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

// value is a plain int32 in the Go type: absent decodes as 0.
const valueOf = (obj: KubeObject): number => (typeof obj['value'] === 'number' ? obj['value'] : 0);

/** IsKnownSystemPriorityClass: the error text, or undefined when the class is one of the system classes. */
function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const known = systemPriorityClasses.find((c) => c.name === name);
  if (known === undefined) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass, less the metadata. */
function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  const value = valueOf(obj);
  if (name.startsWith(systemPrefix)) {
    const error = systemClassError(name, value, obj['globalDefault'] === true);
    if (error !== undefined) {
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with '${systemPrefix}' prefix are reserved for system use only. error: ${error}`,
        ),
      );
    }
  } else if (value > highestUserDefinablePriority) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`,
      ),
    );
  }
  const policy = obj['preemptionPolicy'];
  if (policy !== undefined && policy !== null) {
    // ValidatePreemptionPolicy.
    if (policy === '') errs.push(required('preemptionPolicy', ''));
    else if (policy !== 'PreemptLowerPriority' && policy !== 'Never') {
      errs.push(notSupported('preemptionPolicy', policy, ['PreemptLowerPriority', 'Never']));
    }
  }
  return errs;
}

/** ValidatePriorityClassUpdate: pods already carry the value, so it and the policy stay. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (valueOf(obj) !== valueOf(old)) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutableField(obj['preemptionPolicy'], old['preemptionPolicy'], 'preemptionPolicy'));
  return errs;
}

/** scheduling.k8s.io/v1 PriorityClass (upstream pkg/registry/scheduling/priorityclass), cluster-scoped. */
export const priorityclasses: ResourceDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  strategy: {
    defaults(obj) {
      // Not omitempty in the Go type: an absent value is stored and shown as 0.
      obj['value'] ??= 0;
      // SetDefaults_PriorityClass.
      obj['preemptionPolicy'] ??= 'PreemptLowerPriority';
    },
    validate,
    validateUpdate,
  },
  table: {
    columns: [
      nameColumn('priority class'),
      {
        name: 'Value',
        type: 'integer',
        description:
          'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
        priority: 0,
      },
      {
        name: 'Global-Default',
        type: 'boolean',
        description:
          'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
        priority: 0,
      },
      ageColumn('priority class'),
      {
        name: 'PreemptionPolicy',
        type: 'string',
        description:
          'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
        priority: 0,
      },
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      valueOf(obj),
      obj['globalDefault'] === true,
      age(obj, now),
      optionalText(obj['preemptionPolicy']) ?? '',
    ],
  },
};
