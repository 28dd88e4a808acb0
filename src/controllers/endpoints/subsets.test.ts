import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPort, type Pod, podServiceKeys, type Service, shouldPodBeInEndpoints } from './pods.ts';
import { computeSubsets, desiredEndpoints } from './subsets.ts';
import { TriggerTimeTracker } from './trigger-time.ts';

function pod(
  name: string,
  ip: string,
  opts: { ready?: boolean; deleting?: boolean; phase?: string } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: { app: 'web' },
      ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: 'n1',
      containers: [
        {
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
          ],
        },
      ],
    },
    status: {
      phase: opts.phase ?? 'Running',
      podIP: ip,
      conditions: [
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: '2024-01-01T00:00:10Z',
        },
      ],
    },
  };
}

const service: Service = {
  metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.43.0.5',
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
  },
};

describe('findPort', () => {
  const p = pod('a', '10.0.0.1');
  const cases: Array<[string, Parameters<typeof findPort>[1], number | undefined]> = [
    ['by number', { port: 80, targetPort: 9090 }, 9090],
    ['defaults to the port', { port: 80 }, 80],
    ['by name', { port: 80, targetPort: 'http' }, 8080],
    ['by name and protocol', { port: 53, targetPort: 'dns', protocol: 'UDP' }, 53],
    ['protocol mismatch', { port: 53, targetPort: 'dns' }, undefined],
    ['unknown name', { port: 80, targetPort: 'nope' }, undefined],
  ];
  for (const [name, sp, want] of cases) it(name, () => assert.equal(findPort(p, sp), want));
});

describe('shouldPodBeInEndpoints', () => {
  it('needs an IP, a live phase, and no deletion unless terminating pods are wanted', () => {
    assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1'), false), true);
    assert.equal(shouldPodBeInEndpoints(pod('a', ''), false), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { phase: 'Succeeded' }), true), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), false), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), true), true);
  });
});

describe('computeSubsets', () => {
  it('splits ready and not-ready addresses, sorted by IP, with resolved ports', () => {
    const subsets = computeSubsets(service, [
      pod('b', '10.0.0.10'),
      pod('a', '10.0.0.9'),
      pod('c', '10.0.0.11', { ready: false }),
      pod('d', '', {}),
    ]);
    assert.equal(subsets.length, 1);
    assert.deepEqual(
      subsets[0]!.addresses!.map((a) => a.ip),
      ['10.0.0.9', '10.0.0.10'],
    );
    assert.deepEqual(subsets[0]!.addresses![0]!.targetRef, {
      kind: 'Pod',
      namespace: 'ns',
      name: 'a',
      uid: 'uid-a',
    });
    assert.equal(subsets[0]!.addresses![0]!.nodeName, 'n1');
    assert.deepEqual(
      subsets[0]!.notReadyAddresses!.map((a) => a.ip),
      ['10.0.0.11'],
    );
    assert.deepEqual(subsets[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('publishNotReadyAddresses makes every address ready', () => {
    const s = { ...service, spec: { ...service.spec, publishNotReadyAddresses: true } };
    const subsets = computeSubsets(s, [pod('c', '10.0.0.11', { ready: false })]);
    assert.equal(subsets[0]!.addresses?.length, 1);
    assert.equal(subsets[0]!.notReadyAddresses, undefined);
  });

  it('groups pods by the ports they offer', () => {
    const other = pod('x', '10.0.0.20');
    other.spec = { containers: [{ ports: [{ name: 'http', containerPort: 9000 }] }] };
    const subsets = computeSubsets(service, [pod('a', '10.0.0.9'), other]);
    assert.equal(subsets.length, 2);
  });

  it('headless services without ports get addresses without ports', () => {
    const headless: Service = {
      metadata: service.metadata,
      spec: { selector: { app: 'web' }, clusterIP: 'None' },
    };
    const subsets = computeSubsets(headless, [pod('a', '10.0.0.9')]);
    assert.deepEqual(subsets, [{ addresses: subsets[0]!.addresses }]);
  });
});

describe('desiredEndpoints', () => {
  it('writes nothing when the subsets and labels are unchanged', () => {
    const subsets = computeSubsets(service, [pod('a', '10.0.0.9')]);
    const first = desiredEndpoints(service, undefined, subsets, '2024-01-01T00:00:00Z')!;
    assert.equal(first.metadata.name, 'web');
    assert.equal(
      first.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'],
      '2024-01-01T00:00:00Z',
    );
    assert.equal(
      desiredEndpoints(service, first, computeSubsets(service, [pod('a', '10.0.0.9')]), undefined),
      undefined,
    );
  });

  it('labels headless services', () => {
    const headless: Service = {
      metadata: service.metadata,
      spec: { selector: { app: 'web' }, clusterIP: 'None' },
    };
    assert.equal(
      desiredEndpoints(headless, undefined, [], undefined)!.metadata.labels?.[
        'service.kubernetes.io/headless'
      ],
      '',
    );
  });
});

describe('TriggerTimeTracker', () => {
  it('uses the creation time first, then the earliest changed pod trigger time', () => {
    const t = new TriggerTimeTracker();
    const a = pod('a', '10.0.0.9');
    assert.equal(t.compute(service, [a]), Date.parse('2024-01-01T00:00:00Z'));
    assert.equal(t.compute(service, [a]), undefined);
    const b = pod('b', '10.0.0.10');
    b.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:01:00Z' }];
    assert.equal(t.compute(service, [a, b]), Date.parse('2024-01-01T00:01:00Z'));
  });
});

describe('podServiceKeys', () => {
  it('finds the services selecting a pod, never the ones without a selector', () => {
    const none: Service = { metadata: { name: 'manual', namespace: 'ns' }, spec: {} };
    assert.deepEqual(podServiceKeys(pod('a', '10.0.0.9'), [service, none]), ['ns/web']);
  });
});
