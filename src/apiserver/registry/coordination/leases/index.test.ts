import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { leases } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');
const ctx = { user: { name: 'u', groups: [] } };

function lease(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'kube-scheduler', namespace: 'kube-system', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
  };
}

describe('leases', () => {
  it('is namespaced coordination.k8s.io/v1', () => {
    assert.equal(leases.group, 'coordination.k8s.io');
    assert.equal(leases.namespaced, true);
  });

  it('has no generation and drops the disabled CoordinatedLeaderElection fields on create', () => {
    const obj = lease({ holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    obj.metadata.generation = 1;
    leases.strategy!.prepareForCreate!(obj, ctx);
    assert.equal(obj.metadata.generation, undefined);
    assert.deepEqual(obj['spec'], { holderIdentity: 'a' });
  });

  it('keeps those fields on update when the stored lease has them', () => {
    const old = lease({ strategy: 'OldestEmulationVersion' });
    const next = lease({ strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    leases.strategy!.prepareForUpdate!(next, old);
    assert.deepEqual(next['spec'], { strategy: 'OldestEmulationVersion' });
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a held lease', { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 }, []],
    [
      'a zero duration',
      { leaseDurationSeconds: 0 },
      ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    ],
    [
      'negative transitions',
      { leaseTransitions: -1 },
      ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a preferred holder without strategy',
      { preferredHolder: 'b' },
      ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
    ],
    [
      'an unknown strategy',
      { strategy: 'Newest' },
      ['spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates ${name}`, () =>
      assert.deepEqual(leases.strategy!.validate!(lease(spec)).map(errorString), want));
  }

  it('prints the holder', () => {
    assert.deepEqual(
      leases.table!.columns.map((c) => c.name),
      ['Name', 'Holder', 'Age'],
    );
    assert.deepEqual(leases.table!.row(lease({ holderIdentity: 'node-1_abc' }), now), [
      'kube-scheduler',
      'node-1_abc',
      '3h',
    ]);
    assert.deepEqual(leases.table!.row(lease({}), now), ['kube-scheduler', '', '3h']);
  });
});
