// Service ClusterIP and NodePort allocation through the real kubectl (src/apiserver/allocators):
// the `kubernetes` Service, each Service type, upstream's error texts, and reuse after delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type TestCluster } from './support/cluster.ts';

/** A Service manifest; `spec` is YAML indented by four spaces. */
function manifest(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

const port80 = '    ports:\n    - port: 80\n      protocol: TCP\n';

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** In 10.43.0.0/16, neither the network nor the broadcast address. */
function inServiceCidr(ip: string): boolean {
  const n = ipToNumber(ip);
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && n > ipToNumber('10.43.0.0') && n < ipToNumber('10.43.255.255');
}

describe('Service allocation with the real kubectl', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
  });
  after(() => c.stop());

  const create = (name: string, spec: string): Promise<string> =>
    c.kubectlWith(manifest(name, spec), 'create', '--validate=false', '-f', '-');
  const createFails = (name: string, spec: string): Promise<string> =>
    c.kubectlFailsWith(manifest(name, spec), 'create', '--validate=false', '-f', '-');
  const field = (name: string, path: string): Promise<string> =>
    c.kubectl('get', 'service', name, '-o', `jsonpath={${path}}`);

  it('has the kubernetes Service on the first address of the range', async () => {
    const out = await c.kubectl('get', 'svc', 'kubernetes', '--no-headers');
    assert.match(out, /^kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP\s+\S+$/m);
    assert.equal(await field('kubernetes', '.metadata.labels.component'), 'apiserver');
    assert.equal(await field('kubernetes', '.spec.ports[0].name'), 'https');
    const endpoints = await c.kubectl(
      'get',
      'endpoints',
      'kubernetes',
      '-o',
      'jsonpath={.subsets[0].ports[0].name}',
    );
    assert.equal(endpoints, 'https');
    assert.equal(
      await c.kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=kubernetes', '-o', 'name'),
      'endpointslice.discovery.k8s.io/kubernetes\n',
    );
  });

  it('gives a ClusterIP Service a free address from 10.43.0.0/16', async () => {
    assert.match(await create('web', `    type: ClusterIP\n${port80}`), /service\/web created/);
    const ip = await field('web', '.spec.clusterIP');
    assert.ok(inServiceCidr(ip), ip);
    assert.notEqual(ip, '10.43.0.1');
    assert.equal(await field('web', '.spec.clusterIPs[0]'), ip);
    const row = await c.kubectl('get', 'svc', 'web', '--no-headers');
    assert.match(
      row,
      new RegExp(`^web\\s+ClusterIP\\s+${ip.replaceAll('.', '\\.')}\\s+<none>\\s+80/TCP\\s+\\S+$`, 'm'),
    );
  });

  it('allocates a requested ClusterIP once and refuses it a second time', async () => {
    await create('dns', `    clusterIP: 10.43.0.10\n${port80}`);
    assert.equal(await field('dns', '.spec.clusterIP'), '10.43.0.10');
    assert.match(
      await createFails('dns2', `    clusterIP: 10.43.0.10\n${port80}`),
      /The Service "dns2" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.43\.0\.10"\}: failed to allocate IP 10\.43\.0\.10: provided IP is already allocated/,
    );
    assert.match(
      await createFails('outside', `    clusterIP: 10.0.0.1\n${port80}`),
      /spec\.clusterIPs: Invalid value: \[\]string\{"10\.0\.0\.1"\}: failed to allocate IP 10\.0\.0\.1: the provided IP \(10\.0\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.43\.0\.0\/16/,
    );
  });

  it('makes a deleted Service address available again', async () => {
    await create('reuse', `    clusterIP: 10.43.0.20\n${port80}`);
    await c.kubectl('delete', 'service', 'reuse');
    await create('reuse2', `    clusterIP: 10.43.0.20\n${port80}`);
    assert.equal(await field('reuse2', '.spec.clusterIP'), '10.43.0.20');
  });

  it('gives NodePort Services node ports from 30000-32767 and refuses a taken one', async () => {
    await create('np', `    type: NodePort\n${port80}`);
    const nodePort = Number(await field('np', '.spec.ports[0].nodePort'));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    assert.ok(inServiceCidr(await field('np', '.spec.clusterIP')));
    assert.match(
      await c.kubectl('get', 'svc', 'np', '--no-headers'),
      new RegExp(`^np\\s+NodePort\\s+\\S+\\s+<none>\\s+80:${nodePort}/TCP\\s+\\S+$`, 'm'),
    );
    await create('np-fixed', '    type: NodePort\n    ports:\n    - port: 80\n      nodePort: 30080\n');
    assert.match(
      await createFails(
        'np-again',
        '    type: NodePort\n    ports:\n    - port: 80\n      nodePort: 30080\n',
      ),
      /The Service "np-again" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/,
    );
  });

  it('releases the node ports when a Service goes back to ClusterIP', async () => {
    await create('flip', `    type: ClusterIP\n${port80}`);
    await c.kubectl('patch', 'service', 'flip', '--type=merge', '-p', '{"spec":{"type":"NodePort"}}');
    const nodePort = await field('flip', '.spec.ports[0].nodePort');
    assert.match(nodePort, /^3\d{4}$/);
    await c.kubectl('patch', 'service', 'flip', '--type=merge', '-p', '{"spec":{"type":"ClusterIP"}}');
    assert.equal(await field('flip', '.spec.ports[0].nodePort'), '');
    await create(
      'flip-port',
      `    type: NodePort\n    ports:\n    - port: 80\n      nodePort: ${nodePort}\n`,
    );
    assert.equal(await field('flip-port', '.spec.ports[0].nodePort'), nodePort);
  });

  it('gives a LoadBalancer with externalTrafficPolicy Local a health check node port', async () => {
    await create('lb', `    type: LoadBalancer\n    externalTrafficPolicy: Local\n${port80}`);
    const hc = Number(await field('lb', '.spec.healthCheckNodePort'));
    const nodePort = Number(await field('lb', '.spec.ports[0].nodePort'));
    assert.ok(hc >= 30000 && hc <= 32767, String(hc));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    assert.notEqual(hc, nodePort);
  });

  it('allocates no address to headless and ExternalName Services', async () => {
    await create('headless', `    clusterIP: None\n    selector:\n      app: db\n${port80}`);
    assert.equal(await field('headless', '.spec.clusterIP'), 'None');
    assert.match(
      await c.kubectl('get', 'svc', 'headless', '--no-headers'),
      /^headless\s+ClusterIP\s+None\s+/m,
    );
    await create('ext', '    type: ExternalName\n    externalName: example.com\n');
    assert.equal(await field('ext', '.spec.clusterIP'), '');
    assert.match(
      await c.kubectl('get', 'svc', 'ext', '--no-headers'),
      /^ext\s+ExternalName\s+<none>\s+example\.com\s+/m,
    );
  });

  it('reserves nothing on a server-side dry run', async () => {
    const dry = await c.kubectlWith(
      manifest('dry', `    clusterIP: 10.43.0.30\n${port80}`),
      'create',
      '--validate=false',
      '--dry-run=server',
      '-f',
      '-',
    );
    assert.match(dry, /service\/dry created \(server dry run\)/);
    await create('wet', `    clusterIP: 10.43.0.30\n${port80}`);
    assert.equal(await field('wet', '.spec.clusterIP'), '10.43.0.30');
  });
});
