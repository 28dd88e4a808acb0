// InterPodAffinity and PodTopologySpread filters, VolumeBinding and preemption victim selection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNode, makePod } from '../testing.ts';
import { CycleState } from '../framework/cycle-state.ts';
import type { Affinity, Node, Pod, PodAffinityTerm } from '../types.ts';
import { pickOneNodeForPreemption, selectVictimsOnNode } from './default-preemption/victims.ts';
import { filterAll, frameworkOver, only } from './test-helpers.ts';

const zoned = (name: string, zone: string): Node => makeNode(name, { labels: { zone } });
const term = (app: string, topologyKey = 'zone'): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
});
const on = (name: string, node: string, labels: Record<string, string>, affinity?: Affinity): Pod =>
  makePod(name, { labels, nodeName: node, ...(affinity ? { spec: { affinity } } : {}) });
function verdicts(nodes: Node[], existing: Pod[], pod: Pod, plugin: string): Record<string, string> {
  const { fwk, snapshot } = frameworkOver(nodes, existing, { profile: only(plugin) });
  const out: Record<string, string> = {};
  for (const [n, s] of filterAll(fwk, snapshot, pod)) out[n] = s.code === 'Success' ? 'ok' : s.reasons.join();
  return out;
}

describe('InterPodAffinity filter', () => {
  const nodes = [zoned('a1', 'a'), zoned('a2', 'a'), zoned('b1', 'b')];
  const cases: { name: string; existing: Pod[]; pod: Pod; want: Record<string, string> }[] = [
    {
      name: 'required affinity to a zone with a matching pod',
      existing: [on('db', 'a1', { app: 'db' })],
      pod: makePod('p', {
        spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } },
      }),
      want: { a1: 'ok', a2: 'ok', b1: "node(s) didn't match pod affinity rules" },
    },
    {
      name: 'first pod of a self-affine group goes anywhere',
      existing: [],
      pod: makePod('p', {
        labels: { app: 'web' },
        spec: {
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } },
        },
      }),
      want: { a1: 'ok', a2: 'ok', b1: 'ok' },
    },
    {
      name: 'required anti-affinity keeps the zone free',
      existing: [on('web-0', 'a2', { app: 'web' })],
      pod: makePod('p', {
        labels: { app: 'web' },
        spec: {
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } },
        },
      }),
      want: {
        a1: "node(s) didn't match pod anti-affinity rules",
        a2: "node(s) didn't match pod anti-affinity rules",
        b1: 'ok',
      },
    },
    {
      name: "existing pods' anti-affinity is symmetric",
      existing: [
        on(
          'loner',
          'b1',
          { app: 'loner' },
          { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } },
        ),
      ],
      pod: makePod('p', { labels: { app: 'web' } }),
      want: { a1: 'ok', a2: 'ok', b1: "node(s) didn't satisfy existing pods anti-affinity rules" },
    },
    {
      name: 'other namespaces do not count',
      existing: [
        {
          ...on('web-0', 'a1', { app: 'web' }),
          metadata: { ...on('web-0', 'a1', { app: 'web' }).metadata, namespace: 'other' },
        },
      ],
      pod: makePod('p', {
        spec: {
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } },
        },
      }),
      want: { a1: 'ok', a2: 'ok', b1: 'ok' },
    },
  ];
  for (const c of cases)
    it(c.name, () => assert.deepEqual(verdicts(nodes, c.existing, c.pod, 'InterPodAffinity'), c.want));
});

describe('PodTopologySpread filter', () => {
  const spread = (maxSkew: number, extra: object = {}): Pod =>
    makePod('p', {
      labels: { app: 'w' },
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew,
            topologyKey: 'zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'w' } },
            ...extra,
          },
        ],
      },
    });
  const nodes = [zoned('a1', 'a'), zoned('b1', 'b'), makeNode('nozone')];
  const existing = [on('w0', 'a1', { app: 'w' }), on('w1', 'a1', { app: 'w' }), on('w2', 'b1', { app: 'w' })];
  it('maxSkew 1 sends the pod to the smaller zone', () => {
    assert.deepEqual(verdicts(nodes, existing, spread(1), 'PodTopologySpread'), {
      a1: "node(s) didn't match pod topology spread constraints",
      b1: 'ok',
      nozone: "node(s) didn't match pod topology spread constraints (missing required label)",
    });
  });
  it('maxSkew 2 allows both zones', () => {
    const v = verdicts(nodes, existing, spread(2), 'PodTopologySpread');
    assert.equal(v.a1, 'ok');
    assert.equal(v.b1, 'ok');
  });
  it('minDomains above the domain count treats the minimum as 0', () => {
    const v = verdicts(nodes, existing, spread(1, { minDomains: 3 }), 'PodTopologySpread');
    assert.equal(v.b1, "node(s) didn't match pod topology spread constraints");
  });
});

describe('VolumeBinding', () => {
  const withClaim = makePod('p', {
    spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  });
  const run = (pvc?: object): string => {
    const { fwk, snapshot } = frameworkOver([makeNode('n')], [], {
      profile: only('VolumeBinding'),
      listers: { persistentVolumeClaim: () => pvc as never },
    });
    const s = filterAll(fwk, snapshot, withClaim).get('n')!;
    return s.code === 'Success' ? 'ok' : `${s.code}: ${s.reasons.join()}`;
  };
  it('needs the claim to exist', () =>
    assert.equal(run(), 'UnschedulableAndUnresolvable: persistentvolumeclaim "data" not found'));
  it('accepts a bound claim', () =>
    assert.equal(run({ metadata: { name: 'data' }, status: { phase: 'Bound' } }), 'ok'));
  it('refuses an unbound claim without a class', () =>
    assert.equal(
      run({ metadata: { name: 'data' }, status: { phase: 'Pending' } }),
      'UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims',
    ));
});

describe('DefaultPreemption victims', () => {
  const node = makeNode('n', { cpu: '4' });
  const low = (name: string, cpu: string, priority: number, start: string): Pod => {
    const p = makePod(name, { cpu, priority, nodeName: 'n' });
    p.status = { phase: 'Running', startTime: start };
    return p;
  };
  it('evicts the fewest lower-priority pods needed, reprieving the most important', () => {
    const existing = [
      low('a', '1', 10, '2024-01-01T00:00:00Z'),
      low('b', '1', 5, '2024-01-01T00:00:00Z'),
      low('c', '2', 1, '2024-01-01T00:00:00Z'),
    ];
    const { fwk, snapshot } = frameworkOver([node], existing);
    const pod = makePod('high', { cpu: '2', priority: 100 });
    const state = new CycleState();
    fwk.runPreFilterPlugins(state, pod, snapshot.nodeInfoList);
    const r = selectVictimsOnNode({
      handle: fwk,
      state,
      pod,
      nodeInfo: snapshot.get('n')!.clone(),
      pdbs: [],
    });
    assert.equal(r.status.code, 'Success');
    assert.deepEqual(
      r.victims.map((v) => v.metadata.name),
      ['c'],
    );
  });
  it('counts PDB violations', () => {
    const existing = [low('a', '2', 1, '2024-01-01T00:00:00Z'), low('b', '2', 1, '2024-01-01T00:00:00Z')];
    existing[0]!.metadata.labels = { app: 'guarded' };
    const { fwk, snapshot } = frameworkOver([node], existing);
    const pod = makePod('high', { cpu: '4', priority: 100 });
    const pdb = {
      metadata: { name: 'pdb', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'guarded' } } },
      status: { disruptionsAllowed: 0 },
    };
    const r = selectVictimsOnNode({
      handle: fwk,
      state: new CycleState(),
      pod,
      nodeInfo: snapshot.get('n')!.clone(),
      pdbs: [pdb],
    });
    assert.equal(r.numViolating, 1);
    assert.equal(r.victims.length, 2);
  });
  it('picks the node with the fewest violations, then the lowest top victim', () => {
    const v = (name: string, priority: number): Pod => makePod(name, { priority });
    const pick = pickOneNodeForPreemption([
      { nodeName: 'pdb', victims: [v('x', 1)], numPDBViolations: 1 },
      { nodeName: 'high', victims: [v('y', 50)], numPDBViolations: 0 },
      { nodeName: 'low', victims: [v('z', 10), v('w', 5)], numPDBViolations: 0 },
    ]);
    assert.equal(pick?.nodeName, 'low');
    const fewer = pickOneNodeForPreemption([
      { nodeName: 'two', victims: [v('a', 10), v('b', 0)], numPDBViolations: 0 },
      { nodeName: 'one', victims: [v('c', 10)], numPDBViolations: 0 },
    ]);
    assert.equal(fewer?.nodeName, 'one');
  });
});
