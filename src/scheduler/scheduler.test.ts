import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, makeNode, makePod } from './testing.ts';
import { type SchedulerEvent, Scheduler, type SchedulerOptions, type StatusUpdater } from './scheduler.ts';
import type { Node, Pod } from './types.ts';

function harness(nodes: Node[], extra: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const pods = new Map<string, Pod>();
  const bound = new Map<string, string>();
  const events: SchedulerEvent[] = [];
  const updates: Parameters<StatusUpdater['updatePodStatus']>[] = [];
  const evicted: string[] = [];
  const sched: Scheduler = new Scheduler({
    clock,
    random: () => 0,
    binder: {
      bind: async (pod, node) => {
        bound.set(pod.metadata.name!, node);
        const old = pods.get(pod.metadata.name!)!;
        const now = { ...old, spec: { ...old.spec, nodeName: node } };
        pods.set(pod.metadata.name!, now);
        sched.onPodUpdate(old, now);
      },
    },
    recorder: { event: (e) => events.push(e) },
    statusUpdater: { updatePodStatus: async (...a) => void updates.push(a) },
    evictor: {
      evict: async (victim) => {
        evicted.push(victim.metadata.name!);
        pods.delete(victim.metadata.name!);
        sched.onPodDelete(victim);
      },
    },
    ...extra,
  });
  for (const n of nodes) sched.onNodeAdd(n);
  const ac = new AbortController();
  const running = sched.run(ac.signal);
  return {
    sched,
    clock,
    bound,
    events,
    updates,
    evicted,
    add(pod: Pod) {
      pods.set(pod.metadata.name!, pod);
      sched.onPodAdd(pod);
    },
    failures: () => events.filter((e) => e.reason === 'FailedScheduling').map((e) => e.message),
    async stop() {
      ac.abort();
      await running;
    },
  };
}

const replica = (name: string, extra: Parameters<typeof makePod>[1] = {}): Pod => {
  const p = makePod(name, { cpu: '500m', memory: '1Gi', labels: { app: 'web' }, ...extra });
  p.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs', controller: true },
  ];
  return p;
};

describe('Scheduler end to end in memory', () => {
  it('spreads replicas across nodes', async () => {
    const h = harness([makeNode('n1'), makeNode('n2'), makeNode('n3')]);
    for (let i = 0; i < 6; i++) h.add(replica(`web-${i}`));
    await h.sched.settle();
    const perNode = new Map<string, number>();
    for (const n of h.bound.values()) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    assert.deepEqual([...perNode.values()], [2, 2, 2]);
    assert.equal(h.events.filter((e) => e.reason === 'Scheduled').length, 6);
    assert.match(h.events[0]!.message, /^Successfully assigned default\/web-\d to n\d$/);
    await h.stop();
  });

  it('reports Insufficient cpu and untolerated taints in the aggregated message', async () => {
    const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' as const };
    const h = harness([makeNode('n1', { taints: [unreachable] }), makeNode('n2'), makeNode('n3')]);
    h.add(makePod('big', { cpu: '8' }));
    await h.sched.settle();
    assert.deepEqual(h.failures(), [
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ]);
    const [pod, update] = h.updates[0]!;
    assert.equal(pod.metadata.name, 'big');
    assert.equal(update.condition.reason, 'Unschedulable');
    assert.equal(update.condition.status, 'False');
    assert.equal(h.sched.queue.stats().unschedulable, 1);
    await h.stop();
  });

  it('says no victims when lower-priority pods are missing', async () => {
    const h = harness([makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })]);
    h.add(makePod('a', { cpu: '1' }));
    h.add(makePod('b', { cpu: '1' }));
    await h.sched.settle();
    h.add(makePod('c', { cpu: '1' }));
    await h.sched.settle();
    assert.deepEqual(h.failures(), [
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    ]);
    await h.stop();
  });

  it('honours taints and tolerations', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const h = harness([makeNode('tainted', { taints: [taint] }), makeNode('plain')]);
    h.add(makePod('no-toleration', { cpu: '100m' }));
    h.add(
      makePod('tolerates', {
        cpu: '100m',
        spec: {
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
          nodeSelector: { 'kubernetes.io/hostname': 'tainted' },
        },
      }),
    );
    await h.sched.settle();
    assert.equal(h.bound.get('no-toleration'), 'plain');
    assert.equal(h.bound.get('tolerates'), 'tainted');
    await h.stop();
  });

  it('follows required node affinity and reports a mismatch', async () => {
    const h = harness([makeNode('a1', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } })]);
    const affinity = (zone: string) => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: [zone] }] },
          ],
        },
      },
    });
    h.add(makePod('to-b', { spec: { affinity: affinity('b') } }));
    h.add(makePod('to-c', { spec: { affinity: affinity('c') } }));
    await h.sched.settle();
    assert.equal(h.bound.get('to-b'), 'b1');
    assert.deepEqual(h.failures(), [
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    ]);
    // A node with the label arrives: NodeAffinity's queueing hint moves the pod back.
    h.sched.onNodeAdd(makeNode('c1', { labels: { zone: 'c' } }));
    h.clock.advance(1100);
    await h.sched.settle();
    assert.equal(h.bound.get('to-c'), 'c1');
    await h.stop();
  });

  it('keeps replicas with required anti-affinity apart', async () => {
    const h = harness([makeNode('n1'), makeNode('n2'), makeNode('n3')]);
    const anti = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    for (let i = 0; i < 4; i++)
      h.add(makePod(`db-${i}`, { labels: { app: 'db' }, spec: { affinity: anti } }));
    await h.sched.settle();
    assert.equal(new Set(h.bound.values()).size, 3);
    assert.equal(h.bound.size, 3);
    assert.deepEqual(h.failures(), [
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    ]);
    await h.stop();
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    const h = harness([makeNode('n1', { cpu: '4' })]);
    h.add(makePod('low', { cpu: '3', priority: 0 }));
    await h.sched.settle();
    assert.equal(h.bound.get('low'), 'n1');
    h.add(makePod('high', { cpu: '2', priority: 1000 }));
    await h.sched.settle();
    assert.deepEqual(h.evicted, ['low']);
    const preempted = h.events.find((e) => e.reason === 'Preempted')!;
    assert.equal(preempted.object.metadata.name, 'low');
    assert.equal(preempted.message, 'Preempted by pod uid-default-high on node n1');
    const update = h.updates.find(([p]) => p.metadata.name === 'high')![1];
    assert.equal(update.nominatedNodeName, 'n1');
    assert.deepEqual(h.failures(), ['0/1 nodes are available: 1 Insufficient cpu.']);
    // The victim's deletion moved the preemptor to backoff; after it, the pod binds.
    h.clock.advance(1100);
    await h.sched.settle();
    assert.equal(h.bound.get('high'), 'n1');
    await h.stop();
  });

  it('ignores pods for another scheduler and binds pods of its profiles', async () => {
    const h = harness([makeNode('n1')], {
      config: { profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'other' }] },
    });
    h.add(makePod('mine', { spec: { schedulerName: 'other' } }));
    h.add(makePod('theirs', { spec: { schedulerName: 'someone-else' } }));
    await h.sched.settle();
    assert.equal(h.bound.get('mine'), 'n1');
    assert.equal(h.bound.has('theirs'), false);
    await h.stop();
  });

  it('forgets the pod and retries when binding fails', async () => {
    let fail = true;
    const h = harness([makeNode('n1', { cpu: '1' })]);
    const binder = h.sched.frameworks.get('default-scheduler')!.binder;
    const realBind = binder.bind.bind(binder);
    binder.bind = async (pod, node) => {
      if (fail) {
        fail = false;
        throw new Error('connection refused');
      }
      return realBind(pod, node);
    };
    h.add(makePod('p', { cpu: '1' }));
    await h.sched.settle();
    assert.deepEqual(h.failures(), ['connection refused']);
    assert.equal(h.sched.cache.nodeCount, 1);
    assert.equal(h.sched.queue.stats().backoff, 1);
    h.clock.advance(1100);
    await h.sched.settle();
    assert.equal(h.bound.get('p'), 'n1');
    await h.stop();
  });
});
