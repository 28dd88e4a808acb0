// The DaemonSet and StatefulSet controllers (and their ControllerRevisions) against a real navis
// server, driven by the real kubectl 1.32. Nodes are plain Node objects made through the API. The
// server's own scheduler binds the pods (daemon pods through the node-name affinity the controller
// sets, as upstream); the test plays the kubelet (pods Running and Ready, graceful deletions
// completed) and the pod garbage collector (pods bound to a deleted node removed).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/meta.ts';
import { resources, RestClient } from '../../src/client/index.ts';
import { DaemonSetController, type DaemonSet } from '../../src/controllers/daemonset/index.ts';
import type { Pod } from '../../src/controllers/framework/index.ts';
import { StatefulSetController, type StatefulSet } from '../../src/controllers/statefulset/index.ts';

import { startCluster, type TestCluster } from '../support/cluster.ts';
import { listPods, markPodReady, markPodsReady, runOwnControllers, waitFor } from '../support/controllers.ts';

/** Runs these controllers the way the manager does, until `signal` aborts. */
const alive = (pods: Pod[]): Pod[] => pods.filter((p) => p.metadata.deletionTimestamp === undefined);
const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();
const targetNode = (p: Pod): string | undefined => {
  const terms = (
    p.spec?.['affinity'] as
      | {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: {
              nodeSelectorTerms: { matchFields?: { values?: string[] }[] }[];
            };
          };
        }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms?.[0]?.matchFields?.[0]?.values?.[0];
};

describe('daemonset and statefulset controllers with the real kubectl', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let running: Promise<void>;

  before(async () => {
    // This test runs its own copies of these controllers: the server's stay off.
    c = await startCluster({ controllers: ['*', '-daemonset', '-statefulset'] });
    client = RestClient.fromKubeconfig(c.kubeconfig);
    running = runOwnControllers(client, [new DaemonSetController(), new StatefulSetController()], ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    client.close();
    await c.stop();
  });

  const nodes = () => client.resource<KubeObject>(resources.nodes);
  const addNode = async (name: string, labels: Record<string, string> = {}): Promise<void> => {
    const node = await nodes().create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
      spec: {},
    });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await nodes().updateStatus({
      ...node,
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
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
  };
  const pods = async (selector: string): Promise<Pod[]> => alive(await listPods(client, 'default', selector));
  /** The kubelet and PodGC: finish graceful deletions and remove pods bound to nodes that are gone. */
  const settle = async (selector: string, ready = false): Promise<void> => {
    const known = new Set((await nodes().list()).items.map((n) => n.metadata.name ?? ''));
    for (const p of await listPods(client, 'default', selector)) {
      const node = p.spec?.nodeName ?? '';
      if (p.metadata.deletionTimestamp === undefined && (node === '' || known.has(node))) continue;
      await client
        .resource<Pod>(resources.pods)
        .delete(p.metadata.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 })
        .catch(() => undefined);
    }
    if (ready) await markPodsReady(client, 'default', selector);
  };
  const daemonPodsOn = (selector: string, want: string[]): Promise<Pod[]> =>
    waitFor(`daemon pods on ${want.join(',')}`, async () => {
      await settle(selector);
      const p = await pods(selector);
      const on = p.map((x) => targetNode(x) ?? '').sort();
      return JSON.stringify(on) === JSON.stringify([...want].sort()) ? p : undefined;
    });
  const ds = (name: string) =>
    client.resource<DaemonSet>(resources.daemonsets).get(name, { namespace: 'default' });
  /** Plays the kubelet until the DaemonSet's status says every desired pod is updated and available. */
  const dsRolledOut = (name: string): Promise<DaemonSet> =>
    waitFor(`daemonset ${name} rolled out`, async () => {
      await settle(`app=${name}`, true);
      const d = await ds(name);
      const st = d.status ?? {};
      return (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        st.updatedNumberScheduled === st.desiredNumberScheduled &&
        st.numberAvailable === st.desiredNumberScheduled
        ? d
        : undefined;
    });
  const sts = (name: string) =>
    client.resource<StatefulSet>(resources.statefulsets).get(name, { namespace: 'default' });

  it('runs a daemon pod on every node, following nodes added, tainted and removed', async () => {
    await addNode('n1', { disk: 'ssd' });
    await addNode('n2', { disk: 'ssd' });
    await addNode('n3', { disk: 'hdd' });
    await c.kubectlWith(
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'agent', image: 'busybox:1.36' }] },
          },
        },
      }),
      'apply',
      '-f',
      '-',
      '--validate=false',
    );
    const first = await daemonPodsOn('app=agent', ['n1', 'n2']);
    for (const p of first) {
      assert.match(p.metadata.name ?? '', /^agent-[a-z0-9]{5}$/);
      assert.equal(p.metadata.labels?.['pod-template-generation'], '1');
      assert.match(p.metadata.labels?.['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'DaemonSet');
      const keys = ((p.spec?.['tolerations'] as { key: string }[] | undefined) ?? []).map((t) => t.key);
      for (const k of [
        'not-ready',
        'unreachable',
        'disk-pressure',
        'memory-pressure',
        'pid-pressure',
        'unschedulable',
      ])
        assert.ok(keys.includes(`node.kubernetes.io/${k}`), k);
    }
    // The scheduler binds each daemon pod to the node its affinity names.
    await waitFor('daemon pods bound', async () =>
      (await pods('app=agent')).every(
        (p) => p.spec?.nodeName !== undefined && p.spec.nodeName === targetNode(p),
      ),
    );
    await settle('app=agent', true);
    await dsRolledOut('agent');
    await c.kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s');
    const status = (await ds('agent')).status;
    assert.equal(status?.desiredNumberScheduled, 2);
    assert.equal(status?.numberAvailable, 2);

    // A node labelled to fit gets a pod; a NoExecute taint evicts; a NoSchedule taint does not.
    await c.kubectl('label', 'node', 'n3', 'disk=ssd', '--overwrite');
    await daemonPodsOn('app=agent', ['n1', 'n2', 'n3']);
    await c.kubectl('taint', 'node', 'n1', 'dedicated=db:NoSchedule');
    await c.kubectl('taint', 'node', 'n2', 'dedicated=db:NoExecute');
    await daemonPodsOn('app=agent', ['n1', 'n3']);
    // A cordoned node keeps its daemon pod (the unschedulable taint is tolerated).
    await c.kubectl('cordon', 'n3');
    await c.kubectl('delete', 'node', 'n3');
    await daemonPodsOn('app=agent', ['n1']);
    await addNode('n4', { disk: 'ssd' });
    await daemonPodsOn('app=agent', ['n1', 'n4']);
    await settle('app=agent', true);
    const s = await waitFor('status', async () => {
      await settle('app=agent', true);
      const st = (await ds('agent')).status;
      return st?.numberReady === 1 && st.numberAvailable === 1 ? st : undefined;
    });
    // n1's NoSchedule taint: not desired for new pods, the running pod counts as misscheduled.
    assert.equal(s.desiredNumberScheduled, 1);
    assert.equal(s.numberMisscheduled, 1);
  });

  it('rolls a DaemonSet update, lists its history and undoes it', async () => {
    await c.kubectl('taint', 'node', 'n1', 'dedicated=db:NoSchedule-');
    await c.kubectl('set', 'image', 'daemonset/agent', 'agent=busybox:1.37');
    const rolled = await waitFor('daemon pods updated', async () => {
      await settle('app=agent', true);
      const p = await pods('app=agent');
      return p.length === 2 && p.every((x) => x.metadata.labels?.['pod-template-generation'] === '2')
        ? p
        : undefined;
    });
    assert.ok(rolled.every((p) => p.spec?.containers?.[0]?.image === 'busybox:1.37'));
    await dsRolledOut('agent');
    await c.kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s');
    const history = await c.kubectl('rollout', 'history', 'daemonset/agent');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const revs = await c.kubectl('get', 'controllerrevisions', '-l', 'app=agent', '-o', 'name');
    assert.equal(revs.trim().split('\n').length, 2);
    await c.kubectl('rollout', 'undo', 'daemonset/agent');
    await waitFor('daemon pods rolled back', async () => {
      await settle('app=agent', true);
      const p = await pods('app=agent');
      return p.length === 2 && p.every((x) => x.spec?.containers?.[0]?.image === 'busybox:1.36')
        ? p
        : undefined;
    });
    await dsRolledOut('agent');
    await c.kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s');
    const after = await c.kubectl('rollout', 'history', 'daemonset/agent');
    assert.match(after, /\n2\s+<none>\n3\s+<none>/);
  });

  it('creates StatefulSet pods in order with their claims, and scales down in reverse', async () => {
    await c.kubectlWith(
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 3,
          serviceName: 'web',
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          ],
        },
      }),
      'apply',
      '-f',
      '-',
      '--validate=false',
    );
    for (let i = 0; i < 3; i++) {
      const pod = await waitFor(`web-${i}`, async () =>
        (await pods('app=web')).find((p) => p.metadata.name === `web-${i}`),
      );
      // OrderedReady: nothing after web-i until web-i is Running and Ready.
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        names(await pods('app=web')),
        Array.from({ length: i + 1 }, (_, j) => `web-${j}`),
      );
      assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], `web-${i}`);
      assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], String(i));
      assert.equal(pod.spec?.['hostname'], `web-${i}`);
      assert.equal(pod.spec?.['subdomain'], 'web');
      const volumes = pod.spec?.['volumes'] as {
        name: string;
        persistentVolumeClaim?: { claimName: string };
      }[];
      assert.equal(volumes.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, `data-web-${i}`);
      await c.kubectl('get', 'pvc', `data-web-${i}`);
      await markPodReady(
        client,
        await client.resource<Pod>(resources.pods).get(`web-${i}`, { namespace: 'default' }),
      );
    }
    const out = await c.kubectl('rollout', 'status', 'statefulset/web', '--timeout=20s');
    assert.match(out, /partitioned roll out complete: 3 new pods have been updated/);
    const set = await sts('web');
    assert.equal(set.status?.readyReplicas, 3);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    assert.equal(
      (await pods('app=web'))[0]?.metadata.labels?.['controller-revision-hash'],
      set.status?.updateRevision,
    );
    const events = await c.kubectl(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web',
      '-o',
      'jsonpath={.items[*].message}',
    );
    assert.match(events, /create Pod web-0 in StatefulSet web successful/);
    assert.match(events, /create Claim data-web-0 Pod web-0 in StatefulSet web success/);

    // Scale down: web-2 goes before web-1; claims stay (whenScaled: Retain).
    await c.kubectl('scale', 'statefulset/web', '--replicas=1');
    await waitFor(
      'scaled to 1',
      async () => {
        await settle('app=web');
        const now = names(await pods('app=web'));
        assert.ok(!(now.includes('web-2') && !now.includes('web-1')), `out of order: ${now.join(',')}`);
        return now.length === 1 ? now : undefined;
      },
      { intervalMs: 10 },
    );
    await c.kubectl('get', 'pvc', 'data-web-2');
  });

  it('rolls a StatefulSet update in reverse ordinal order, honouring the partition', async () => {
    await c.kubectl('scale', 'statefulset/web', '--replicas=3');
    await waitFor('3 ready', async () => {
      await settle('app=web', true);
      return (await sts('web')).status?.readyReplicas === 3;
    });
    await c.kubectl(
      'patch',
      'statefulset/web',
      '-p',
      '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}',
    );
    await c.kubectl('set', 'image', 'statefulset/web', 'nginx=nginx:1.28');
    const image = (p: Pod | undefined): string | undefined => p?.spec?.containers?.[0]?.image;
    await waitFor('web-2 updated', async () => {
      await settle('app=web', true);
      const p = await pods('app=web');
      const s = (await sts('web')).status;
      return (
        p.length === 3 &&
        image(p.find((x) => x.metadata.name === 'web-2')) === 'nginx:1.28' &&
        s?.readyReplicas === 3 &&
        s.updatedReplicas === 1
      );
    });
    const set = await sts('web');
    assert.notEqual(set.status?.currentRevision, set.status?.updateRevision);
    assert.deepEqual((await pods('app=web')).map(image).sort(), ['nginx:1.27', 'nginx:1.27', 'nginx:1.28']);
    await c.kubectl('rollout', 'status', 'statefulset/web', '--timeout=20s');

    await c.kubectl(
      'patch',
      'statefulset/web',
      '-p',
      '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}',
    );
    const rolled = await waitFor('all updated', async () => {
      await settle('app=web', true);
      const s = await sts('web');
      return s.status?.updatedReplicas === 3 &&
        s.status.readyReplicas === 3 &&
        s.status.currentRevision === s.status.updateRevision
        ? s
        : undefined;
    });
    assert.equal(rolled.status?.currentRevision, set.status?.updateRevision);
    assert.deepEqual((await pods('app=web')).map(image), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    const history = await c.kubectl('rollout', 'history', 'statefulset/web');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await c.kubectl('rollout', 'undo', 'statefulset/web');
    await waitFor('rolled back', async () => {
      await settle('app=web', true);
      const p = await pods('app=web');
      const s = (await sts('web')).status;
      return p.length === 3 && p.every((x) => image(x) === 'nginx:1.27') && s?.readyReplicas === 3;
    });
    assert.match(await c.kubectl('rollout', 'history', 'statefulset/web'), /\n2\s+<none>\n3\s+<none>/);
  });
});
