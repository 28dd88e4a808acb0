// The node lifecycle, pod garbage collector and disruption controllers against an in-process navis
// server, driven by the real kubectl. The test runs its own copies (short periods) next to the server,
// whose copies stay off; it plays the kubelet by writing node status and renewing the node's Lease.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound, resources, RestClient } from '../../src/client/index.ts';
import { DisruptionController } from '../../src/controllers/disruption/index.ts';
import type { Pod } from '../../src/controllers/framework/index.ts';
import { type Lease, type Node, NodeLifecycleController } from '../../src/controllers/nodelifecycle/index.ts';
import { PodGCController } from '../../src/controllers/podgc/index.ts';

import { startCluster, type TestCluster } from '../support/cluster.ts';
import { markPodReady, runOwnControllers, waitFor } from '../support/controllers.ts';

const microTime = (): string => new Date().toISOString().replace('Z', '000Z');

describe('node lifecycle, pod gc and disruption controllers', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let running: Promise<void>;

  before(async () => {
    c = await startCluster({
      controllers: ['*', '-node-lifecycle', '-pod-garbage-collector', '-disruption'],
    });
    client = RestClient.fromKubeconfig(c.kubeconfig);
    running = runOwnControllers(
      client,
      [
        new NodeLifecycleController({ nodeMonitorGracePeriodMs: 2_000, nodeMonitorPeriodMs: 200 }),
        new PodGCController({ gcCheckPeriodMs: 200, quarantineMs: 0 }),
        new DisruptionController(),
      ],
      ac.signal,
    );
  });
  after(async () => {
    ac.abort();
    await running;
    client.close();
    await c.stop();
  });

  const pods = () => client.resource<Pod>(resources.pods);
  const podGoneOrDeleting = async (name: string): Promise<boolean> => {
    try {
      return (await pods().get(name, { namespace: 'default' })).metadata.deletionTimestamp !== undefined;
    } catch (e: unknown) {
      if (isNotFound(e)) return true;
      throw e;
    }
  };
  const createPod = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
    pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
    });

  it('marks a node whose Lease stops renewing Unknown, taints it and evicts its pod', async () => {
    const nodes = client.resource<Node>(resources.nodes);
    const leases = client.resource<Lease>(resources.leases);
    await c.kubectl('create', 'namespace', 'kube-node-lease').catch(() => '');
    const node = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await nodes.updateStatus({
      ...node,
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
      },
    });
    const lease = await leases.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'n1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: microTime() },
    });
    // Admission gives every pod 300 s of the unreachable taint (DefaultTolerationSeconds); this one
    // asks for none.
    await createPod('victim', {
      nodeName: 'n1',
      tolerations: [
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 0,
        },
      ],
    });
    await createPod('tolerant', {
      nodeName: 'n1',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
    });
    // The "kubelet" renews the Lease for longer than the grace period: the node stays Ready.
    let current = lease;
    for (let i = 0; i < 12; i++) {
      current = await leases.update({ ...current, spec: { ...current.spec, renewTime: microTime() } });
      await new Promise((r) => setTimeout(r, 250));
    }
    const ready = () =>
      c.kubectl('get', 'node', 'n1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}');
    assert.equal(await ready(), 'True');
    // It stops: Unknown, tainted unreachable, the pod tolerating it for 0 s evicted.
    await waitFor('node Unknown', async () => (await ready()) === 'Unknown', { timeoutMs: 8_000 });
    const reason = await c.kubectl(
      'get',
      'node',
      'n1',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].reason}',
    );
    assert.equal(reason, 'NodeStatusUnknown');
    const taints = await waitFor('unreachable taints', async () => {
      const t = await c.kubectl(
        'get',
        'node',
        'n1',
        '-o',
        'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}',
      );
      return t.includes('node.kubernetes.io/unreachable:NoExecute') ? t : undefined;
    });
    assert.match(taints, /node\.kubernetes\.io\/unreachable:NoSchedule/);
    await waitFor('victim evicted', () => podGoneOrDeleting('victim'));
    assert.equal(await podGoneOrDeleting('tolerant'), false);
    const podReady = await c.kubectl(
      'get',
      'pod',
      'tolerant',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    );
    assert.notEqual(podReady, 'True');
    // The kubelet comes back: Ready True again, the taints go.
    const later = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const silent = await nodes.get('n1');
    await nodes.updateStatus({
      ...silent,
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: later,
            lastTransitionTime: later,
          },
        ],
      },
    });
    await waitFor('taints removed', async () => {
      const t = await c.kubectl('get', 'node', 'n1', '-o', 'jsonpath={.spec.taints}');
      return t === '' || t === '[]';
    });
  });

  it('removes a pod bound to a node that does not exist', async () => {
    await createPod('orphan', { nodeName: 'ghost' });
    await waitFor('orphan removed', async () => {
      try {
        await pods().get('orphan', { namespace: 'default' });
        return false;
      } catch (e: unknown) {
        if (isNotFound(e)) return true;
        throw e;
      }
    });
  });

  it('keeps PodDisruptionBudget status, and eviction spends it', async () => {
    for (const name of ['pdb-0', 'pdb-1', 'pdb-2']) {
      await markPodReady(client, await createPod(name, {}, { app: 'pdb' }));
    }
    await c.kubectl('create', 'poddisruptionbudget', 'budget', '--selector=app=pdb', '--min-available=2');
    const row = await waitFor('ALLOWED DISRUPTIONS 1', async () => {
      const out = await c.kubectl('get', 'pdb', 'budget', '--no-headers');
      return /^budget\s+2\s+N\/A\s+1\s/.test(out) ? out : undefined;
    });
    assert.match(row, /budget/);
    const status = JSON.parse(await c.kubectl('get', 'pdb', 'budget', '-o', 'jsonpath={.status}')) as Record<
      string,
      unknown
    >;
    assert.equal(status['currentHealthy'], 3);
    assert.equal(status['desiredHealthy'], 2);
    assert.equal(status['expectedPods'], 3);
    const eviction = (name: string): string =>
      JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
    await c.kubectlWith(
      eviction('pdb-0'),
      'create',
      '--raw',
      '/api/v1/namespaces/default/pods/pdb-0/eviction',
      '-f',
      '-',
    );
    const err = await c.kubectlFailsWith(
      eviction('pdb-1'),
      'create',
      '--raw',
      '/api/v1/namespaces/default/pods/pdb-1/eviction',
      '-f',
      '-',
    );
    assert.match(err, /disruption budget|TooManyRequests|429/i);
    await waitFor('no disruptions allowed', async () => {
      const out = await c.kubectl(
        'get',
        'pdb',
        'budget',
        '-o',
        'jsonpath={.status.disruptionsAllowed}/{.status.currentHealthy}',
      );
      return out === '0/2';
    });
    const cond = await c.kubectl(
      'get',
      'pdb',
      'budget',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="DisruptionAllowed")].reason}',
    );
    assert.equal(cond, 'InsufficientPods');
  });
});
