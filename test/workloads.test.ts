// Workload and networking resources through the real kubectl: generators (protobuf bodies),
// scale, tables of `kubectl get all`, versions converted on the way in and out, RBAC names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type TestCluster } from './support/cluster.ts';

describe('workloads and the other API groups with the real kubectl', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
  });
  after(() => c.stop());

  it('creates and scales a deployment, and lists it in get all', async () => {
    await c.kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80');
    const d = JSON.parse(await c.kubectl('get', 'deployment', 'web', '-o', 'json')) as {
      metadata: { generation: number };
      spec: { replicas: number; revisionHistoryLimit: number; strategy: { type: string } };
    };
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.strategy.type, 'RollingUpdate');
    assert.match(
      await c.kubectl('scale', 'deployment', 'web', '--replicas=5'),
      /deployment.apps\/web scaled/,
    );
    assert.equal(await c.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'), '5');
    await c.kubectl('annotate', 'deployment', 'web', 'owner=team-a');
    await c.kubectl('annotate', 'deployment', 'web', 'owner=team-b', '--overwrite');
    assert.match(await c.kubectl('get', 'deployment', 'web', '-o', 'yaml'), /^ {4}owner: team-b$/m);
    assert.match(
      await c.kubectlFails('annotate', 'deployment', 'web', 'owner=team-c'),
      /already has a value \(team-b\)/,
    );
    const scale = JSON.parse(
      await c.kubectl('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'),
    ) as { kind: string; spec: { replicas: number }; status: { selector: string } };
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 5);
    assert.equal(scale.status.selector, 'app=web');
    assert.match(
      await c.kubectlFails('scale', 'deployment', 'web', '--replicas=3', '--current-replicas=4'),
      /Expected replicas to be 4, was 5/,
    );
    await c.kubectl('create', 'service', 'clusterip', 'web', '--tcp=80:80');
    const all = await c.kubectl('get', 'all');
    assert.match(all, /^deployment\.apps\/web\s+0\/5\s+\d\s+0\s+\S+$/m);
    assert.match(all, /^service\/web\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
    assert.match(all, /^service\/kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP/m);
  });

  it('runs the other generators: job, cronjob, role, rolebinding with system: names, pdb, priorityclass', async () => {
    await c.kubectl('create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi');
    const job = JSON.parse(await c.kubectl('get', 'job', 'once', '-o', 'json')) as {
      spec: { backoffLimit: number; selector: { matchLabels: Record<string, string> } };
    };
    assert.equal(job.spec.backoffLimit, 6);
    assert.ok(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']);
    await c.kubectl('create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *');
    assert.match(
      await c.kubectl('get', 'cronjobs', '--no-headers'),
      /^tick\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>/m,
    );
    assert.match(
      await c.kubectlFails('create', 'cronjob', 'bad', '--image=busybox:1.36', '--schedule=not a schedule'),
      /spec.schedule/,
    );
    await c.kubectl('create', 'clusterrole', 'system:navis-test', '--verb=get', '--resource=pods');
    await c.kubectl('create', 'rolebinding', 'reader', '--clusterrole=system:navis-test', '--user=alice');
    assert.match(
      await c.kubectl('get', 'rolebinding', 'reader', '-o', 'wide', '--no-headers'),
      /^reader\s+ClusterRole\/system:navis-test\s+\S+\s+alice/m,
    );
    await c.kubectl('create', 'pdb', 'budget', '--selector=app=web', '--min-available=1');
    await c.kubectl('create', 'priorityclass', 'high', '--value=1000');
    assert.match(await c.kubectl('get', 'pc', 'high', '--no-headers'), /^high\s+1000\s+false\s/m);
  });

  it('serves one object in two versions: autoscaling v1 and v2, core and events.k8s.io events', async () => {
    const hpa = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 70,
      },
    };
    await c.kubectlWith(JSON.stringify(hpa), 'create', '--validate=false', '-f', '-');
    const v2 = JSON.parse(
      await c.kubectl('get', '--raw', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web'),
    ) as {
      apiVersion: string;
      spec: { metrics: { resource: { name: string; target: { averageUtilization: number } } }[] };
    };
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.equal(v2.spec.metrics[0]?.resource.name, 'cpu');
    assert.equal(v2.spec.metrics[0]?.resource.target.averageUtilization, 70);
    const v1 = JSON.parse(
      await c.kubectl('get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web'),
    ) as { apiVersion: string; spec: { targetCPUUtilizationPercentage: number } };
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 70);
    assert.match(
      await c.kubectl('get', 'hpa', 'web', '--no-headers'),
      /^web\s+Deployment\/web\s+cpu: <unknown>\/70%\s+2\s+5\s+0\s/m,
    );

    const uid = await c.kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.uid}');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', apiVersion: 'apps/v1', uid },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-1 to 2',
      type: 'Normal',
      source: { component: 'deployment-controller' },
      count: 1,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
    };
    await c.kubectlWith(JSON.stringify(event), 'create', '--validate=false', '-f', '-');
    const modern = JSON.parse(
      await c.kubectl(
        'get',
        '--raw',
        '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dweb',
      ),
    ) as {
      items: { apiVersion: string; metadata: { name: string }; regarding: { name: string }; note: string }[];
    };
    // The deployment controller records its own events about web too.
    const mine = modern.items.filter((e) => e.metadata.name === 'web.1');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.regarding.name, 'web');
    assert.equal(mine[0]?.note, 'Scaled up replica set web-1 to 2');
    assert.match(
      await c.kubectl('get', 'events', '--no-headers'),
      /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up/,
    );
    const described = await c.kubectl('describe', 'deployment', 'web');
    assert.match(described, /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up/);
    assert.match(described, /Port:\s+80\/TCP/);
  });

  it('prints api-resources like a real cluster', async () => {
    const out = await c.kubectl('api-resources', '--no-headers');
    for (const line of [
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
      /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m,
      /^services\s+svc\s+v1\s+true\s+Service$/m,
      /^nodes\s+no\s+v1\s+false\s+Node$/m,
      /^clusterroles\s+rbac.authorization.k8s.io\/v1\s+false\s+ClusterRole$/m,
      /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m,
      /^leases\s+coordination.k8s.io\/v1\s+true\s+Lease$/m,
    ]) {
      assert.match(out, line);
    }
    assert.match(await c.kubectl('api-versions'), /^autoscaling\/v1$/m);
  });
});
