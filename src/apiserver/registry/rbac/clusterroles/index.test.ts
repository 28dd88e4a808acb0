import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { tableColumns } from '../../../handlers/table.ts';
import { clusterroles } from './index.ts';

function clusterRole(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'monitoring' },
    ...fields,
  };
}

const validate = (fields: Record<string, unknown>) =>
  clusterroles.strategy!.validate!(clusterRole(fields)).map(errorString);

describe('clusterroles', () => {
  it('is cluster-scoped with the default table', () => {
    assert.equal(clusterroles.namespaced, false);
    assert.deepEqual(
      tableColumns(clusterroles).map((c) => c.name),
      ['Name', 'Created At'],
    );
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a non-resource URL rule', { rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] }, []],
    [
      'a rule mixing URLs and resources',
      { rules: [{ nonResourceURLs: ['/metrics'], resources: ['pods'], verbs: ['get'] }] },
      [
        'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs',
      ],
    ],
    [
      'an aggregation rule',
      {
        aggregationRule: {
          clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }],
        },
      },
      [],
    ],
    [
      'an aggregation rule without selectors',
      { aggregationRule: {} },
      [
        'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
      ],
    ],
    [
      'a selector with a bad operator',
      { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Is' }] }] } },
      [
        'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
        'aggregationRule.clusterRoleSelectors[0]: Invalid value: {"matchExpressions":[{"key":"a","operator":"Is"}]}: invalid label selector.',
      ],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(`validates ${name}`, () => assert.deepEqual(validate(fields), want));
  }
});
