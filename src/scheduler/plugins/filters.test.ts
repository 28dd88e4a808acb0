// Table-driven Filter tests of the node-local plugins over in-memory snapshots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNode, makePod } from '../testing.ts';
import type { Node, Pod } from '../types.ts';
import { filterAll, frameworkOver, only } from './test-helpers.ts';

interface Case {
  name: string;
  plugin: string;
  node: Node;
  existing?: Pod[];
  pod: Pod;
  /** '' for Success, else "code: reasons". */
  want: string;
}

const hostPortPod = (name: string, port: number, ip?: string): Pod =>
  makePod(name, {
    containers: [
      { name: 'c', ports: [{ containerPort: 80, hostPort: port, ...(ip ? { hostIP: ip } : {}) }] },
    ],
  });

const cases: Case[] = [
  { name: 'schedulable node', plugin: 'NodeUnschedulable', node: makeNode('n'), pod: makePod('p'), want: '' },
  {
    name: 'cordoned node',
    plugin: 'NodeUnschedulable',
    node: makeNode('n', { unschedulable: true }),
    pod: makePod('p'),
    want: 'UnschedulableAndUnresolvable: node(s) were unschedulable',
  },
  {
    name: 'cordoned node, tolerated',
    plugin: 'NodeUnschedulable',
    node: makeNode('n', { unschedulable: true }),
    pod: makePod('p', {
      spec: {
        tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      },
    }),
    want: '',
  },
  {
    name: 'node name matches',
    plugin: 'NodeName',
    node: makeNode('n'),
    pod: makePod('p', { spec: { nodeName: 'n' } }),
    want: '',
  },
  {
    name: 'node name differs',
    plugin: 'NodeName',
    node: makeNode('n'),
    pod: makePod('p', { spec: { nodeName: 'm' } }),
    want: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
  },
  {
    name: 'untolerated NoSchedule taint',
    plugin: 'TaintToleration',
    node: makeNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    pod: makePod('p'),
    want: 'UnschedulableAndUnresolvable: node(s) had untolerated taint {k: v}',
  },
  {
    name: 'PreferNoSchedule does not filter',
    plugin: 'TaintToleration',
    node: makeNode('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }),
    pod: makePod('p'),
    want: '',
  },
  {
    name: 'Exists toleration with empty key tolerates all',
    plugin: 'TaintToleration',
    node: makeNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }),
    pod: makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } }),
    want: '',
  },
  {
    name: 'Equal toleration with another value',
    plugin: 'TaintToleration',
    node: makeNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    pod: makePod('p', { spec: { tolerations: [{ key: 'k', operator: 'Equal', value: 'w' }] } }),
    want: 'UnschedulableAndUnresolvable: node(s) had untolerated taint {k: v}',
  },
  {
    name: 'nodeSelector matches',
    plugin: 'NodeAffinity',
    node: makeNode('n', { labels: { disk: 'ssd' } }),
    pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
    want: '',
  },
  {
    name: 'nodeSelector mismatch',
    plugin: 'NodeAffinity',
    node: makeNode('n', { labels: { disk: 'hdd' } }),
    pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
    want: "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector",
  },
  {
    name: 'required affinity Gt',
    plugin: 'NodeAffinity',
    node: makeNode('n', { labels: { cores: '16' } }),
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }],
            },
          },
        },
      },
    }),
    want: '',
  },
  {
    name: 'required affinity on metadata.name field',
    plugin: 'NodeAffinity',
    node: makeNode('n'),
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] },
              ],
            },
          },
        },
      },
    }),
    want: "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector",
  },
  {
    name: 'free host port',
    plugin: 'NodePorts',
    node: makeNode('n'),
    existing: [hostPortPod('a', 8080)],
    pod: hostPortPod('p', 8081),
    want: '',
  },
  {
    name: 'host port taken on 0.0.0.0',
    plugin: 'NodePorts',
    node: makeNode('n'),
    existing: [hostPortPod('a', 8080)],
    pod: hostPortPod('p', 8080, '10.0.0.1'),
    want: "Unschedulable: node(s) didn't have free ports for the requested pod ports",
  },
  {
    name: 'same port on different addresses',
    plugin: 'NodePorts',
    node: makeNode('n'),
    existing: [hostPortPod('a', 8080, '10.0.0.2')],
    pod: hostPortPod('p', 8080, '10.0.0.1'),
    want: '',
  },
  {
    name: 'fits',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { cpu: '2' }),
    existing: [makePod('a', { cpu: '1' })],
    pod: makePod('p', { cpu: '1' }),
    want: '',
  },
  {
    name: 'insufficient cpu and memory',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { cpu: '2', memory: '1Gi' }),
    existing: [makePod('a', { cpu: '1500m', memory: '512Mi' })],
    pod: makePod('p', { cpu: '1', memory: '600Mi' }),
    want: 'Unschedulable: Insufficient cpu, Insufficient memory',
  },
  {
    name: 'larger than the whole node is unresolvable',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { cpu: '2' }),
    pod: makePod('p', { cpu: '3' }),
    want: 'UnschedulableAndUnresolvable: Insufficient cpu',
  },
  {
    name: 'too many pods',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { pods: '1' }),
    existing: [makePod('a')],
    pod: makePod('p'),
    want: 'Unschedulable: Too many pods',
  },
  {
    name: 'init containers count by the max rule',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { cpu: '2' }),
    pod: makePod('p', {
      cpu: '1',
      spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] },
    }),
    want: '',
  },
  {
    name: 'sidecars add up, and overhead counts',
    plugin: 'NodeResourcesFit',
    node: makeNode('n', { cpu: '2' }),
    pod: makePod('p', {
      cpu: '1',
      spec: {
        initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '800m' } } }],
        overhead: { cpu: '250m' },
      },
    }),
    want: 'UnschedulableAndUnresolvable: Insufficient cpu',
  },
  {
    name: 'extended resource',
    plugin: 'NodeResourcesFit',
    node: makeNode('n'),
    pod: makePod('p', { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] }),
    want: 'UnschedulableAndUnresolvable: Insufficient example.com/gpu',
  },
];

describe('Filter plugins', () => {
  for (const c of cases) {
    it(`${c.plugin}: ${c.name}`, () => {
      const existing = (c.existing ?? []).map((p) => ({
        ...p,
        spec: { ...p.spec, nodeName: c.node.metadata.name! },
      }));
      const { fwk, snapshot } = frameworkOver([c.node], existing, { profile: only(c.plugin) });
      const s = filterAll(fwk, snapshot, c.pod).get(c.node.metadata.name!)!;
      assert.equal(s.code === 'Success' ? '' : `${s.code}: ${s.reasons.join(', ')}`, c.want);
      if (s.code !== 'Success') assert.equal(s.plugin, c.plugin);
    });
  }
});
