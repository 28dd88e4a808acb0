import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { rolebindings } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function binding(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'read-pods', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    roleRef: { kind: 'Role', name: 'reader' },
    ...fields,
  };
}

function defaulted(fields: Record<string, unknown>): KubeObject {
  const obj = binding(fields);
  rolebindings.strategy!.defaults!(obj);
  return obj;
}

const validate = (fields: Record<string, unknown>) =>
  rolebindings.strategy!.validate!(defaulted(fields)).map(errorString);

describe('rolebindings: defaults', () => {
  it('defaults the roleRef and subject API groups by kind', () => {
    const obj = defaulted({
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'default' },
        { kind: 'Robot', name: 'r2' },
      ],
    });
    assert.deepEqual(obj['roleRef'], { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' });
    assert.deepEqual(obj['subjects'], [
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'default', apiGroup: '' },
      { kind: 'Robot', name: 'r2' },
    ]);
  });
});

describe('rolebindings: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a binding to a role', { subjects: [{ kind: 'User', name: 'jane' }] }, []],
    ['a binding to a cluster role', { roleRef: { kind: 'ClusterRole', name: 'view' } }, []],
    ['a service account without namespace', { subjects: [{ kind: 'ServiceAccount', name: 'ci' }] }, []],
    [
      'no roleRef',
      { roleRef: undefined },
      [
        'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
        'roleRef.name: Required value',
      ],
    ],
    [
      'a roleRef of another group',
      { roleRef: { apiGroup: 'example.com', kind: 'Role', name: 'x' } },
      ['roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"'],
    ],
    [
      'a roleRef name with a slash',
      { roleRef: { kind: 'Role', name: 'a/b' } },
      [`roleRef.name: Invalid value: "a/b": may not contain '/'`],
    ],
    [
      'a subject of an unknown kind',
      { subjects: [{ kind: 'Robot', name: 'r2' }] },
      ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ],
    ['a subject without name', { subjects: [{ kind: 'User' }] }, ['subjects[0].name: Required value']],
    [
      'a user of another API group',
      { subjects: [{ kind: 'User', name: 'jane', apiGroup: 'example.com' }] },
      [
        'subjects[0].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      ],
    ],
    [
      'a service account with an API group',
      { subjects: [{ kind: 'ServiceAccount', name: 'ci', apiGroup: 'v1' }] },
      ['subjects[0].apiGroup: Unsupported value: "v1": supported values: ""'],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(validate(fields), want));
  }

  it('keeps the roleRef immutable on update', () => {
    const old = defaulted({});
    const next = defaulted({ roleRef: { kind: 'ClusterRole', name: 'admin' } });
    assert.deepEqual(rolebindings.strategy!.validateUpdate!(next, old).map(errorString), [
      'roleRef: Invalid value: {"kind":"ClusterRole","name":"admin","apiGroup":"rbac.authorization.k8s.io"}: cannot change roleRef',
    ]);
    assert.deepEqual(rolebindings.strategy!.validateUpdate!(defaulted({}), old), []);
  });
});

describe('rolebindings: table', () => {
  it('has the upstream columns, subjects only in wide', () => {
    assert.deepEqual(
      rolebindings.table!.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Role', 0],
        ['Age', 0],
        ['Users', 1],
        ['Groups', 1],
        ['ServiceAccounts', 1],
      ],
    );
  });

  it('prints the role and the subjects by kind', () => {
    const obj = defaulted({
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'User', name: 'joe' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
      ],
    });
    assert.deepEqual(rolebindings.table!.row(obj, now), [
      'read-pods',
      'Role/reader',
      '3h',
      'jane, joe',
      'devs',
      'build/ci',
    ]);
  });
});
