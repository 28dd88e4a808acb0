// Pod subresources and graceful deletion through the real kubectl: binding (the scheduler's write),
// eviction (PodDisruptionBudgets respected), and deletion that waits for the node when a pod has one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type TestCluster } from './support/cluster.ts';

interface Pod {
  metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  spec: { nodeName?: string };
  status: { conditions?: { type: string; status: string }[] };
}

describe('pods: binding, eviction, graceful deletion', () => {
  let c: TestCluster;
  const pod = async (name: string): Promise<Pod> =>
    JSON.parse(await c.kubectl('get', 'pod', name, '-o', 'json')) as Pod;
  const binding = (name: string, node: string): string =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name },
      target: { kind: 'Node', name: node },
    });
  const bindingPath = (name: string): string => `/api/v1/namespaces/default/pods/${name}/binding`;

  before(async () => {
    c = await startCluster();
  });
  after(() => c.stop());

  it('binds a pod to a node once', async () => {
    await c.kubectl('run', 'bound', '--image=busybox:1.36', '--restart=Never');
    const out = await c.kubectlWith(
      binding('bound', 'node-a'),
      'create',
      '--raw',
      bindingPath('bound'),
      '-f',
      '-',
    );
    assert.equal((JSON.parse(out) as { status: string }).status, 'Success');
    const p = await pod('bound');
    assert.equal(p.spec.nodeName, 'node-a');
    assert.deepEqual(
      p.status.conditions?.filter((x) => x.type === 'PodScheduled').map((x) => x.status),
      ['True'],
    );
    assert.match(
      await c.kubectlFailsWith(
        binding('bound', 'node-b'),
        'create',
        '--raw',
        bindingPath('bound'),
        '-f',
        '-',
      ),
      /already assigned to node "node-a"/,
    );
    assert.match(
      await c.kubectl('get', 'pods', '--field-selector', 'spec.nodeName=node-a', '-o', 'name'),
      /^pod\/bound$/m,
    );
  });

  it('deletes a pod on a node gracefully, and at once with --force --grace-period=0', async () => {
    assert.match(await c.kubectl('delete', 'pod', 'bound', '--wait=false'), /pod "bound" deleted/);
    const p = await pod('bound');
    assert.ok(p.metadata.deletionTimestamp, 'marked for deletion');
    assert.equal(p.metadata.deletionGracePeriodSeconds, 30);
    assert.match(await c.kubectl('get', 'pod', 'bound', '--no-headers'), /^bound\s+0\/1\s+Terminating\s/);
    await c.kubectl('delete', 'pod', 'bound', '--grace-period=0', '--force');
    assert.match(await c.kubectlFails('get', 'pod', 'bound'), /pods "bound" not found/);
  });

  it('deletes an unscheduled pod at once', async () => {
    await c.kubectl('run', 'loose', '--image=busybox:1.36', '--restart=Never');
    await c.kubectl('delete', 'pod', 'loose', '--wait=false');
    assert.match(await c.kubectlFails('get', 'pod', 'loose'), /not found/);
  });

  it('evicts only while the disruption budget allows it', async () => {
    await c.kubectl('run', 'guarded', '--image=busybox:1.36', '--restart=Never', '--labels=app=guarded');
    await c.kubectl('run', 'free', '--image=busybox:1.36', '--restart=Never', '--labels=app=free');
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'guard' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    };
    const hasPdb = (await c.kubectl('api-resources', '--api-group=policy', '-o', 'name')).includes(
      'poddisruptionbudgets',
    );
    if (hasPdb) await c.kubectlWith(JSON.stringify(pdb), 'create', '--validate=false', '-f', '-');
    const eviction = (name: string): string =>
      JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
    const path = (name: string): string => `/api/v1/namespaces/default/pods/${name}/eviction`;
    if (hasPdb) {
      // A new budget has no status yet: no disruption is allowed.
      assert.match(
        await c.kubectlFailsWith(eviction('guarded'), 'create', '--raw', path('guarded'), '-f', '-'),
        /Cannot evict pod as it would violate the pod's disruption budget/,
      );
      assert.ok(await pod('guarded'));
    }
    await c.kubectlWith(eviction('free'), 'create', '--raw', path('free'), '-f', '-');
    assert.match(await c.kubectlFails('get', 'pod', 'free'), /not found/);
  });

  it('sets spec.priority from the PriorityClass (Priority admission)', async () => {
    const pod = (name: string, cls: string): string =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { priorityClassName: cls, containers: [{ name: 'c', image: 'busybox:1.36' }] },
      });
    await c.kubectlWith(pod('critical', 'system-node-critical'), 'create', '--validate=false', '-f', '-');
    assert.equal(await c.kubectl('get', 'pod', 'critical', '-o', 'jsonpath={.spec.priority}'), '2000001000');
    assert.match(
      await c.kubectlFailsWith(pod('nowhere', 'no-such-class'), 'create', '--validate=false', '-f', '-'),
      /pods "nowhere" is forbidden: no PriorityClass with name no-such-class was found/,
    );
    assert.match(
      await c.kubectl('get', 'priorityclasses', '--no-headers'),
      /^system-cluster-critical\s+2000000000\s+false/m,
    );
  });

  it('gives a new pod the default service account and 300 s tolerations of not-ready/unreachable nodes', async () => {
    await c.kubectl('run', 'defaults', '--image=busybox:1.36', '--restart=Never');
    const pod = JSON.parse(await c.kubectl('get', 'pod', 'defaults', '-o', 'json')) as {
      spec: {
        serviceAccountName: string;
        tolerations: { key: string; effect: string; tolerationSeconds: number }[];
      };
    };
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.deepEqual(
      pod.spec.tolerations.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
      ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
    );
  });
});
