import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  daemonPodTemplate,
  nodeNameAffinity,
  nodeShouldRunDaemonPod,
  targetNodeName,
  toleratesTaint,
} from './placement.ts';
import type { DaemonSet, Node, Taint } from './types.ts';

const node = (
  name: string,
  o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {},
): Node => ({
  metadata: { name, labels: o.labels ?? {} },
  spec: { taints: o.taints, unschedulable: o.unschedulable },
});
const ds = (spec: Record<string, unknown> = {}): DaemonSet => ({
  metadata: {
    name: 'agent',
    namespace: 'default',
    annotations: { 'deprecated.daemonset.template.generation': '4' },
  },
  spec: {
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c' }], ...spec } },
  },
});

describe('daemon pod placement', () => {
  const cases: { name: string; node: Node; ds: DaemonSet; want: [boolean, boolean] }[] = [
    { name: 'plain node', node: node('a'), ds: ds(), want: [true, true] },
    {
      name: 'cordoned (unschedulable taint tolerated)',
      node: node('a', {
        unschedulable: true,
        taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
      }),
      ds: ds(),
      want: [true, true],
    },
    {
      name: 'not ready NoExecute tolerated',
      node: node('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }),
      ds: ds(),
      want: [true, true],
    },
    {
      name: 'network unavailable without hostNetwork',
      node: node('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }),
      ds: ds(),
      want: [false, true],
    },
    {
      name: 'network unavailable with hostNetwork',
      node: node('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }),
      ds: ds({ hostNetwork: true }),
      want: [true, true],
    },
    {
      name: 'NoSchedule taint: keep running',
      node: node('a', { taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] }),
      ds: ds(),
      want: [false, true],
    },
    {
      name: 'NoExecute taint: evict',
      node: node('a', { taints: [{ key: 'x', value: 'y', effect: 'NoExecute' }] }),
      ds: ds(),
      want: [false, false],
    },
    {
      name: 'tolerated NoExecute',
      node: node('a', { taints: [{ key: 'x', value: 'y', effect: 'NoExecute' }] }),
      ds: ds({ tolerations: [{ key: 'x', operator: 'Equal', value: 'y' }] }),
      want: [true, true],
    },
    {
      name: 'PreferNoSchedule ignored',
      node: node('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }),
      ds: ds(),
      want: [true, true],
    },
    {
      name: 'nodeSelector matches',
      node: node('a', { labels: { disk: 'ssd' } }),
      ds: ds({ nodeSelector: { disk: 'ssd' } }),
      want: [true, true],
    },
    {
      name: 'nodeSelector misses',
      node: node('a', { labels: { disk: 'hdd' } }),
      ds: ds({ nodeSelector: { disk: 'ssd' } }),
      want: [false, false],
    },
    {
      name: 'required affinity',
      node: node('a', { labels: { zone: 'z1' } }),
      ds: ds({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] },
                { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
              ],
            },
          },
        },
      }),
      want: [true, true],
    },
    {
      name: 'required affinity misses',
      node: node('a', { labels: {} }),
      ds: ds({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }],
            },
          },
        },
      }),
      want: [false, false],
    },
    { name: 'template nodeName elsewhere', node: node('a'), ds: ds({ nodeName: 'b' }), want: [false, false] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = nodeShouldRunDaemonPod(c.node, c.ds);
      assert.deepEqual([r.shouldRun, r.shouldContinueRunning], c.want);
    });
  }

  it('tolerations: Exists with an empty key matches every taint; Equal compares values', () => {
    assert.ok(toleratesTaint({ operator: 'Exists' }, { key: 'k', effect: 'NoSchedule' }));
    assert.ok(!toleratesTaint({ key: 'k', value: 'a' }, { key: 'k', value: 'b', effect: 'NoSchedule' }));
    assert.ok(
      !toleratesTaint(
        { key: 'k', operator: 'Exists', effect: 'NoExecute' },
        { key: 'k', effect: 'NoSchedule' },
      ),
    );
  });

  it('pins a pod to its node by affinity, adds default tolerations and the hash / generation labels', () => {
    const affinity = nodeNameAffinity({ podAntiAffinity: {} }, 'n1');
    assert.deepEqual(affinity.podAntiAffinity, {});
    assert.equal(targetNodeName({ affinity } as never), 'n1');
    assert.equal(targetNodeName({ nodeName: 'n2', affinity } as never), 'n2');
    const t = daemonPodTemplate(
      ds({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] }),
      'h1',
    );
    assert.deepEqual(t.metadata?.labels, {
      app: 'agent',
      'pod-template-generation': '4',
      'controller-revision-hash': 'h1',
    });
    const tolerations = t.spec?.['tolerations'] as { key: string }[];
    assert.equal(tolerations.length, 6);
  });
});
