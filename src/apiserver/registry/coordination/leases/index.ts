import { type FieldError, forbidden, invalid, notSupported } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isQualifiedName } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { optionalText, record } from '../../networking/validation.ts';

const spec = (obj: KubeObject): Record<string, unknown> => record(obj['spec']);

/** ValidateCoordinatedLeaseStrategy: a Kubernetes strategy, or a domain-qualified custom one. */
function validateStrategy(strategy: string): FieldError[] {
  if (strategy.includes('/')) {
    return isQualifiedName(strategy).map((msg) => invalid('spec.strategy', strategy, msg));
  }
  return strategy === 'OldestEmulationVersion'
    ? []
    : [notSupported('spec.strategy', strategy, ['OldestEmulationVersion'])];
}

/** ValidateLeaseSpec. */
function validate(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  const duration = s['leaseDurationSeconds'];
  if (typeof duration === 'number' && duration <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  const transitions = s['leaseTransitions'];
  if (typeof transitions === 'number' && transitions < 0) {
    errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  const strategy = optionalText(s['strategy']);
  if (strategy !== undefined) errs.push(...validateStrategy(strategy));
  const preferred = optionalText(s['preferredHolder']);
  if (preferred !== undefined && preferred !== '' && (strategy === undefined || strategy === '')) {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

/**
 * The CoordinatedLeaderElection fields (alpha in 1.32, off by default) are dropped unless the stored
 * object already uses them, as upstream's dropDisabledSpecFields does.
 */
function dropDisabledFields(obj: KubeObject, old: KubeObject | undefined): void {
  if (!isRecord(obj['spec'])) return;
  const s = obj['spec'] as Record<string, unknown>;
  const oldSpec = old === undefined ? {} : spec(old);
  if (oldSpec['strategy'] === undefined || oldSpec['strategy'] === null) delete s['strategy'];
  if (oldSpec['preferredHolder'] === undefined || oldSpec['preferredHolder'] === null) {
    delete s['preferredHolder'];
  }
}

/** coordination.k8s.io/v1 Lease (upstream pkg/registry/coordination/lease). */
export const leases: ResourceDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  strategy: {
    prepareForCreate(obj) {
      // Leases carry a spec but no generation: upstream's lease strategy never sets one.
      delete obj.metadata.generation;
      dropDisabledFields(obj, undefined);
    },
    prepareForUpdate: (obj, old) => dropDisabledFields(obj, old),
    validate,
  },
  table: {
    columns: [
      nameColumn('lease'),
      {
        name: 'Holder',
        type: 'string',
        description:
          'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
        priority: 0,
      },
      ageColumn('lease'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      optionalText(spec(obj)['holderIdentity']) ?? '',
      age(obj, now),
    ],
  },
};
