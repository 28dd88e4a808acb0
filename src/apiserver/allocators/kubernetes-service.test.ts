import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { BitmapAllocator } from './bitmap-allocator.ts';
import { ensureKubernetesService, nodePortsKey, serviceIPsKey } from './index.ts';
import { parseCidr, parsePortRange } from './ip-range.ts';
import { endpoints, endpointslices, type Harness, harness, services, specOf } from './testing.ts';

describe('ensureKubernetesService', () => {
  let h: Harness;
  afterEach(() => h.close());

  const ensure = (advertiseAddress = '192.168.1.10', port = 6443) =>
    ensureKubernetesService({ registry: h.registry, serviceCidr: '10.43.0.0/16', advertiseAddress, port });
  const get = (group: string, resource: string) =>
    h.registry.storage(group, resource)!.objects.get('default', 'kubernetes');

  it('creates the Service on the first address, its Endpoints and EndpointSlice, and reserves the address', async () => {
    h = harness([services, endpoints, endpointslices]);
    await h.install();
    await ensure();
    const svc = await get('', 'services');
    assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    assert.match(svc.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(svc.metadata.creationTimestamp);
    assert.deepEqual(svc['spec'], {
      clusterIP: '10.43.0.1',
      clusterIPs: ['10.43.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    const ips = new BitmapAllocator({ store: h.store, key: serviceIPsKey, range: parseCidr('10.43.0.0/16') });
    assert.deepEqual(await ips.values(), ['10.43.0.1']);

    const ep = await get('', 'endpoints');
    assert.equal(ep.kind, 'Endpoints');
    assert.deepEqual(ep['subsets'], [
      { addresses: [{ ip: '192.168.1.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);
    const slice = await get('discovery.k8s.io', 'endpointslices');
    assert.equal(slice.apiVersion, 'discovery.k8s.io/v1');
    assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
    assert.equal(slice['addressType'], 'IPv4');
    assert.deepEqual(slice['endpoints'], [{ addresses: ['192.168.1.10'], conditions: { ready: true } }]);
    assert.deepEqual(slice['ports'], [{ name: 'https', port: 6443, protocol: 'TCP' }]);
  });

  it('is idempotent, and follows a new address and a changed port', async () => {
    h = harness([services, endpoints, endpointslices]);
    await h.install();
    await ensure();
    const revision = h.store.currentRevision();
    await ensure();
    assert.equal(h.store.currentRevision(), revision);

    await ensure('192.168.1.11', 6444);
    const ep = await get('', 'endpoints');
    assert.deepEqual(ep['subsets'], [
      { addresses: [{ ip: '192.168.1.11' }], ports: [{ name: 'https', port: 6444, protocol: 'TCP' }] },
    ]);
    const slice = await get('discovery.k8s.io', 'endpointslices');
    assert.deepEqual(slice['endpoints'], [{ addresses: ['192.168.1.11'], conditions: { ready: true } }]);
    const svc = await get('', 'services');
    assert.deepEqual(specOf(svc)['ports'], [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6444 }]);
    assert.equal(specOf(svc)['clusterIP'], '10.43.0.1');
  });

  it('puts back the type of a changed Service, releasing the node ports it took', async () => {
    h = harness([services]);
    await h.install();
    await ensure();
    const svc = await get('', 'services');
    const changed = structuredClone(svc);
    specOf(changed)['type'] = 'NodePort';
    await h.update(changed, svc);
    const ports = new BitmapAllocator({
      store: h.store,
      key: nodePortsKey,
      range: parsePortRange('30000-32767'),
    });
    assert.equal((await ports.values()).length, 1);
    await ensure();
    assert.deepEqual(await ports.values(), []);
    const back = await get('', 'services');
    assert.equal(specOf(back)['type'], 'ClusterIP');
    assert.equal(back.metadata.generation, (svc.metadata.generation ?? 0) + 1);
  });

  it('skips resources that are not registered', async () => {
    h = harness([services]);
    await h.install();
    await ensure();
    assert.equal(h.registry.storage('', 'endpoints'), undefined);
    assert.equal(specOf(await get('', 'services'))['clusterIP'], '10.43.0.1');
  });
});
