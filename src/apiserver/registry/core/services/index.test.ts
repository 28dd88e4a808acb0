import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { services } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');
const ctx = { user: { name: 'admin', groups: [] } };

function svc(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
    ...extra,
  };
}

/** The handler's create path: prepare, default, validate. */
function create(body: KubeObject): { obj: KubeObject; fields: string[] } {
  const obj = structuredClone(body);
  services.strategy!.prepareForCreate!(obj, ctx);
  services.strategy!.defaults!(obj);
  return { obj, fields: services.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}`) };
}

/** The handler's update path: status from old, prepare, default, validateUpdate. */
function update(old: KubeObject, body: KubeObject): { obj: KubeObject; fields: string[] } {
  const obj = structuredClone(body);
  obj['status'] = old['status'];
  services.strategy!.prepareForUpdate!(obj, old);
  services.strategy!.defaults!(obj);
  return { obj, fields: services.strategy!.validateUpdate!(obj, old).map((e) => `${e.type} ${e.field}`) };
}

describe('services defaults', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: Record<string, unknown> }> = [
    {
      name: 'a plain ClusterIP service',
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
      want: {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      },
    },
    {
      name: 'a NodePort keeps its named target port and gets an external traffic policy',
      spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }] },
      want: {
        type: 'NodePort',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, protocol: 'UDP', targetPort: 'http' }],
      },
    },
    {
      name: 'a LoadBalancer allocates node ports by default',
      spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 0 }] },
      want: {
        externalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
      },
    },
    {
      name: 'ClientIP affinity gets the three-hour timeout',
      spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] },
      want: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
    },
    {
      name: 'an ExternalName service has no IP family fields',
      spec: { type: 'ExternalName', externalName: 'example.com' },
      want: { ipFamilies: undefined, ipFamilyPolicy: undefined, internalTrafficPolicy: undefined },
    },
    {
      name: 'a headless service is single-stack too',
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
      want: { clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' },
    },
    {
      name: 'families follow the cluster IPs given',
      spec: { clusterIP: 'fd00::10', ports: [{ port: 80 }] },
      want: { clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] },
    },
    {
      name: 'ClusterIP with external IPs is externally accessible',
      spec: { externalIPs: ['192.0.2.10'], ports: [{ port: 80 }] },
      want: { externalTrafficPolicy: 'Cluster' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { obj, fields } = create(svc(c.spec));
      assert.deepEqual(fields, []);
      const spec = obj['spec'] as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(spec[k], v, k);
    });
  }

  it('clears the status a client sends on create', () => {
    const { obj } = create(
      svc({ ports: [{ port: 80 }] }, { status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }),
    );
    assert.deepEqual(obj['status'], { loadBalancer: {} });
  });
});

describe('services validation', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'ports are required', spec: { selector: { a: 'b' } }, want: ['FieldValueRequired spec.ports'] },
    { name: 'a headless service needs no ports', spec: { clusterIP: 'None' }, want: [] },
    {
      name: 'an ExternalName service needs no ports but a name',
      spec: { type: 'ExternalName' },
      want: ['FieldValueRequired spec.externalName'],
    },
    {
      name: 'ports are 1-65535',
      spec: { ports: [{ port: 0 }, { name: 'b', port: 70000 }] },
      want: [
        'FieldValueRequired spec.ports[0].name',
        'FieldValueInvalid spec.ports[0].port',
        'FieldValueInvalid spec.ports[0].targetPort',
        'FieldValueInvalid spec.ports[1].port',
        'FieldValueInvalid spec.ports[1].targetPort',
      ],
    },
    {
      name: 'several ports need unique names',
      spec: {
        ports: [
          { name: 'http', port: 80 },
          { name: 'http', port: 81 },
        ],
      },
      want: ['FieldValueDuplicate spec.ports[1].name'],
    },
    {
      name: 'an unknown type',
      spec: { type: 'Magic', ports: [{ port: 80 }] },
      want: ['FieldValueNotSupported spec.type'],
    },
    {
      name: 'an unknown protocol',
      spec: { ports: [{ port: 80, protocol: 'ICMP' }] },
      want: ['FieldValueNotSupported spec.ports[0].protocol'],
    },
    {
      name: 'a node port on a ClusterIP service',
      spec: { ports: [{ port: 80, nodePort: 30080 }] },
      want: ['FieldValueForbidden spec.ports[0].nodePort'],
    },
    {
      name: 'duplicate port and protocol',
      spec: {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ],
      },
      want: ['FieldValueDuplicate spec.ports[1]'],
    },
    {
      name: 'a headless LoadBalancer',
      spec: { type: 'LoadBalancer', clusterIP: 'None', ports: [{ port: 80 }] },
      want: ['FieldValueInvalid spec.clusterIPs[0]'],
    },
    {
      name: 'a loopback external IP',
      spec: { externalIPs: ['127.0.0.1'], ports: [{ port: 80 }] },
      want: ['FieldValueInvalid spec.externalIPs[0]'],
    },
    {
      name: 'a malformed cluster IP',
      spec: { clusterIP: '10.0.0.300', ports: [{ port: 80 }] },
      want: ['FieldValueInvalid spec.clusterIPs[0]'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(create(svc(c.spec)).fields, c.want));
  }

  it('prints upstream messages', () => {
    const obj = svc({ ports: [{ port: 80, protocol: 'ICMP' }] });
    services.strategy!.defaults!(obj);
    const [e] = services.strategy!.validate!(obj);
    assert.equal(e?.detail, 'supported values: "SCTP", "TCP", "UDP"');
  });
});

describe('services update', () => {
  const old = create(svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' })).obj;

  it('keeps the allocated cluster IP when a client omits it', () => {
    const { obj, fields } = update(old, svc({ ports: [{ port: 8080 }] }));
    assert.deepEqual(fields, []);
    assert.equal((obj['spec'] as Record<string, unknown>)['clusterIP'], '10.96.0.10');
    assert.deepEqual((obj['spec'] as Record<string, unknown>)['clusterIPs'], ['10.96.0.10']);
  });

  it('refuses a new cluster IP', () => {
    const { fields } = update(old, svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11' }));
    assert.deepEqual(fields, ['FieldValueInvalid spec.clusterIPs[0]']);
  });

  it('drops the cluster IP when changing to ExternalName', () => {
    const { obj, fields } = update(old, svc({ type: 'ExternalName', externalName: 'db.example.com' }));
    assert.deepEqual(fields, []);
    const spec = obj['spec'] as Record<string, unknown>;
    assert.equal(spec['clusterIP'], undefined);
    assert.equal(spec['ipFamilies'], undefined);
  });

  it('keeps node ports across an update that omits them', () => {
    const np = create(
      svc({ type: 'NodePort', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 30080 }] }),
    ).obj;
    const { obj } = update(np, svc({ type: 'NodePort', ports: [{ port: 80 }] }));
    assert.deepEqual((obj['spec'] as { ports: unknown[] }).ports, [
      { port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 },
    ]);
  });

  it('takes only status on the status subresource, defaulting the ingress IP mode', () => {
    const lb = create(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] })).obj;
    const body = svc(
      { type: 'ClusterIP' },
      { status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } } },
    );
    services.status!.prepareForUpdate!(body, lb);
    assert.equal((body['spec'] as Record<string, unknown>)['type'], 'LoadBalancer');
    assert.deepEqual(body['status'], { loadBalancer: { ingress: [{ ip: '203.0.113.5', ipMode: 'VIP' }] } });
  });
});

describe('services table', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; status?: unknown; want: unknown[] }> = [
    {
      name: 'ClusterIP',
      spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] },
      want: ['web', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '3h', '<none>'],
    },
    {
      name: 'NodePort with several ports and a selector',
      spec: {
        type: 'NodePort',
        clusterIPs: ['10.96.0.2'],
        selector: { tier: 'web', app: 'shop' },
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, nodePort: 30053, protocol: 'UDP' },
        ],
      },
      want: [
        'web',
        'NodePort',
        '10.96.0.2',
        '<none>',
        '80:30080/TCP,53:30053/UDP',
        '3h',
        'app=shop,tier=web',
      ],
    },
    {
      name: 'LoadBalancer without ingress',
      spec: {
        type: 'LoadBalancer',
        clusterIPs: ['10.96.0.3'],
        ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }],
      },
      want: ['web', 'LoadBalancer', '10.96.0.3', '<pending>', '80:31000/TCP', '3h', '<none>'],
    },
    {
      name: 'LoadBalancer with ingress and external IPs',
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.4'], externalIPs: ['192.0.2.1'], ports: [] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }] } },
      want: [
        'web',
        'LoadBalancer',
        '10.96.0.4',
        '203.0.113.9,lb.example.com,192.0.2.1',
        '<none>',
        '3h',
        '<none>',
      ],
    },
    {
      name: 'headless',
      spec: {
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
      want: ['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '3h', '<none>'],
    },
    {
      name: 'ExternalName',
      spec: { type: 'ExternalName', externalName: 'db.example.com' },
      want: ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '3h', '<none>'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const obj = svc(c.spec, c.status === undefined ? {} : { status: c.status });
      assert.deepEqual(services.table!.row(obj, now), c.want);
    });
  }

  it('has the upstream columns, Selector only with -o wide', () => {
    assert.deepEqual(
      services.table!.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Type', 0],
        ['Cluster-IP', 0],
        ['External-IP', 0],
        ['Port(s)', 0],
        ['Age', 0],
        ['Selector', 1],
      ],
    );
  });
});

describe('services field selectors', () => {
  it('offers spec.clusterIP and spec.type besides metadata', () => {
    const obj = svc({ type: 'NodePort', clusterIP: '10.96.0.7' });
    assert.deepEqual(objectFields(services, obj), {
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.clusterIP': '10.96.0.7',
      'spec.type': 'NodePort',
    });
  });

  it('names the resource as upstream discovery does', () => {
    assert.deepEqual(
      [services.shortNames, services.categories, services.namespaced, services.verbs],
      [['svc'], ['all'], true, undefined],
    );
  });
});
