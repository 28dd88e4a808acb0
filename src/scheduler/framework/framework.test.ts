import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Snapshot } from '../cache/snapshot.ts';
import { inTreeRegistry } from '../plugins/registry.ts';
import { FakeClock, makeNode, makePod } from '../testing.ts';
import type { Pod } from '../types.ts';
import { numFeasibleNodesToFind, resolveProfile, type KubeSchedulerProfile } from './config.ts';
import { CycleState } from './cycle-state.ts';
import { fitErrorMessage, newDiagnosis } from './fit-error.ts';
import type { FilterPlugin, PermitPlugin, PluginFactory, ReservePlugin } from './interface.ts';
import { Framework } from './runtime.ts';
import { type Status, SUCCESS, unschedulable } from './status.ts';

function build(
  profile: KubeSchedulerProfile,
  extra: [string, PluginFactory][] = [],
  clock = new FakeClock(),
) {
  const snapshot = Snapshot.from([makeNode('n1')]);
  return new Framework({
    profile: resolveProfile(profile, undefined),
    registry: new Map([...inTreeRegistry(), ...extra]),
    snapshot: () => snapshot,
    binder: { bind: async () => {} },
    clock,
    nominator: { nominatedPodsForNode: () => [] },
  });
}

describe('profiles', () => {
  it('enables the default plugins at their points with upstream weights', () => {
    const fwk = build({});
    assert.equal(fwk.queueSortPlugin?.name, 'PrioritySort');
    assert.deepEqual(
      fwk.filterPlugins.map((x) => x.name),
      [
        'NodeUnschedulable',
        'NodeName',
        'TaintToleration',
        'NodeAffinity',
        'NodePorts',
        'NodeResourcesFit',
        'PodTopologySpread',
        'InterPodAffinity',
      ],
    );
    assert.deepEqual(
      fwk.postFilterPlugins.map((x) => x.name),
      ['DefaultPreemption'],
    );
    assert.equal(fwk.weights.get('TaintToleration'), 3);
    assert.equal(fwk.weights.get('InterPodAffinity'), 2);
  });
  it('disables per point and sets score weights', () => {
    const fwk = build({
      plugins: {
        filter: { disabled: [{ name: 'NodePorts' }] },
        score: { enabled: [{ name: 'ImageLocality', weight: 7 }] },
      },
    });
    assert.equal(
      fwk.filterPlugins.some((p) => p.name === 'NodePorts'),
      false,
    );
    assert.equal(fwk.weights.get('ImageLocality'), 7);
  });
  it('refuses an explicit point the plugin does not implement, and unknown plugins', () => {
    assert.throws(
      () => build({ plugins: { permit: { enabled: [{ name: 'NodePorts' }] } } }),
      /does not extend permit/,
    );
    assert.throws(
      () => build({ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }),
      /"Nope" does not exist/,
    );
  });
  it('computes the adaptive percentage of nodes to score', () => {
    assert.equal(numFeasibleNodesToFind(undefined, 50), 50);
    assert.equal(numFeasibleNodesToFind(undefined, 500), 230); // 50 − 4 = 46%
    assert.equal(numFeasibleNodesToFind(undefined, 5000), 500); // 50 − 40 = 10%
    assert.equal(numFeasibleNodesToFind(undefined, 10000), 500); // floor at 5%
    assert.equal(numFeasibleNodesToFind(undefined, 150), 100); // never under 100
    assert.equal(numFeasibleNodesToFind(30, 1000), 300);
  });
});

describe('extension points', () => {
  const calls: string[] = [];
  const recorder =
    (name: string, verdict: Status): PluginFactory =>
    () =>
      ({
        name,
        filter: () => (calls.push(`filter:${name}`), verdict),
        reserve: () => (calls.push(`reserve:${name}`), verdict),
        unreserve: () => void calls.push(`unreserve:${name}`),
      }) as FilterPlugin & ReservePlugin;
  const profile: KubeSchedulerProfile = {
    plugins: {
      multiPoint: {
        disabled: [{ name: '*' }],
        enabled: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'DefaultBinder' }],
      },
    },
  };
  const fwk = build(profile, [
    ['A', recorder('A', SUCCESS)],
    ['B', recorder('B', unschedulable('no room'))],
    ['C', recorder('C', SUCCESS)],
  ]);
  const pod = makePod('p');

  it('runs filters in order and stops at the first rejection, naming the plugin', () => {
    calls.length = 0;
    const s = fwk.runFilterPlugins(new CycleState(), pod, Snapshot.from([makeNode('n')]).get('n')!);
    assert.deepEqual(calls, ['filter:A', 'filter:B']);
    assert.deepEqual(s, { code: 'Unschedulable', reasons: ['no room'], plugin: 'B' });
  });
  it('unreserves every reserve plugin in reverse order after a failed reserve', () => {
    calls.length = 0;
    const state = new CycleState();
    const s = fwk.runReservePluginsReserve(state, pod, 'n');
    assert.equal(s.plugin, 'B');
    fwk.runReservePluginsUnreserve(state, pod, 'n');
    assert.deepEqual(calls, ['reserve:A', 'reserve:B', 'unreserve:C', 'unreserve:B', 'unreserve:A']);
  });
  it('turns a thrown exception into an Error status', () => {
    const boom = build(profile, [
      [
        'A',
        () =>
          ({
            name: 'A',
            filter: () => {
              throw new Error('bug');
            },
          }) as FilterPlugin,
      ],
      ['B', recorder('B', SUCCESS)],
      ['C', recorder('C', SUCCESS)],
    ]);
    const s = boom.runFilterPlugins(new CycleState(), pod, Snapshot.from([makeNode('n')]).get('n')!);
    assert.deepEqual(s, { code: 'Error', reasons: ['bug'], plugin: 'A' });
  });
});

describe('permit', () => {
  const waitFor =
    (ms: number): PluginFactory =>
    () =>
      ({
        name: 'Gate',
        permit: () => ({ status: { code: 'Wait', reasons: [] }, timeoutMs: ms }),
      }) as PermitPlugin;
  const profile: KubeSchedulerProfile = { plugins: { permit: { enabled: [{ name: 'Gate' }] } } };
  const pod: Pod = makePod('p');

  it('waits until the plugin allows the pod', async () => {
    const fwk = build(profile, [['Gate', waitFor(10_000)]]);
    assert.equal(fwk.runPermitPlugins(new CycleState(), pod, 'n1').code, 'Wait');
    const verdict = fwk.waitOnPermit(pod);
    fwk.waitingPod('uid-default-p')!.allow('Gate');
    assert.equal((await verdict).code, 'Success');
  });
  it('rejects after the timeout', async () => {
    const clock = new FakeClock();
    const fwk = build(profile, [['Gate', waitFor(5000)]], clock);
    fwk.runPermitPlugins(new CycleState(), pod, 'n1');
    const verdict = fwk.waitOnPermit(pod);
    clock.advance(5000);
    assert.deepEqual(await verdict, {
      code: 'Unschedulable',
      reasons: ['rejected due to timeout after waiting 5s at plugin Gate'],
      plugin: 'Gate',
    });
  });
  it('reports a rejection that came before the binding cycle asked', async () => {
    const fwk = build(profile, [['Gate', waitFor(5000)]]);
    fwk.runPermitPlugins(new CycleState(), pod, 'n1');
    fwk.waitingPod('uid-default-p')!.reject('Gate', 'denied');
    assert.equal((await fwk.waitOnPermit(pod)).reasons[0], 'denied');
  });
});

describe('FitError message', () => {
  it('counts reasons, sorts them as strings and counts absent nodes', () => {
    const d = newDiagnosis();
    d.nodeToStatus.map.set('a', {
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    });
    d.nodeToStatus.map.set('b', { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    d.nodeToStatus.absentNodesStatus = {
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) were unschedulable'],
    };
    assert.equal(
      fitErrorMessage(12, d),
      '0/12 nodes are available: 1 Insufficient memory, 10 node(s) were unschedulable, 2 Insufficient cpu.',
    );
  });
  it('uses the PreFilter message alone', () => {
    const d = newDiagnosis();
    d.preFilterMsg = 'persistentvolumeclaim "x" not found';
    d.postFilterMsg = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    assert.equal(
      fitErrorMessage(3, d),
      '0/3 nodes are available: persistentvolumeclaim "x" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});
