import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { tableColumns, tableRow } from '../../../handlers/table.ts';
import { roles } from './index.ts';

function role(rules: unknown): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    rules,
  };
}

const validate = (rules: unknown) => roles.strategy!.validate!(role(rules)).map(errorString);

describe('roles', () => {
  it('is namespaced rbac.authorization.k8s.io/v1', () => {
    assert.equal(roles.group, 'rbac.authorization.k8s.io');
    assert.equal(roles.namespaced, true);
  });

  it('writes absent rules as null', () => {
    const obj = role(undefined);
    roles.strategy!.defaults!(obj);
    assert.equal(obj['rules'], null);
  });

  const cases: Array<[string, unknown, string[]]> = [
    ['a resource rule', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], []],
    ['no rules', null, []],
    [
      'a rule without verbs',
      [{ apiGroups: [''], resources: ['pods'] }],
      ['rules[0].verbs: Required value: verbs must contain at least one value'],
    ],
    [
      'a rule without groups and resources',
      [{ verbs: ['get'] }],
      [
        'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
        'rules[0].resources: Required value: resource rules must supply at least one resource',
      ],
    ],
    [
      'a non-resource URL in a namespaced role',
      [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
      [
        'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      ],
    ],
  ];
  for (const [name, rules, want] of cases) {
    it(`validates ${name}`, () => assert.deepEqual(validate(rules), want));
  }

  it('prints the default NAME / CREATED AT table, as upstream', () => {
    assert.equal(roles.table, undefined);
    assert.deepEqual(
      tableColumns(roles).map((c) => c.name),
      ['Name', 'Created At'],
    );
    assert.deepEqual(
      (tableRow(roles, role([]), { includeObject: 'None' }, new Date()) as { cells: unknown[] }).cells,
      ['reader', '2024-01-01T00:00:00Z'],
    );
  });
});
