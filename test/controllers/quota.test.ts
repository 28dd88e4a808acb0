// The resource quota controller against an in-process navis server, driven by the real kubectl. The
// test runs its own copy next to the server, whose copy stays off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RestClient } from '../../src/client/index.ts';
import { ResourceQuotaController } from '../../src/controllers/resourcequota/index.ts';

import { startCluster, type TestCluster } from '../support/cluster.ts';
import { runOwnControllers, waitFor } from '../support/controllers.ts';

const podYaml = (name: string, cpu: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }] },
  });

describe('resource quota controller', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let running: Promise<void>;

  before(async () => {
    c = await startCluster({ controllers: ['*', '-resourcequota'] });
    client = RestClient.fromKubeconfig(c.kubeconfig);
    running = runOwnControllers(client, [new ResourceQuotaController()], ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    client.close();
    await c.stop();
  });

  const describeQuota = () => c.kubectl('describe', 'quota', 'q');
  const usedOf = async (): Promise<string> =>
    (await c.kubectl('get', 'quota', 'q', '-o', 'jsonpath={.status.used}')).trim();

  it('keeps status.used current as pods and configmaps come and go', async () => {
    await c.kubectl(
      'create',
      'quota',
      'q',
      '--hard=pods=3,requests.cpu=1,requests.memory=1Gi,configmaps=5,count/deployments.apps=2',
    );
    await waitFor('quota status', async () => (await usedOf()) !== '');
    assert.match(await describeQuota(), /pods\s+0\s+3/);

    await c.kubectlWith(podYaml('a', '100m'), 'create', '-f', '-');
    await c.kubectlWith(podYaml('b', '200m'), 'create', '-f', '-');
    await c.kubectl('create', 'configmap', 'cm1', '--from-literal=a=b');
    await c.kubectl('create', 'deployment', 'd', '--image=busybox', '--replicas=0');
    await waitFor('used 300m', async () => /requests\.cpu\s+300m\s+1\b/.test(await describeQuota()));
    const out = await describeQuota();
    assert.match(out, /pods\s+2\s+3/);
    assert.match(out, /requests\.memory\s+128Mi\s+1Gi/);
    // kube-root-ca.crt may be published into the namespace too.
    assert.match(out, /configmaps\s+[12]\s+5/);
    assert.match(out, /count\/deployments\.apps\s+1\s+2/);
    const row = await c.kubectl('get', 'quota', 'q');
    assert.match(row, /pods: 2\/3, requests\.cpu: 300m\/1/);

    await c.kubectl('delete', 'pod', 'a', '--wait=false');
    await waitFor('used 200m', async () => /requests\.cpu\s+200m\s+1\b/.test(await describeQuota()));
    assert.match(await describeQuota(), /pods\s+1\s+3/);
  });
});
