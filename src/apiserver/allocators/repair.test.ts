import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Registry } from '../registry/registry.ts';
import { BitmapAllocator } from './bitmap-allocator.ts';
import { installServiceAllocators, nodePortsKey, serviceIPsKey } from './index.ts';
import { parseCidr, parsePortRange } from './ip-range.ts';
import { RangeRepair } from './repair.ts';
import { heldClusterIPs } from './service-fields.ts';
import { type Harness, harness, service } from './testing.ts';

describe('repair of the allocation bitmaps', () => {
  let h: Harness;
  let ips: BitmapAllocator<string>;
  let ports: BitmapAllocator<number>;
  beforeEach(() => {
    h = harness();
    ips = new BitmapAllocator({ store: h.store, key: serviceIPsKey, range: parseCidr('10.43.0.0/16') });
    ports = new BitmapAllocator({ store: h.store, key: nodePortsKey, range: parsePortRange('30000-32767') });
  });
  afterEach(() => h.close());

  const stored = (name: string, spec: Record<string, unknown>) =>
    h.services.objects.create(service(name, spec));

  it('rebuilds both bitmaps from the stored services on install', async () => {
    await stored('a', { clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'], ports: [{ port: 80 }] });
    await stored('b', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31999,
      clusterIP: '10.43.0.11',
      ports: [
        { port: 53, protocol: 'UDP', nodePort: 30053 },
        { port: 53, protocol: 'TCP', nodePort: 30053 },
      ],
    });
    await stored('h', { clusterIP: 'None', clusterIPs: ['None'] });
    await stored('e', { type: 'ExternalName', externalName: 'example.com' });
    await h.install();
    assert.deepEqual(await ips.values(), ['10.43.0.10', '10.43.0.11']);
    assert.deepEqual(await ports.values(), [30053, 31999]);
    // The hooks now see them as taken.
    await assert.rejects(h.create(service('c', { clusterIP: '10.43.0.10', ports: [{ port: 80 }] })), {
      message: /provided IP is already allocated/,
    });
  });

  it('frees a reservation no service holds only after it stayed unused for three runs', async () => {
    await ips.allocate('10.43.0.20'); // a crash between reserving and storing the Service
    const repair = new RangeRepair({
      allocator: ips,
      list: async () => [],
      held: heldClusterIPs,
      what: 'cluster IP',
    });
    assert.deepEqual((await repair.runOnce()).leaked, ['10.43.0.20']);
    assert.deepEqual((await repair.runOnce()).leaked, ['10.43.0.20']);
    assert.deepEqual(await ips.values(), ['10.43.0.20']);
    assert.deepEqual((await repair.runOnce()).released, ['10.43.0.20']);
    assert.deepEqual(await ips.values(), []);
  });

  it('reports duplicates and addresses outside the range, and keeps the stored range current', async () => {
    await stored('a', { clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
    await stored('b', { clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
    await stored('c', { clusterIP: '10.99.0.1', ports: [{ port: 80 }] });
    const list = async () => (await h.services.objects.list({})).items;
    const repair = new RangeRepair({ allocator: ips, list, held: heldClusterIPs, what: 'cluster IP' });
    const report = await repair.runOnce();
    assert.deepEqual(report.repaired, ['10.43.0.10']);
    assert.deepEqual(report.duplicates, ['10.43.0.10']);
    assert.deepEqual(report.outOfRange, ['10.99.0.1']);
    const before = h.store.currentRevision();
    await repair.runOnce();
    assert.equal(h.store.currentRevision(), before, 'nothing to write when the bitmap agrees');
  });

  it('rebuilds a bitmap stored for another range (a changed --service-cidr)', async () => {
    await new BitmapAllocator({
      store: h.store,
      key: serviceIPsKey,
      range: parseCidr('10.0.0.0/24'),
    }).allocate('10.0.0.5');
    await stored('a', { clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
    await h.install();
    assert.deepEqual(await ips.values(), ['10.43.0.10']);
    const { kv } = await h.store.get(serviceIPsKey);
    assert.equal(
      (JSON.parse(new TextDecoder().decode(kv!.value)) as { range: string }).range,
      '10.43.0.0/16',
    );
  });

  it('refuses a bad configuration or a registry without services', async () => {
    await assert.rejects(h.install('10.43.0.0', '30000-32767'), /invalid service CIDR "10.43.0.0"/);
    await assert.rejects(h.install('10.43.0.0/16', '32767-30000'), /invalid node port range/);
    await assert.rejects(
      installServiceAllocators({
        registry: new Registry(h.store, []),
        store: h.store,
        serviceCidr: '10.43.0.0/16',
        nodePortRange: '30000-32767',
      }),
      /services are not served/,
    );
  });
});
