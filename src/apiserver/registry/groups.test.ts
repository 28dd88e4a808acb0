import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupResources } from './groups.ts';

describe('groupResources', () => {
  it('lists groups in upstream discovery order', () => {
    const groups = [...new Set(groupResources.map((d) => d.group))];
    assert.deepEqual(groups, [
      'events.k8s.io',
      'networking.k8s.io',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'discovery.k8s.io',
    ]);
  });

  it('sorts resources by name within a group and serves each once', () => {
    for (const group of new Set(groupResources.map((d) => d.group))) {
      const names = groupResources.filter((d) => d.group === group).map((d) => d.resource);
      assert.deepEqual(names, names.toSorted(), group);
    }
    const paths = groupResources.map((d) => `${d.group}/${d.version}/${d.resource}`);
    assert.equal(new Set(paths).size, paths.length);
  });

  it('names every resource consistently', () => {
    for (const d of groupResources) {
      assert.equal(d.version, 'v1', d.resource);
      assert.equal(d.singular, d.kind.toLowerCase(), d.resource);
      assert.match(d.resource, /^[a-z]+$/);
    }
  });
});
