import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import { planNodes, planRollingUpdate, rollingBudgets } from './decide.ts';
import type { DaemonSet, Node } from './types.ts';

const nodes = (...names: string[]): Node[] => names.map((name) => ({ metadata: { name }, spec: {} }));
const ds = (rollingUpdate: Record<string, unknown>): DaemonSet => ({
  metadata: {
    name: 'agent',
    namespace: 'default',
    annotations: { 'deprecated.daemonset.template.generation': '2' },
  },
  spec: { template: { spec: {} }, updateStrategy: { type: 'RollingUpdate', rollingUpdate } },
});
let seq = 0;
const pod = (node: string, o: { hash: string; ready?: boolean; phase?: string }): Pod => ({
  metadata: {
    name: `p${++seq}`,
    uid: `u${seq}`,
    creationTimestamp: new Date(1_000_000 + seq * 1000).toISOString(),
    labels: { 'controller-revision-hash': o.hash },
  },
  spec: { nodeName: node },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
});
const byNode = (pods: Pod[]): Map<string, Pod[]> => {
  const m = new Map<string, Pod[]>();
  for (const p of pods) m.set(p.spec?.nodeName ?? '', [...(m.get(p.spec?.nodeName ?? '') ?? []), p]);
  return m;
};

describe('daemonset decisions', () => {
  it('creates on nodes without a pod, deletes failed and duplicate pods, and unbound pods of gone nodes', () => {
    const failed = pod('b', { hash: 'new', phase: 'Failed' });
    const old = pod('c', { hash: 'new' });
    const dup = pod('c', { hash: 'new' });
    const orphan: Pod = { ...pod('gone', { hash: 'new' }), spec: { affinity: {} } };
    const map = byNode([failed, old, dup]);
    map.set('gone', [orphan]);
    const plan = planNodes({
      ds: ds({ maxUnavailable: 1 }),
      nodes: nodes('a', 'b', 'c'),
      nodeToPods: map,
      hash: 'new',
      nowMs: Date.now(),
    });
    assert.deepEqual(plan.create, ['a']);
    assert.deepEqual(
      plan.delete.sort(),
      [failed.metadata.name, dup.metadata.name, orphan.metadata.name].sort(),
    );
    assert.deepEqual(plan.failed, [{ pod: failed.metadata.name, node: 'b' }]);
  });

  it('scales budgets against desired nodes (percentages round up; both zero means one unavailable)', () => {
    assert.deepEqual(rollingBudgets(ds({ maxUnavailable: '10%', maxSurge: 0 }), nodes('a', 'b', 'c')), {
      maxSurge: 0,
      maxUnavailable: 1,
      desired: 3,
    });
    assert.deepEqual(rollingBudgets(ds({ maxUnavailable: 0, maxSurge: '50%' }), nodes('a', 'b', 'c')), {
      maxSurge: 2,
      maxUnavailable: 0,
      desired: 3,
    });
    assert.equal(rollingBudgets(ds({ maxUnavailable: 0, maxSurge: 0 }), nodes('a')).maxUnavailable, 1);
  });

  it('maxUnavailable: deletes old pods within the budget, unavailable old pods always', () => {
    const pods = [
      pod('a', { hash: 'old' }),
      pod('b', { hash: 'old' }),
      pod('c', { hash: 'old', ready: false }),
      pod('d', { hash: 'new', ready: false }),
    ];
    const r = planRollingUpdate({
      ds: ds({ maxUnavailable: 2 }),
      nodes: nodes('a', 'b', 'c', 'd'),
      nodeToPods: byNode(pods),
      hash: 'new',
      nowMs: Date.now(),
    });
    // d's new pod is unavailable (1 of 2): one more old available pod may go, plus c's broken one.
    assert.deepEqual(r.delete, [pods[2]!.metadata.name, pods[0]!.metadata.name]);
    assert.deepEqual(r.create, []);
  });

  it('maxSurge: surges onto old nodes within the budget, deletes old pods once the new one is available', () => {
    const pods = [
      pod('a', { hash: 'old' }),
      pod('a', { hash: 'new' }),
      pod('b', { hash: 'old' }),
      pod('c', { hash: 'old' }),
      pod('d', { hash: 'old' }),
    ];
    const r = planRollingUpdate({
      ds: ds({ maxUnavailable: 0, maxSurge: 1 }),
      nodes: nodes('a', 'b', 'c', 'd'),
      nodeToPods: byNode(pods),
      hash: 'new',
      nowMs: Date.now(),
    });
    assert.deepEqual(r.delete, [pods[0]!.metadata.name]);
    assert.deepEqual(r.create, ['b']);
  });
});
