// The scheduler end to end (issue 7): runScheduler against a real in-process navis server, fake
// Node objects created through the API (no agent runs them), pods from the real kubectl. Placement,
// the user-facing failure reasons (PodScheduled=False, FailedScheduling events, kubectl describe),
// taints, node affinity, pod anti-affinity, preemption and other schedulers' pods.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RestClient, resources } from '../src/client/index.ts';
import { createLogger } from '../src/log.ts';
import { runScheduler } from '../src/scheduler/index.ts';
import { startCluster, type TestCluster } from './support/cluster.ts';

interface PodJson {
  metadata: { name: string; namespace: string; deletionTimestamp?: string; uid: string };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    nominatedNodeName?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface EventJson {
  involvedObject: { name?: string; namespace?: string };
  reason: string;
  message: string;
  type: string;
  source?: { component?: string };
  reportingComponent?: string;
}

const nodeNames = ['node-a', 'node-b', 'node-c'];
const zoneOf: Record<string, string> = { 'node-a': 'zone-1', 'node-b': 'zone-2', 'node-c': 'zone-1' };

function nodeManifest(name: string): object {
  const resources = { cpu: '4', memory: '32Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': zoneOf[name]!,
      },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node' }],
    },
  };
}

function podManifest(
  name: string,
  o: {
    cpu?: string;
    labels?: Record<string, string>;
    spec?: Record<string, unknown>;
  } = {},
): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { run: name, ...o.labels } },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'registry.k8s.io/pause:3.10',
          ...(o.cpu === undefined ? {} : { resources: { requests: { cpu: o.cpu, memory: '128Mi' } } }),
        },
      ],
      ...o.spec,
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the scheduler against a real server', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let scheduling: Promise<void>;

  const create = (...objs: object[]): Promise<string> =>
    c.kubectlWith(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }),
      'create',
      '-f',
      '-',
      '--validate=false',
    );
  const getPod = async (name: string): Promise<PodJson | undefined> => {
    try {
      return await client.resource<PodJson>(resources.pods).get(name, { namespace: 'default' });
    } catch {
      return undefined;
    }
  };
  const boundPod = (name: string): Promise<PodJson> =>
    waitFor(`${name} to be bound`, async () => {
      const p = await getPod(name);
      return p?.spec.nodeName ? p : undefined;
    });
  const unschedulable = (name: string): Promise<{ pod: PodJson; message: string }> =>
    waitFor(`${name} to be unschedulable`, async () => {
      const pod = await getPod(name);
      const cond = pod?.status.conditions?.find((x) => x.type === 'PodScheduled');
      if (pod === undefined || cond === undefined) return undefined;
      assert.equal(cond.status, 'False');
      assert.equal(cond.reason, 'Unschedulable');
      return { pod, message: cond.message ?? '' };
    });
  const events = async (): Promise<EventJson[]> =>
    (JSON.parse(await c.kubectl('get', 'events', '-o', 'json')) as { items: EventJson[] }).items;
  const eventsOf = async (name: string, reason: string): Promise<EventJson[]> =>
    (await events()).filter((e) => e.involvedObject.name === name && e.reason === reason);
  const deletePods = (...names: string[]): Promise<string> =>
    c.kubectl('delete', 'pod', ...names, '--grace-period=0', '--force', '--wait=false');

  before(async () => {
    c = await startCluster();
    client = RestClient.fromKubeconfig(c.kubeconfig);
    await create(...nodeNames.map(nodeManifest));
    scheduling = runScheduler({
      client,
      log: createLogger({ level: 'warn' }),
      identity: 'test-scheduler',
      signal: ac.signal,
      retryPeriodMs: 500,
      renewDeadlineMs: 1000,
      leaseDurationMs: 2000,
    });
  });
  after(async () => {
    ac.abort();
    await scheduling;
    client.close();
    await c.stop();
  });

  it('holds the kube-scheduler Lease', async () => {
    const holder = await waitFor('the lease', async () => {
      try {
        const out = await c.kubectl(
          'get',
          'lease',
          'kube-scheduler',
          '-n',
          'kube-system',
          '-o',
          'jsonpath={.spec.holderIdentity}',
        );
        return out === '' ? undefined : out;
      } catch {
        return undefined;
      }
    });
    // navis server runs a scheduler of its own: whichever of the two holds the Lease schedules.
    assert.ok(holder === 'test-scheduler' || holder.includes('_'), `unexpected holder ${holder}`);
  });

  it('spreads pods from kubectl run across nodes and records Scheduled events', async () => {
    for (const name of ['web-1', 'web-2', 'web-3'])
      await c.kubectl('run', name, '--image=registry.k8s.io/pause:3.10');
    const placed = await Promise.all(['web-1', 'web-2', 'web-3'].map(boundPod));
    const nodes = placed.map((p) => p.spec.nodeName!);
    // LeastAllocated with the non-zero default requests (100m, 200Mi) puts each on an empty node.
    assert.deepEqual([...new Set(nodes)].sort(), nodeNames);
    const ev = await waitFor('Scheduled events', async () => {
      const e = (await events()).filter((x) => x.reason === 'Scheduled');
      return e.length >= 3 ? e : undefined;
    });
    for (const p of placed) {
      const e = ev.find((x) => x.involvedObject.name === p.metadata.name);
      assert.ok(e, `Scheduled event of ${p.metadata.name}`);
      assert.equal(e.type, 'Normal');
      assert.equal(e.message, `Successfully assigned default/${p.metadata.name} to ${p.spec.nodeName}`);
      assert.equal(e.source?.component, 'default-scheduler');
      assert.equal(e.reportingComponent, 'default-scheduler');
    }
    const wide = await c.kubectl('get', 'pods', '-o', 'wide');
    for (const p of placed)
      assert.match(wide, new RegExp(`^${p.metadata.name}\\s.*\\s${p.spec.nodeName}\\s`, 'm'));
    assert.match(
      await c.kubectl('describe', 'pod', 'web-1'),
      /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/web-1 to node-/,
    );
  });

  it('leaves a pod that fits nowhere Pending with the aggregated reason', async () => {
    await create(podManifest('huge', { cpu: '8' }));
    const { pod, message } = await unschedulable('huge');
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.spec.nodeName, undefined);
    // More than any node's allocatable is UnschedulableAndUnresolvable (upstream's NodeResourcesFit
    // since 1.31), so preemption does not even look for victims.
    const expected =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    assert.equal(message, expected);
    const failed = await waitFor('FailedScheduling', async () => {
      const e = await eventsOf('huge', 'FailedScheduling');
      return e.length > 0 ? e : undefined;
    });
    assert.equal(failed[0]!.type, 'Warning');
    assert.equal(failed[0]!.message, expected);
    const described = await c.kubectl('describe', 'pod', 'huge');
    assert.match(described, /Status:\s+Pending/);
    assert.match(described, /PodScheduled\s+False/);
    assert.match(
      described,
      /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\./,
    );
    await deletePods('huge');
  });

  it('keeps pods off tainted nodes unless they tolerate the taint, and retries when the taint goes', async () => {
    await c.kubectl('taint', 'nodes', '--all', 'dedicated=infra:NoSchedule');
    await create(
      podManifest('intolerant'),
      podManifest('tolerant', {
        spec: {
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
        },
      }),
    );
    await boundPod('tolerant');
    const { message } = await unschedulable('intolerant');
    assert.equal(
      message,
      '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: infra}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    // The taint's removal is a Node update that the TaintToleration plugin registered for.
    await c.kubectl('taint', 'nodes', '--all', 'dedicated=infra:NoSchedule-');
    await boundPod('intolerant');
    await deletePods('intolerant', 'tolerant');
  });

  it('honours required node affinity', async () => {
    const affinity = (zone: string): Record<string, unknown> => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] },
            ],
          },
        },
      },
    });
    await create(
      podManifest('zone-2-pod', { spec: affinity('zone-2') }),
      podManifest('zone-9-pod', { spec: affinity('zone-9') }),
    );
    assert.equal((await boundPod('zone-2-pod')).spec.nodeName, 'node-b');
    const { message } = await unschedulable('zone-9-pod');
    assert.match(
      message,
      /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\. preemption: /,
    );
    await deletePods('zone-2-pod', 'zone-9-pod');
  });

  it('keeps replicas with required pod anti-affinity on different nodes', async () => {
    const replica = (name: string): object =>
      podManifest(name, {
        labels: { app: 'spread' },
        spec: {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: { app: 'spread' } }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        },
      });
    await create(replica('spread-1'), replica('spread-2'), replica('spread-3'), replica('spread-4'));
    const pods = await waitFor('three replicas bound', async () => {
      const all = await Promise.all(['spread-1', 'spread-2', 'spread-3', 'spread-4'].map(getPod));
      const bound = all.filter((p) => p?.spec.nodeName);
      return bound.length === 3 ? all : undefined;
    });
    const nodes = pods.flatMap((p) => (p?.spec.nodeName ? [p.spec.nodeName] : []));
    assert.deepEqual([...nodes].sort(), nodeNames);
    const left = pods.find((p) => !p?.spec.nodeName)!;
    const { message } = await unschedulable(left.metadata.name);
    assert.match(
      message,
      /^0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: /,
    );
    await deletePods('spread-1', 'spread-2', 'spread-3', 'spread-4');
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    const priorityClass = (name: string, value: number): object => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
    });
    await create(priorityClass('low', 100), priorityClass('high', 1000));
    // navis has no Priority admission plugin yet: the pods carry the class's value themselves.
    const withPriority = (cls: string, value: number): Record<string, unknown> => ({
      priorityClassName: cls,
      priority: value,
    });
    await create(
      ...['low-1', 'low-2', 'low-3'].map((n) => podManifest(n, { cpu: '3', spec: withPriority('low', 100) })),
    );
    const lows = await Promise.all(['low-1', 'low-2', 'low-3'].map(boundPod));
    assert.deepEqual(lows.map((p) => p.spec.nodeName).sort(), nodeNames);
    await create(podManifest('urgent', { cpu: '3', spec: withPriority('high', 1000) }));

    // The victim is marked and deleted gracefully: it stays Terminating, as on a node its agent
    // would stop it; the preemptor waits nominated to that node.
    const victim = await waitFor('a preemption victim', async () => {
      const all = await Promise.all(['low-1', 'low-2', 'low-3'].map(getPod));
      return all.find((p) => p?.metadata.deletionTimestamp !== undefined);
    });
    const node = victim.spec.nodeName!;
    const target = victim.status.conditions?.find((x) => x.type === 'DisruptionTarget');
    assert.equal(target?.status, 'True');
    assert.equal(target?.reason, 'PreemptionByScheduler');
    const urgent = await waitFor('the nomination', async () => {
      const p = await getPod('urgent');
      return p?.status.nominatedNodeName ? p : undefined;
    });
    assert.equal(urgent.status.nominatedNodeName, node);
    assert.equal(urgent.spec.nodeName, undefined);
    const preempted = await waitFor('the Preempted event', async () => {
      const e = await eventsOf(victim.metadata.name, 'Preempted');
      return e.length > 0 ? e[0] : undefined;
    });
    assert.match(preempted.message, new RegExp(`^Preempted by pod ${urgent.metadata.uid} on node ${node}$`));

    // What the kubelet does once the container stopped: the final, forced delete.
    await deletePods(victim.metadata.name);
    assert.equal((await boundPod('urgent')).spec.nodeName, node);
    const survivors = await Promise.all(
      lows.filter((p) => p.metadata.name !== victim.metadata.name).map((p) => getPod(p.metadata.name)),
    );
    for (const s of survivors) assert.equal(s?.metadata.deletionTimestamp, undefined);
    await deletePods('urgent', ...survivors.map((s) => s!.metadata.name));
  });

  it('leaves pods of another scheduler alone', async () => {
    await create(podManifest('theirs', { spec: { schedulerName: 'other-scheduler' } }));
    await create(podManifest('ours'));
    await boundPod('ours');
    await sleep(200);
    const theirs = await getPod('theirs');
    assert.equal(theirs?.spec.nodeName, undefined);
    assert.equal(theirs?.status.conditions, undefined);
    assert.equal((await eventsOf('theirs', 'FailedScheduling')).length, 0);
    await deletePods('theirs', 'ours');
  });
});
