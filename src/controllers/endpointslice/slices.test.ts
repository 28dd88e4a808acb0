import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, Service } from '../endpoints/index.ts';
import { desiredGroups, type EndpointSlice, maxEndpointsPerSlice, planSlices } from './slices.ts';
import { SliceTracker } from './tracker.ts';

const service: Service = {
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { tier: 'front' } },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.43.0.5',
    ipFamilies: ['IPv4'],
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
};

function pod(i: number, opts: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name: `p${i}`,
      namespace: 'ns',
      uid: `u${i}`,
      ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName: 'n1' },
    status: {
      phase: 'Running',
      podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

const zones = (node: string): string | undefined => (node === 'n1' ? 'zone-a' : undefined);

/** Applies a plan as the server would, naming created slices. */
function apply(existing: EndpointSlice[], plan: ReturnType<typeof planSlices>): EndpointSlice[] {
  const deleted = new Set(plan.delete.map((s) => s.metadata.name));
  const updated = new Map(plan.update.map((s) => [s.metadata.name, s]));
  let n = existing.length;
  return [
    ...existing.filter((s) => !deleted.has(s.metadata.name)).map((s) => updated.get(s.metadata.name) ?? s),
    ...plan.create.map((s) => ({ ...s, metadata: { ...s.metadata, name: `web-${n++}` } })),
  ];
}

describe('endpointslice planning', () => {
  it('makes endpoints with conditions, node, zone and target', () => {
    const groups = desiredGroups(
      service,
      [pod(1), pod(2, { ready: false }), pod(3, { deleting: true })],
      zones,
    );
    const [g] = [...groups.values()];
    assert.equal(g!.endpoints.length, 3);
    assert.deepEqual(g!.endpoints[0], {
      addresses: ['10.0.0.2'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'p1', uid: 'u1' },
      nodeName: 'n1',
      zone: 'zone-a',
    });
    assert.deepEqual(g!.endpoints[1]!.conditions, { ready: false, serving: false, terminating: false });
    assert.deepEqual(g!.endpoints[2]!.conditions, { ready: false, serving: true, terminating: true });
    assert.deepEqual(g!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('creates slices of at most 100 endpoints with the labels and owner', () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(i));
    const plan = planSlices(service, [], desiredGroups(service, pods, zones), undefined);
    assert.deepEqual(
      plan.create.map((s) => s.endpoints?.length),
      [maxEndpointsPerSlice, maxEndpointsPerSlice, 50],
    );
    const s = plan.create[0]!;
    assert.equal(s.metadata.generateName, 'web-');
    assert.deepEqual(s.metadata.labels, {
      tier: 'front',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.equal(s.metadata.ownerReferences?.[0]?.uid, 'svc-uid');
    assert.equal(s.addressType, 'IPv4');
  });

  it('is a no-op once applied, and changes only the slice holding a changed endpoint', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(i));
    let slices = apply([], planSlices(service, [], desiredGroups(service, pods, zones), undefined));
    const again = planSlices(service, slices, desiredGroups(service, pods, zones), undefined);
    assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
    pods[120] = pod(120, { ready: false });
    const changed = planSlices(service, slices, desiredGroups(service, pods, zones), undefined);
    assert.deepEqual([changed.create.length, changed.update.length, changed.delete.length], [0, 1, 0]);
    slices = apply(slices, changed);
    assert.equal(slices.length, 2);
  });

  it('keeps one placeholder slice when there are no endpoints', () => {
    const plan = planSlices(service, [], desiredGroups(service, [], zones), undefined);
    assert.equal(plan.create.length, 1);
    assert.deepEqual(plan.create[0]!.endpoints, []);
    const slices = apply([], plan);
    const again = planSlices(service, slices, desiredGroups(service, [], zones), undefined);
    assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
    // Endpoints arrive: the placeholder goes, a real slice comes.
    const filled = planSlices(service, slices, desiredGroups(service, [pod(1)], zones), undefined);
    assert.equal(filled.create.length, 1);
    assert.equal(filled.delete.length, 1);
  });
});

describe('SliceTracker', () => {
  it('is stale until the cache shows what was written', () => {
    const t = new SliceTracker();
    const written = { metadata: { name: 'web-1', resourceVersion: '10' } };
    t.expect('ns/web', written);
    assert.equal(
      t.stale('ns/web', () => undefined),
      true,
    );
    assert.equal(
      t.stale('ns/web', () => ({ metadata: { name: 'web-1', resourceVersion: '9' } })),
      true,
    );
    assert.equal(
      t.stale('ns/web', () => written),
      false,
    );
    t.expectDeleted('ns/web', written);
    assert.equal(
      t.stale('ns/web', () => written),
      true,
    );
    assert.equal(
      t.stale('ns/web', () => undefined),
      false,
    );
  });
});
