import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionTypes, emptyReport, updateConditions } from './conditions.ts';

describe('namespace deletion conditions', () => {
  it('sets every condition to its ok variant on a clean pass', () => {
    const c = updateConditions([], emptyReport(), 't0')!;
    assert.deepEqual(
      c.map((x) => x.type),
      [...conditionTypes],
    );
    assert.ok(c.every((x) => x.status === 'False'));
    assert.equal(c.find((x) => x.type === 'NamespaceContentRemaining')?.reason, 'ContentRemoved');
    assert.equal(updateConditions(c, emptyReport(), 't1'), undefined, 'unchanged: nothing to write');
  });

  it('reports remaining content and finalizers as upstream words them', () => {
    const report = emptyReport();
    report.remaining.set('pods.', 2);
    report.remaining.set('deployments.apps', 1);
    report.finalizersRemaining.set('example.com/hold', 3);
    report.deleteContentErrors.push('boom');
    const before = updateConditions([], emptyReport(), 't0')!;
    const c = updateConditions(before, report, 't1')!;
    const remaining = c.find((x) => x.type === 'NamespaceContentRemaining')!;
    assert.equal(remaining.status, 'True');
    assert.equal(remaining.reason, 'SomeResourcesRemain');
    assert.equal(
      remaining.message,
      'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances',
    );
    assert.equal(remaining.lastTransitionTime, 't1');
    const finalizers = c.find((x) => x.type === 'NamespaceFinalizersRemaining')!;
    assert.equal(
      finalizers.message,
      'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances',
    );
    const failure = c.find((x) => x.type === 'NamespaceDeletionContentFailure')!;
    assert.equal(failure.reason, 'ContentDeletionFailed');
    assert.equal(failure.message, 'Failed to delete all resource types, 1 remaining: boom');
    assert.equal(c.find((x) => x.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, 't0');
  });
});
