// The garbage collector, namespace, serviceaccount/root-CA, endpoints and endpointslice controllers
// against an in-process navis server, driven by the real kubectl. The controllers run on their own
// informer factory here (register → start → sync → run), as the controller manager runs them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/meta.ts';
import { isNotFound, resources, RestClient } from '../../src/client/index.ts';
import type { Pod } from '../../src/controllers/endpoints/index.ts';
import type { EndpointSlice } from '../../src/controllers/endpointslice/index.ts';
import { newMoreControllers } from '../../src/controllers/more.ts';

import { startCluster, type TestCluster } from '../support/cluster.ts';
import { runOwnControllers } from '../support/controllers.ts';

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e: unknown) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the controllers the way the manager does, until `signal` aborts. */
describe('core controllers (gc, namespace, serviceaccount, endpoints, endpointslice)', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let running: Promise<void>;

  before(async () => {
    // This test runs its own copies of these controllers: the server's stay off.
    c = await startCluster({
      controllers: [
        '*',
        '-garbage-collector',
        '-namespace',
        '-serviceaccount',
        '-root-ca-cert-publisher',
        '-endpoints',
        '-endpointslice',
      ],
    });
    client = RestClient.fromKubeconfig(c.kubeconfig);
    running = runOwnControllers(client, newMoreControllers(), ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    client.close();
    await c.stop();
  });

  const configMaps = () => client.resource<KubeObject>(resources.configmaps);
  const gone = async (name: string, namespace = 'default'): Promise<boolean> => {
    try {
      await configMaps().get(name, { namespace });
      return false;
    } catch (e: unknown) {
      if (isNotFound(e)) return true;
      throw e;
    }
  };
  const owned = async (name: string, owner: string, extra: Record<string, unknown> = {}): Promise<void> => {
    const o = await configMaps().get(owner, { namespace: 'default' });
    await configMaps().create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: o.metadata.uid ?? '', ...extra },
        ],
      },
    });
  };

  it('gives every namespace a default ServiceAccount and kube-root-ca.crt', async () => {
    await c.kubectl('create', 'namespace', 'sa-test');
    for (const ns of ['default', 'kube-system', 'sa-test']) {
      await waitFor(`default serviceaccount in ${ns}`, () =>
        c.kubectl('get', 'serviceaccount', 'default', '-n', ns),
      );
      const ca = await waitFor(`kube-root-ca.crt in ${ns}`, () =>
        c.kubectl('get', 'configmap', 'kube-root-ca.crt', '-n', ns, '-o', 'jsonpath={.data.ca\\.crt}'),
      );
      assert.match(ca, /BEGIN CERTIFICATE/);
    }
    await c.kubectl('delete', 'serviceaccount', 'default', '-n', 'sa-test');
    await waitFor('default serviceaccount made again', () =>
      c.kubectl('get', 'serviceaccount', 'default', '-n', 'sa-test', '-o', 'name'),
    );
  });

  it('deletes a dependent after its owner (background)', async () => {
    await c.kubectl('create', 'configmap', 'bg-owner');
    await owned('bg-child', 'bg-owner');
    await c.kubectl('delete', 'configmap', 'bg-owner');
    await waitFor('bg-child collected', () => gone('bg-child'));
  });

  it('deletes blocking dependents before the owner (foreground)', async () => {
    await c.kubectl('create', 'configmap', 'fg-owner');
    await owned('fg-child', 'fg-owner', { blockOwnerDeletion: true });
    // A finalizer of the test's own holds the dependent, so the order can be seen.
    await c.kubectl(
      'patch',
      'configmap',
      'fg-child',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":["test.navis.io/hold"]}}',
    );
    await c.kubectl('delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false');
    const child = await waitFor('fg-child being deleted', async () => {
      const o = await configMaps().get('fg-child', { namespace: 'default' });
      return o.metadata.deletionTimestamp !== undefined ? o : undefined;
    });
    assert.ok(child);
    const owner = await configMaps().get('fg-owner', { namespace: 'default' });
    assert.ok(owner.metadata.deletionTimestamp !== undefined, 'the owner waits, marked deleted');
    assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);
    await c.kubectl(
      'patch',
      'configmap',
      'fg-child',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    );
    await waitFor('fg-child gone', () => gone('fg-child'));
    await waitFor('fg-owner gone after its dependent', () => gone('fg-owner'));
  });

  it('keeps dependents without the owner reference (orphan)', async () => {
    await c.kubectl('create', 'configmap', 'or-owner');
    await owned('or-child', 'or-owner', { blockOwnerDeletion: true });
    await c.kubectl('delete', 'configmap', 'or-owner', '--cascade=orphan');
    await waitFor('or-owner gone', () => gone('or-owner'));
    const child = await configMaps().get('or-child', { namespace: 'default' });
    assert.equal(child.metadata.ownerReferences, undefined);
  });

  it('empties and removes a deleted namespace', async () => {
    await c.kubectl('create', 'namespace', 'tmp');
    await c.kubectl('create', 'configmap', 'a', '-n', 'tmp', '--from-literal=k=v');
    await c.kubectl('create', 'secret', 'generic', 's', '-n', 'tmp', '--from-literal=k=v');
    await c.kubectl('create', 'serviceaccount', 'robot', '-n', 'tmp');
    const started = Date.now();
    await c.kubectl('delete', 'namespace', 'tmp', '--timeout=20s');
    assert.ok(Date.now() - started < 10_000, 'gone within seconds');
    assert.match(await c.kubectlFails('get', 'namespace', 'tmp'), /NotFound|not found/);
  });

  it('publishes Endpoints and EndpointSlices of the ready and not-ready pods of a Service', async () => {
    await c.kubectlWith(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    const pods = client.resource<Pod>(resources.pods);
    const ips: Record<string, string> = {
      'web-0': '10.42.0.10',
      'web-1': '10.42.0.11',
      'web-2': '10.42.0.12',
    };
    for (const [name, ip] of Object.entries(ips)) {
      const pod = await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { app: 'web' } },
        spec: {
          nodeName: 'node-a',
          containers: [
            { name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] } as never,
          ],
        },
      });
      const ready = name !== 'web-2';
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await pods.updateStatus({
        ...pod,
        status: {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
        },
      });
    }
    const ep = await waitFor('endpoints of web', async () => {
      const e = JSON.parse(await c.kubectl('get', 'endpoints', 'web', '-o', 'json')) as {
        metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
        subsets?: Array<{
          addresses?: Array<{ ip: string; nodeName?: string; targetRef?: { kind: string; name: string } }>;
          notReadyAddresses?: Array<{ ip: string }>;
          ports?: Array<{ name: string; port: number; protocol: string }>;
        }>;
      };
      const s = e.subsets?.[0];
      return s?.addresses?.length === 2 && s.notReadyAddresses?.length === 1 ? e : undefined;
    });
    const subset = ep.subsets![0]!;
    assert.deepEqual(
      subset.addresses!.map((a) => a.ip),
      ['10.42.0.10', '10.42.0.11'],
    );
    assert.equal(subset.addresses![0]!.nodeName, 'node-a');
    assert.equal(subset.addresses![0]!.targetRef!.name, 'web-0');
    assert.deepEqual(
      subset.notReadyAddresses!.map((a) => a.ip),
      ['10.42.0.12'],
    );
    assert.deepEqual(subset.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.equal(ep.metadata.labels?.['tier'], 'front');
    assert.ok(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);

    const slices = client.resource<EndpointSlice>(resources.endpointslices);
    const slice = await waitFor('endpointslice of web', async () => {
      const list = await slices.list({
        namespace: 'default',
        labelSelector: 'kubernetes.io/service-name=web',
      });
      const s = list.items[0];
      return list.items.length === 1 && s?.endpoints?.length === 3 ? s : undefined;
    });
    assert.equal(
      slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'],
      'endpointslice-controller.k8s.io',
    );
    assert.match(slice.metadata.name ?? '', /^web-/);
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.ownerReferences?.[0]?.kind, 'Service');
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byIP = new Map(slice.endpoints!.map((e) => [e.addresses[0], e]));
    assert.deepEqual(byIP.get('10.42.0.10')?.conditions, { ready: true, serving: true, terminating: false });
    assert.deepEqual(byIP.get('10.42.0.12')?.conditions, {
      ready: false,
      serving: false,
      terminating: false,
    });
    assert.equal(byIP.get('10.42.0.10')?.nodeName, 'node-a');
    assert.equal(byIP.get('10.42.0.10')?.targetRef?.name, 'web-0');

    // The Service goes: its Endpoints with it, its slices through the garbage collector.
    await c.kubectl('delete', 'service', 'web');
    await waitFor(
      'endpoints of web deleted',
      async () => (await c.kubectl('get', 'endpoints', '-o', 'name')).includes('endpoints/web') === false,
    );
    await waitFor('slices of web collected', async () => {
      const list = await slices.list({
        namespace: 'default',
        labelSelector: 'kubernetes.io/service-name=web',
      });
      return list.items.length === 0;
    });
  });

  it('leaves Services without a selector alone', async () => {
    await c.kubectlWith(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'manual', namespace: 'default' },
        spec: { ports: [{ port: 80 }] },
      }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch(await c.kubectl('get', 'endpoints', '-o', 'name'), /endpoints\/manual/);
  });
});
