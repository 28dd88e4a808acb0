// Table-driven Score tests (after NormalizeScore, weight 1) over in-memory snapshots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNode, makePod } from '../testing.ts';
import type { KubeSchedulerProfile } from '../framework/config.ts';
import type { Node, Pod } from '../types.ts';
import {
  balancedScore,
  leastAllocated,
  mostAllocated,
  requestedToCapacityRatio,
} from './node-resources/scorer.ts';
import { frameworkOver, only, scoreAll } from './test-helpers.ts';

interface Case {
  name: string;
  profile: KubeSchedulerProfile;
  nodes: Node[];
  existing?: Pod[];
  pod: Pod;
  want: Record<string, number>;
}

const fitWith = (type: 'LeastAllocated' | 'MostAllocated'): KubeSchedulerProfile => ({
  ...only('NodeResourcesFit'),
  pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type } } }],
});

const cases: Case[] = [
  {
    name: 'TaintToleration: fewer intolerable PreferNoSchedule taints score higher',
    profile: only('TaintToleration'),
    nodes: [
      makeNode('clean'),
      makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
      makeNode('two', {
        taints: [
          { key: 'a', effect: 'PreferNoSchedule' },
          { key: 'b', effect: 'PreferNoSchedule' },
        ],
      }),
    ],
    pod: makePod('p'),
    want: { clean: 100, one: 50, two: 0 },
  },
  {
    name: 'NodeAffinity: preferred weights, normalized to the best',
    profile: only('NodeAffinity'),
    nodes: [
      makeNode('a', { labels: { disk: 'ssd', zone: 'z1' } }),
      makeNode('b', { labels: { disk: 'ssd' } }),
      makeNode('c'),
    ],
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 2,
                preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
              },
              { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
            ],
          },
        },
      },
    }),
    want: { a: 100, b: 50, c: 0 },
  },
  {
    name: 'NodeResourcesFit LeastAllocated',
    profile: fitWith('LeastAllocated'),
    nodes: [makeNode('empty', { cpu: '4', memory: '4Gi' }), makeNode('busy', { cpu: '4', memory: '4Gi' })],
    existing: [makePod('x', { cpu: '2', memory: '2Gi', nodeName: 'busy' })],
    pod: makePod('p', { cpu: '1', memory: '1Gi' }),
    want: { empty: 75, busy: 25 },
  },
  {
    name: 'NodeResourcesFit MostAllocated',
    profile: fitWith('MostAllocated'),
    nodes: [makeNode('empty', { cpu: '4', memory: '4Gi' }), makeNode('busy', { cpu: '4', memory: '4Gi' })],
    existing: [makePod('x', { cpu: '2', memory: '2Gi', nodeName: 'busy' })],
    pod: makePod('p', { cpu: '1', memory: '1Gi' }),
    want: { empty: 25, busy: 75 },
  },
  {
    name: 'NodeResourcesBalancedAllocation',
    profile: only('NodeResourcesBalancedAllocation'),
    nodes: [
      makeNode('balanced', { cpu: '4', memory: '4Gi' }),
      makeNode('skewed', { cpu: '4', memory: '16Gi' }),
    ],
    pod: makePod('p', { cpu: '2', memory: '2Gi' }),
    want: { balanced: 100, skewed: 81 },
  },
  {
    name: 'ImageLocality: a big image present scores',
    profile: only('ImageLocality'),
    nodes: [
      makeNode('has', { images: [{ names: ['docker.io/library/big:1'], sizeBytes: 500 * 1024 * 1024 }] }),
      makeNode('lacks'),
    ],
    pod: makePod('p', { containers: [{ name: 'c', image: 'docker.io/library/big:1' }] }),
    want: { has: 23, lacks: 0 },
  },
  {
    name: 'PodTopologySpread ScheduleAnyway: the emptier zone wins',
    profile: only('PodTopologySpread'),
    nodes: [makeNode('a1', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } })],
    existing: [
      makePod('x1', { labels: { app: 'w' }, nodeName: 'a1' }),
      makePod('x2', { labels: { app: 'w' }, nodeName: 'a1' }),
    ],
    pod: makePod('p', {
      labels: { app: 'w' },
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { app: 'w' } },
          },
        ],
      },
    }),
    want: { a1: 0, b1: 100 },
  },
  {
    name: 'InterPodAffinity preferred affinity and anti-affinity',
    profile: only('InterPodAffinity'),
    nodes: [makeNode('n1'), makeNode('n2'), makeNode('n3')],
    existing: [
      makePod('cache', { labels: { app: 'cache' }, nodeName: 'n1' }),
      makePod('noisy', { labels: { app: 'noisy' }, nodeName: 'n2' }),
    ],
    pod: makePod('p', {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: 'cache' } },
                  topologyKey: 'kubernetes.io/hostname',
                },
              },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: 'noisy' } },
                  topologyKey: 'kubernetes.io/hostname',
                },
              },
            ],
          },
        },
      },
    }),
    want: { n1: 100, n2: 0, n3: 50 },
  },
];

describe('Score plugins', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { fwk, snapshot } = frameworkOver(c.nodes, c.existing ?? [], { profile: c.profile });
      assert.deepEqual(Object.fromEntries(scoreAll(fwk, snapshot, c.pod)), c.want);
    });
  }
});

describe('resource scoring strategies', () => {
  const res = [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
  it('least and most allocated are complements', () => {
    assert.equal(leastAllocated([1000, 1024], [4000, 4096], res), 75);
    assert.equal(mostAllocated([1000, 1024], [4000, 4096], res), 25);
    assert.equal(leastAllocated([5000, 0], [4000, 4096], res), 50); // over capacity scores 0 for cpu
  });
  it('requested to capacity ratio follows the shape', () => {
    const binPacking = requestedToCapacityRatio([
      { utilization: 0, score: 0 },
      { utilization: 100, score: 10 },
    ]);
    assert.equal(binPacking([2000, 2048], [4000, 4096], res), 50);
    const spreading = requestedToCapacityRatio([
      { utilization: 0, score: 10 },
      { utilization: 100, score: 0 },
    ]);
    assert.equal(spreading([1000, 1024], [4000, 4096], res), 75);
  });
  it('balanced allocation is 1 − std of the fractions', () => {
    assert.equal(balancedScore([2000, 2048], [4000, 4096]), 100);
    assert.equal(balancedScore([4000, 0], [4000, 4096]), 50);
  });
});
