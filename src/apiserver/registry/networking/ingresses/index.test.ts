import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { ingresses } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');
const backend = { service: { name: 'web', port: { number: 80 } } };

function ingress(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
    ...extra,
  };
}

const rule = (path: Record<string, unknown>, host = 'example.com') => ({
  host,
  http: { paths: [{ path: '/', pathType: 'Prefix', backend, ...path }] },
});

const validate = (obj: KubeObject) => ingresses.strategy!.validate!(obj).map(errorString);

describe('ingresses: definition', () => {
  it('is namespaced networking.k8s.io/v1 with the ing short name and a status subresource', () => {
    assert.equal(ingresses.group, 'networking.k8s.io');
    assert.equal(ingresses.namespaced, true);
    assert.deepEqual(ingresses.shortNames, ['ing']);
    assert.ok(ingresses.status);
  });

  it('drops a client-set status on create', () => {
    const obj = ingress(
      { defaultBackend: backend },
      { status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
    );
    ingresses.strategy!.prepareForCreate!(obj, { user: { name: 'u', groups: [] } });
    assert.deepEqual(obj['status'], { loadBalancer: {} });
  });
});

describe('ingresses: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a default backend alone', { defaultBackend: backend }, []],
    ['a rule alone', { rules: [rule({})] }, []],
    [
      'neither rules nor a default backend',
      {},
      ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified'],
    ],
    [
      'an IP as host',
      { rules: [rule({}, '1.2.3.4')] },
      ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address'],
    ],
    ['a wildcard host', { rules: [rule({}, '*.example.com')] }, []],
    [
      'a path without pathType',
      { rules: [rule({ pathType: undefined })] },
      ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    ],
    [
      'an unknown pathType',
      { rules: [rule({ pathType: 'Regex' })] },
      [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ],
    ],
    [
      'a relative Exact path',
      { rules: [rule({ pathType: 'Exact', path: 'foo' })] },
      ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path'],
    ],
    [
      'a Prefix path ending in /..',
      { rules: [rule({ path: '/a/..' })] },
      [`spec.rules[0].http.paths[0].path: Invalid value: "/a/..": cannot end with '/..'`],
    ],
    [
      'an ImplementationSpecific empty path',
      { rules: [rule({ pathType: 'ImplementationSpecific', path: '' })] },
      [],
    ],
    [
      'a rule without paths',
      { rules: [{ host: 'example.com', http: { paths: [] } }] },
      ['spec.rules[0].http.paths: Required value'],
    ],
    [
      'a backend with port name and number',
      { defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } },
      ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number'],
    ],
    [
      'a backend without port',
      { defaultBackend: { service: { name: 'web', port: {} } } },
      ['spec.defaultBackend: Required value: port name or number is required'],
    ],
    [
      'a backend port out of range',
      { defaultBackend: { service: { name: 'web', port: { number: 70000 } } } },
      [
        'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'a backend with neither service nor resource',
      { defaultBackend: {} },
      ['spec.defaultBackend: Invalid value: "": resource or service backend is required'],
    ],
    [
      'a resource backend without kind',
      { defaultBackend: { resource: { apiGroup: 'k8s.example.com', name: 'static' } } },
      ['spec.defaultBackend.resource.kind: Required value: kind is required'],
    ],
    [
      'both backends',
      { defaultBackend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } },
      ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
    ],
    [
      'a TLS secret name that is no subdomain',
      { defaultBackend: backend, tls: [{ hosts: ['example.com'], secretName: 'Bad_Name' }] },
      [
        `spec.tls[0].secretName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(validate(ingress(spec)), want));
  }

  it('rejects a service name that is no DNS-1035 label', () => {
    const errs = validate(ingress({ defaultBackend: { service: { name: '1web', port: { number: 80 } } } }));
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /^spec\.defaultBackend\.service\.name: Invalid value: "1web": a DNS-1035 label/);
  });

  it('rejects a class annotation that contradicts ingressClassName on create', () => {
    const obj = ingress({ defaultBackend: backend, ingressClassName: 'nginx' });
    obj.metadata.annotations = { 'kubernetes.io/ingress.class': 'traefik' };
    assert.deepEqual(validate(obj), [
      'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    ]);
  });

  it('keeps an already stored invalid TLS secret name on update', () => {
    const obj = ingress({ defaultBackend: backend, tls: [{ secretName: 'Bad_Name' }] });
    assert.deepEqual(ingresses.strategy!.validateUpdate!(obj, structuredClone(obj)), []);
    const old = ingress({ defaultBackend: backend });
    assert.equal(ingresses.strategy!.validateUpdate!(obj, old).length, 1);
  });

  it('validates the load balancer status on status updates', () => {
    const obj = ingress(
      { defaultBackend: backend },
      { status: { loadBalancer: { ingress: [{ ip: '300.1.1.1' }, { hostname: '10.0.0.1' }] } } },
    );
    assert.deepEqual(ingresses.status!.validateUpdate!(obj, obj).map(errorString), [
      'status.loadBalancer.ingress[0].ip: Invalid value: "300.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.loadBalancer.ingress[1].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    ]);
  });
});

describe('ingresses: table', () => {
  it('has the upstream columns', () => {
    assert.deepEqual(
      ingresses.table!.columns.map((c) => c.name),
      ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
    );
  });

  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['a default backend only', ingress({ defaultBackend: backend }), ['web', '<none>', '*', '', '80', '3h']],
    [
      'class, hosts, TLS and addresses',
      ingress(
        {
          ingressClassName: 'nginx',
          rules: [rule({}, 'a.com'), rule({}, 'b.com')],
          tls: [{ hosts: ['a.com'] }],
        },
        {
          status: {
            loadBalancer: {
              ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.2' }],
            },
          },
        },
      ),
      ['web', 'nginx', 'a.com,b.com', '10.0.0.2,lb.example.com', '80, 443', '3h'],
    ],
    [
      'more than three rules',
      ingress({ rules: ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'].map((h) => rule({}, h)) }),
      ['web', '<none>', 'a.com,b.com,c.com + 2 more...', '', '80', '3h'],
    ],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => assert.deepEqual(ingresses.table!.row(obj, now), want));
  }
});
