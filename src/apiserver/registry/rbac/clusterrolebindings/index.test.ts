import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { clusterrolebindings } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function binding(fields: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'admins', creationTimestamp: '2024-01-01T00:00:00Z' },
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
    ...fields,
  };
  clusterrolebindings.strategy!.defaults!(obj);
  return obj;
}

const validate = (fields: Record<string, unknown>) =>
  clusterrolebindings.strategy!.validate!(binding(fields)).map(errorString);

describe('clusterrolebindings', () => {
  it('is cluster-scoped', () => assert.equal(clusterrolebindings.namespaced, false));

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a binding to a cluster role', { subjects: [{ kind: 'Group', name: 'system:masters' }] }, []],
    [
      'a binding to a role',
      { roleRef: { kind: 'Role', name: 'x' } },
      ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ],
    [
      'a service account without namespace',
      { subjects: [{ kind: 'ServiceAccount', name: 'ci' }] },
      ['subjects[0].namespace: Required value'],
    ],
    [
      'a service account with namespace',
      { subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }] },
      [],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(`validates ${name}`, () => assert.deepEqual(validate(fields), want));
  }

  it('keeps the roleRef immutable on update', () => {
    const errs = clusterrolebindings.strategy!.validateUpdate!(
      binding({ roleRef: { kind: 'ClusterRole', name: 'view' } }),
      binding({}),
    );
    assert.deepEqual(
      errs.map((e) => [e.type, e.field, e.detail]),
      [['FieldValueInvalid', 'roleRef', 'cannot change roleRef']],
    );
  });

  it('prints role and subjects', () => {
    assert.deepEqual(
      clusterrolebindings.table!.row(binding({ subjects: [{ kind: 'Group', name: 'system:masters' }] }), now),
      ['admins', 'ClusterRole/cluster-admin', '3h', '', 'system:masters', ''],
    );
    assert.equal(clusterrolebindings.table!.columns[3]!.description, 'Users in the clusterRoleBinding');
  });
});
