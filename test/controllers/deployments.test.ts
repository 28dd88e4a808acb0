// The deployment and replicaset controllers against a real navis server, driven by the real kubectl
// 1.32: create, roll out step by step (checking maxSurge / maxUnavailable at every step), history,
// undo, scale, pod replacement, adoption and release. A fake kubelet marks pods ready.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, Pod, ReplicaSet } from '../../src/controllers/framework/index.ts';
import { resources } from '../../src/client/index.ts';
import {
  type ControllerCluster,
  listPods,
  markPodReady,
  markPodsReady,
  startControllerCluster,
  waitFor,
} from '../support/controllers.ts';

const isReady = (p: Pod): boolean =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const alive = (pods: Pod[]): Pod[] => pods.filter((p) => p.metadata.deletionTimestamp === undefined);

describe('deployment and replicaset controllers with the real kubectl', () => {
  let c: ControllerCluster;
  const deployment = (name: string): Promise<Deployment> =>
    c.client.resource<Deployment>(resources.deployments).get(name, { namespace: 'default' });
  const replicaSets = async (selector: string): Promise<ReplicaSet[]> =>
    (
      await c.client
        .resource<ReplicaSet>(resources.replicasets)
        .list({ namespace: 'default', labelSelector: selector })
    ).items;
  const pods = async (selector: string): Promise<Pod[]> =>
    alive(await listPods(c.client, 'default', selector));
  const podsCount = (selector: string, n: number): Promise<Pod[]> =>
    waitFor(`${n} pods ${selector}`, async () => {
      const p = await pods(selector);
      return p.length === n ? p : undefined;
    });
  /** Waits for the rollout to complete, playing the kubelet: every new pod is marked ready. */
  const complete = (name: string, replicas: number): Promise<Deployment> =>
    waitFor(`deployment ${name} complete`, async () => {
      await markPodsReady(c.client, 'default', `app=${name}`);
      const d = await deployment(name);
      const s = d.status ?? {};
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        s.replicas === replicas &&
        s.updatedReplicas === replicas &&
        s.availableReplicas === replicas
        ? d
        : undefined;
    });

  before(async () => {
    c = await startControllerCluster();
  });
  after(() => c.stop());

  it('creates a ReplicaSet web-<hash> and 3 owned pods, and completes the rollout once they are ready', async () => {
    await c.kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
    const created = await podsCount('app=web', 3);
    const [rs] = await replicaSets('app=web');
    assert.ok(rs);
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(rs.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.deepEqual(rs.spec.selector?.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs.metadata.ownerReferences?.[0]?.kind, 'Deployment');
    for (const p of created) {
      assert.match(p.metadata.name ?? '', new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      assert.equal(p.metadata.labels?.['pod-template-hash'], hash);
      assert.deepEqual(p.metadata.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    assert.match(await c.kubectl('get', 'deploy', 'web', '--no-headers'), /^web\s+0\/3\s+3\s+0\s/);
    await markPodsReady(c.client, 'default', 'app=web');
    assert.match(
      await c.kubectl('rollout', 'status', 'deployment/web', '--timeout=10s'),
      /deployment "web" successfully rolled out/,
    );
    assert.match(await c.kubectl('get', 'deploy', 'web', '--no-headers'), /^web\s+3\/3\s+3\s+3\s/);
    const d = await deployment('web');
    const progressing = d.status?.conditions?.find((x) => x.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(progressing?.message, `ReplicaSet "${rs.metadata.name ?? ''}" has successfully progressed.`);
    assert.equal(
      d.status?.conditions?.find((x) => x.type === 'Available')?.reason,
      'MinimumReplicasAvailable',
    );
    const events = await waitFor('events', async () => {
      const e = await c.kubectl(
        'get',
        'events',
        '-o',
        'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
      );
      return e.includes('ScalingReplicaSet') && e.includes('SuccessfulCreate') ? e : undefined;
    });
    assert.match(
      events,
      new RegExp(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name ?? ''} from 0 to 3`),
    );
    assert.match(events, new RegExp(`SuccessfulCreate: Created pod: ${rs.metadata.name ?? ''}-[a-z0-9]{5}`));
  });

  it('rolls out a new image step by step within maxSurge and maxUnavailable', async () => {
    await c.kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    // 3 replicas, 25% / 25%: surge rounds up to 1, unavailable down to 0.
    const maxPods = 4;
    const minAvailable = 3;
    let steps = 0;
    for (;;) {
      const d = await deployment('web');
      const s = d.status ?? {};
      if (
        (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        s.updatedReplicas === 3 &&
        s.replicas === 3 &&
        s.availableReplicas === 3
      )
        break;
      const current = await pods('app=web');
      assert.ok(current.length <= maxPods, `${current.length} pods exceed ${maxPods}`);
      assert.ok(current.filter(isReady).length >= minAvailable, 'too few available pods');
      const waiting = current.find((p) => !isReady(p) && p.spec?.containers?.[0]?.image === 'nginx:1.28');
      if (waiting !== undefined) {
        await markPodReady(c.client, waiting);
        steps++;
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(steps <= 10, 'rollout did not converge');
    }
    assert.equal(steps, 3);
    const current = await podsCount('app=web', 3);
    assert.ok(current.every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.28'));
    const rss = await replicaSets('app=web');
    assert.equal(rss.length, 2);
    const old = rss.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    assert.equal(old?.spec.replicas, 0);
    assert.match(
      await c.kubectl('rollout', 'status', 'deployment/web', '--timeout=10s'),
      /successfully rolled out/,
    );
    const history = await c.kubectl('rollout', 'history', 'deployment/web');
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^2\s+<none>$/m);
  });

  it('undoes to the previous template, bringing the old ReplicaSet back as revision 3', async () => {
    const before = await replicaSets('app=web');
    assert.match(await c.kubectl('rollout', 'undo', 'deployment/web'), /rolled back/);
    const d = await deployment('web');
    assert.equal(d.spec.template?.spec?.containers?.[0]?.image, 'nginx:1.27');
    await complete('web', 3);
    const after = await replicaSets('app=web');
    assert.equal(after.length, before.length, 'no new ReplicaSet for an undo');
    const back = after.find((r) => r.spec.template?.spec?.containers?.[0]?.image === 'nginx:1.27');
    assert.equal(back?.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(back?.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.ok((await pods('app=web')).every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.27'));
  });

  it('scales up and down, and replaces a deleted pod', async () => {
    await c.kubectl('scale', 'deployment/web', '--replicas=5');
    await podsCount('app=web', 5);
    await complete('web', 5);
    await c.kubectl('scale', 'deployment/web', '--replicas=2');
    const two = await podsCount('app=web', 2);
    await complete('web', 2);
    await c.kubectl('delete', 'pod', two[0]!.metadata.name ?? '', '--wait=false');
    const replaced = await waitFor('a replacement pod', async () => {
      const p = await pods('app=web');
      return p.length === 2 && !p.some((x) => x.metadata.name === two[0]!.metadata.name) ? p : undefined;
    });
    assert.equal(replaced.length, 2);
  });

  it('restarts through a template annotation', async () => {
    await complete('web', 2);
    const before = new Set((await pods('app=web')).map((p) => p.metadata.name));
    await c.kubectl('rollout', 'restart', 'deployment/web');
    await waitFor('restarted pods', async () => {
      await complete('web', 2);
      const p = await pods('app=web');
      return p.length === 2 && p.every((x) => !before.has(x.metadata.name));
    });
    const template = (await deployment('web')).spec.template?.metadata?.annotations ?? {};
    assert.ok(template['kubectl.kubernetes.io/restartedAt']);
  });

  it('lets a ReplicaSet adopt a matching orphan pod and release a pod that stops matching', async () => {
    await c.kubectl('run', 'stray', '--image=nginx:1.27', '--labels=app=solo');
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'solo' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'solo' } },
        template: {
          metadata: { labels: { app: 'solo' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    };
    await c.kubectlWith(JSON.stringify(rs), 'create', '-f', '-', '--validate=false');
    const owned = await podsCount('app=solo', 2);
    const stray = owned.find((p) => p.metadata.name === 'stray');
    assert.ok(stray, 'the orphan was kept, not replaced');
    await waitFor('stray adopted', async () => {
      const [p] = (await pods('app=solo')).filter((x) => x.metadata.name === 'stray');
      return p?.metadata.ownerReferences?.[0]?.name === 'solo' ? p : undefined;
    });
    // Relabel it: the set releases it and makes another.
    await c.kubectl('label', 'pod', 'stray', 'app=gone', '--overwrite');
    await waitFor('stray released', async () => {
      const p = (await pods('app=gone'))[0];
      return p !== undefined && (p.metadata.ownerReferences ?? []).length === 0 ? p : undefined;
    });
    const again = await podsCount('app=solo', 2);
    assert.ok(again.every((p) => p.metadata.name !== 'stray'));
    await waitFor('status', async () => {
      const s = await c.kubectl(
        'get',
        'rs',
        'solo',
        '-o',
        'jsonpath={.status.replicas}/{.status.fullyLabeledReplicas}/{.status.observedGeneration}',
      );
      return s === '2/2/1' ? s : undefined;
    });
  });

  it('scales proportionally mid-rollout (the documentation example: 8 + 5 → 11 + 7)', async () => {
    await c.kubectl('create', 'deployment', 'prop', '--image=nginx:1.27', '--replicas=10');
    await c.kubectl(
      'patch',
      'deployment/prop',
      '-p',
      '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}}}',
    );
    await complete('prop', 10);
    await c.kubectl('set', 'image', 'deployment/prop', 'nginx=nginx:1.28');
    // No new pod becomes ready: the rollout stalls at old 8 + new 5 = 13 (10 + maxSurge).
    const sizes = async (): Promise<string> =>
      (await replicaSets('app=prop'))
        .map((r) => `${r.spec.template?.spec?.containers?.[0]?.image ?? ''}=${r.spec.replicas ?? 0}`)
        .sort()
        .join(',');
    await waitFor('stalled rollout', async () =>
      (await sizes()) === 'nginx:1.27=8,nginx:1.28=5' ? true : undefined,
    );
    await c.kubectl('scale', 'deployment/prop', '--replicas=15');
    await waitFor('proportional sizes', async () =>
      (await sizes()) === 'nginx:1.27=11,nginx:1.28=7' ? true : undefined,
    );
    await complete('prop', 15);
  });

  it('pauses (no rollout, still scales) and resumes', async () => {
    await c.kubectl('create', 'deployment', 'calm', '--image=nginx:1.27', '--replicas=2');
    await complete('calm', 2);
    await c.kubectl('rollout', 'pause', 'deployment/calm');
    await c.kubectl('set', 'image', 'deployment/calm', 'nginx=nginx:1.28');
    await c.kubectl('scale', 'deployment/calm', '--replicas=3');
    const d = await waitFor('paused condition', async () => {
      const x = await deployment('calm');
      const p = x.status?.conditions?.find((k) => k.type === 'Progressing');
      return p?.reason === 'DeploymentPaused' && (await pods('app=calm')).length === 3 ? x : undefined;
    });
    assert.equal(d.status?.conditions?.find((k) => k.type === 'Progressing')?.status, 'Unknown');
    assert.equal((await replicaSets('app=calm')).length, 1, 'no new ReplicaSet while paused');
    await c.kubectl('rollout', 'resume', 'deployment/calm');
    await complete('calm', 3);
    assert.ok((await pods('app=calm')).every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.28'));
  });

  it('recreates: every old pod is gone before a new one is created', async () => {
    await c.kubectl('create', 'deployment', 'redo', '--image=nginx:1.27', '--replicas=2');
    await c.kubectl(
      'patch',
      'deployment/redo',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/strategy","value":{"type":"Recreate"}}]',
    );
    await complete('redo', 2);
    await c.kubectl('set', 'image', 'deployment/redo', 'nginx=nginx:1.28');
    await waitFor('recreated', async () => {
      const p = await pods('app=redo');
      const images = new Set(p.map((x) => x.spec?.containers?.[0]?.image));
      assert.ok(images.size <= 1, 'old and new pods at once');
      await markPodsReady(c.client, 'default', 'app=redo');
      const d = await deployment('redo');
      return d.status?.updatedReplicas === 2 && d.status.availableReplicas === 2 && images.has('nginx:1.28');
    });
  });

  it('runs ReplicationControllers through the same code', async () => {
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: {
        replicas: 2,
        selector: { app: 'legacy' },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    };
    await c.kubectlWith(JSON.stringify(rc), 'create', '-f', '-', '--validate=false');
    const owned = await podsCount('app=legacy', 2);
    for (const p of owned) {
      assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'ReplicationController');
      assert.match(p.metadata.name ?? '', /^legacy-[a-z0-9]{5}$/);
    }
    await markPodsReady(c.client, 'default', 'app=legacy');
    await waitFor('rc status', async () => {
      const s = await c.kubectl(
        'get',
        'rc',
        'legacy',
        '-o',
        'jsonpath={.status.readyReplicas}/{.status.availableReplicas}',
      );
      return s === '2/2' ? s : undefined;
    });
    await c.kubectl('scale', 'rc/legacy', '--replicas=1');
    await podsCount('app=legacy', 1);
  });
});
