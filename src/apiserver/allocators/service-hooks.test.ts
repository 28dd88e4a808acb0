import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.ts';
import { StatusError } from '../../api/status.ts';
import { BitmapAllocator } from './bitmap-allocator.ts';
import { nodePortsKey, serviceIPsKey } from './index.ts';
import { parseCidr, parsePortRange } from './ip-range.ts';
import { type Harness, harness, service, specOf } from './testing.ts';

/** Asserts a 422 Invalid Service with exactly this message. */
async function rejects422(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.status.code, 422);
    assert.equal(e.status.message, message);
    return true;
  });
}

const nodePorts = (obj: KubeObject): number[] =>
  (specOf(obj)['ports'] as { nodePort?: number }[]).map((p) => p.nodePort ?? 0);

describe('Service allocation hooks', () => {
  let h: Harness;
  let ips: BitmapAllocator<string>;
  let ports: BitmapAllocator<number>;
  beforeEach(async () => {
    h = harness();
    await h.install();
    ips = new BitmapAllocator({ store: h.store, key: serviceIPsKey, range: parseCidr('10.43.0.0/16') });
    ports = new BitmapAllocator({ store: h.store, key: nodePortsKey, range: parsePortRange('30000-32767') });
  });
  afterEach(() => h.close());

  const web = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
    ports: [{ port: 80, protocol: 'TCP' }],
    ...spec,
  });

  it('gives a ClusterIP service a free address from the range', async () => {
    const s = specOf(await h.create(service('a', web({ type: 'ClusterIP' }))));
    const ip = s['clusterIP'] as string;
    assert.match(ip, /^10\.43\.\d+\.\d+$/);
    assert.notEqual(ip, '10.43.0.0');
    assert.deepEqual(s['clusterIPs'], [ip]);
    assert.deepEqual(s['ipFamilies'], ['IPv4']);
    assert.equal(s['ipFamilyPolicy'], 'SingleStack');
    assert.deepEqual(await ips.values(), [ip]);
  });

  it('allocates a requested address exactly, and refuses it a second time as upstream words it', async () => {
    const a = await h.create(service('a', web({ clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'] })));
    assert.equal(specOf(a)['clusterIP'], '10.43.0.10');
    await rejects422(
      h.create(service('b', web({ clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'] }))),
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.10"}: failed to allocate IP 10.43.0.10: provided IP is already allocated',
    );
    await rejects422(
      h.create(service('c', web({ clusterIP: '10.0.0.1' }))),
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
    );
    assert.deepEqual(await ips.values(), ['10.43.0.10']);
  });

  it('rejects IP families and dual-stack the cluster is not configured for', async () => {
    await rejects422(
      h.create(service('a', web({ ipFamilyPolicy: 'RequireDualStack' }))),
      'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    await rejects422(
      h.create(service('b', web({ ipFamilies: ['IPv6'] }))),
      'Service "b" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    );
    await rejects422(
      h.create(service('c', web({ clusterIP: 'fd00::1', clusterIPs: ['fd00::1'] }))),
      'Service "c" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::1"}: IPv6 is not configured on this cluster',
    );
  });

  it('allocates nothing for headless and ExternalName services', async () => {
    const headless = specOf(await h.create(service('h', { clusterIP: 'None', selector: { app: 'x' } })));
    assert.deepEqual(headless['clusterIPs'], ['None']);
    const bare = specOf(await h.create(service('bare', { clusterIP: 'None' })));
    assert.deepEqual(bare['ipFamilies'], ['IPv4', 'IPv6']);
    assert.equal(bare['ipFamilyPolicy'], 'RequireDualStack');
    const ext = specOf(await h.create(service('e', { type: 'ExternalName', externalName: 'example.com' })));
    assert.equal(ext['clusterIP'], undefined);
    assert.deepEqual(await ips.values(), []);
  });

  it('allocates node ports, shared by the TCP and UDP entries of one port number', async () => {
    const dns = await h.create(
      service('dns', {
        type: 'NodePort',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP', nodePort: 30080 },
        ],
      }),
    );
    const [udp, tcp, metrics] = nodePorts(dns);
    assert.ok(udp! >= 30000 && udp! <= 32767);
    assert.equal(tcp, udp);
    assert.equal(metrics, 30080);
    assert.deepEqual((await ports.values()).sort(), [udp, 30080].sort());
    await rejects422(
      h.create(service('b', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })),
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    await rejects422(
      h.create(service('c', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 80 }] })),
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // The failed creates gave their cluster IPs back.
    assert.equal((await ips.values()).length, 1);
  });

  it('gives a LoadBalancer with externalTrafficPolicy Local a health check node port', async () => {
    const lb = specOf(
      await h.create(service('lb', web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }))),
    );
    const hc = lb['healthCheckNodePort'] as number;
    assert.ok(hc >= 30000 && hc <= 32767);
    assert.equal((await ports.values()).length, 2);
    const noPorts = await h.create(
      service('lb2', web({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })),
    );
    assert.deepEqual(nodePorts(noPorts), [0]);
    assert.equal((await ports.values()).length, 2);
  });

  it('on update allocates what the new type needs and releases what it dropped only on commit', async () => {
    const a = await h.create(service('a', web({ type: 'ClusterIP' })));
    const ip = specOf(a)['clusterIP'];
    const asNodePort = structuredClone(a);
    specOf(asNodePort)['type'] = 'NodePort';
    const b = await h.update(asNodePort, a);
    assert.equal(specOf(b)['clusterIP'], ip);
    const [np] = nodePorts(b);
    assert.deepEqual(await ports.values(), [np]);

    const back = structuredClone(b);
    specOf(back)['type'] = 'ClusterIP';
    delete (specOf(back)['ports'] as Record<string, unknown>[])[0]!['nodePort'];
    const hook = await h.services.hooks.beforeUpdate!(back, b, { dryRun: false });
    assert.deepEqual(await ports.values(), [np], 'kept until the write is stored');
    await hook?.undo?.();
    assert.deepEqual(await ports.values(), [np], 'a failed write keeps them');
    const c = await h.update(structuredClone(back), b);
    assert.deepEqual(await ports.values(), []);

    const ext = structuredClone(c);
    specOf(ext)['type'] = 'ExternalName';
    specOf(ext)['externalName'] = 'example.com';
    delete specOf(ext)['clusterIP'];
    delete specOf(ext)['clusterIPs'];
    const d = await h.update(ext, c);
    assert.deepEqual(await ips.values(), []);

    const again = structuredClone(d);
    specOf(again)['type'] = 'ClusterIP';
    const e = await h.update(again, d);
    assert.match(specOf(e)['clusterIP'] as string, /^10\.43\./);
    assert.equal((await ips.values()).length, 1);
  });

  it('keeps existing node ports on update and reserves only the new ones', async () => {
    const a = await h.create(
      service('a', { type: 'NodePort', ports: [{ name: 'a', port: 80, protocol: 'TCP' }] }),
    );
    const [first] = nodePorts(a);
    const next = structuredClone(a);
    (specOf(next)['ports'] as unknown[]).push({ name: 'b', port: 81, protocol: 'TCP', nodePort: 31000 });
    const b = await h.update(next, a);
    assert.deepEqual(nodePorts(b), [first, 31000]);
    assert.deepEqual((await ports.values()).sort(), [first, 31000].sort());
    const fewer = structuredClone(b);
    (specOf(fewer)['ports'] as unknown[]).splice(0, 1);
    await h.update(fewer, b);
    assert.deepEqual(await ports.values(), [31000]);
  });

  it('undo gives back what a failed create reserved', async () => {
    const obj = service('a', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] });
    const hook = await h.services.hooks.beforeCreate!(obj, { dryRun: false });
    assert.equal((await ips.values()).length, 1);
    assert.equal((await ports.values()).length, 1);
    await hook?.undo?.();
    assert.deepEqual(await ips.values(), []);
    assert.deepEqual(await ports.values(), []);
  });

  it('undo of a failed update gives back only what the update reserved', async () => {
    const a = await h.create(service('a', web({ type: 'ClusterIP' })));
    const next = structuredClone(a);
    specOf(next)['type'] = 'NodePort';
    const hook = await h.services.hooks.beforeUpdate!(next, a, { dryRun: false });
    assert.equal((await ports.values()).length, 1);
    await hook?.undo?.();
    assert.deepEqual(await ports.values(), []);
    assert.deepEqual(await ips.values(), [specOf(a)['clusterIP']]);
  });

  it('afterDelete releases everything the service held', async () => {
    const a = await h.create(
      service('a', web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.43.0.10' })),
    );
    assert.equal((await ports.values()).length, 2);
    await h.remove(a);
    assert.deepEqual(await ips.values(), []);
    assert.deepEqual(await ports.values(), []);
    // The address can be taken again.
    await h.create(service('b', web({ clusterIP: '10.43.0.10' })));
  });

  it('a dry run checks and fills the values but reserves nothing', async () => {
    const before = h.store.currentRevision();
    const dry = await h.create(
      service('a', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] }),
      true,
    );
    assert.match(specOf(dry)['clusterIP'] as string, /^10\.43\./);
    assert.ok(nodePorts(dry)[0]! >= 30000);
    assert.equal(h.store.currentRevision(), before);
    await h.create(service('b', web({ clusterIP: '10.43.0.10' })));
    await rejects422(
      h.create(service('c', web({ clusterIP: '10.43.0.10' })), true),
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.10"}: failed to allocate IP 10.43.0.10: provided IP is already allocated',
    );
  });
});

describe('two API servers on one store', () => {
  it('never give two services the same address or node port', async () => {
    const one = harness();
    const two = harness(undefined, one.store);
    await one.install('10.43.0.0/26', '30000-30039');
    await two.install('10.43.0.0/26', '30000-30039');
    const create = (h: Harness, i: number) =>
      h.create(service(`s${i}`, { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] }));
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => create(i % 2 === 0 ? one : two, i)),
    );
    const addresses = created.map((o) => specOf(o)['clusterIP']);
    const allocated = created.flatMap(nodePorts);
    assert.equal(new Set(addresses).size, 40);
    assert.equal(new Set(allocated).size, 40);
    await assert.rejects(create(one, 99), { message: /failed to allocate a nodePort: range is full/ });
    await two.close();
    await one.close();
  });
});
