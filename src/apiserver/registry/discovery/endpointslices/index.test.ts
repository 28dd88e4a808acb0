import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { endpointslices } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');
const ctx = { user: { name: 'u', groups: [] } };

function slice(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    addressType: 'IPv4',
    ...fields,
  };
}

const validate = (fields: Record<string, unknown>) => {
  const obj = slice(fields);
  endpointslices.strategy!.defaults!(obj);
  return endpointslices.strategy!.validate!(obj).map(errorString);
};

describe('endpointslices: defaults and preparation', () => {
  it('defaults port names and protocols, and writes absent lists as null', () => {
    const obj = slice({ ports: [{ port: 80 }, { name: 'dns', protocol: 'UDP', port: 53 }] });
    endpointslices.strategy!.defaults!(obj);
    assert.deepEqual(obj['ports'], [
      { port: 80, name: '', protocol: 'TCP' },
      { name: 'dns', protocol: 'UDP', port: 53 },
    ]);
    assert.equal(obj['endpoints'], null);
  });

  it('starts at generation 1 and drops deprecatedTopology on create', () => {
    const obj = slice({
      endpoints: [{ addresses: ['10.0.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'node-1' } }],
    });
    endpointslices.strategy!.prepareForCreate!(obj, ctx);
    assert.equal(obj.metadata.generation, 1);
    assert.deepEqual(obj['endpoints'], [{ addresses: ['10.0.0.1'] }]);
  });

  it('carries a previously stored topology node name into nodeName on update', () => {
    const old = slice({
      endpoints: [{ addresses: ['10.0.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'node-1' } }],
    });
    const next = slice({
      endpoints: [{ addresses: ['10.0.0.2'], deprecatedTopology: { 'kubernetes.io/hostname': 'node-1' } }],
    });
    endpointslices.strategy!.prepareForUpdate!(next, old);
    assert.deepEqual(next['endpoints'], [{ addresses: ['10.0.0.2'], nodeName: 'node-1' }]);
  });

  it('counts a generation for any change outside metadata', () => {
    const old = slice({ endpoints: [{ addresses: ['10.0.0.1'] }] });
    const same = structuredClone(old);
    same.metadata.labels = { a: 'b' };
    assert.equal(endpointslices.strategy!.specChanged!(same, old), false);
    assert.equal(endpointslices.strategy!.specChanged!(slice({ endpoints: [] }), old), true);
  });
});

describe('endpointslices: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['an IPv4 slice', { endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] }, []],
    ['no addressType', { addressType: undefined }, ['addressType: Required value']],
    [
      'an unknown addressType',
      { addressType: 'IPX' },
      ['addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"'],
    ],
    [
      'an IPv6 address in an IPv4 slice',
      { endpoints: [{ addresses: ['fd00::1'] }] },
      ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    ],
    [
      'a loopback address',
      { endpoints: [{ addresses: ['127.0.0.1'] }] },
      [
        'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
    ],
    [
      'a link-local IPv6 address',
      { addressType: 'IPv6', endpoints: [{ addresses: ['fe80::1'] }] },
      [
        'endpoints[0].addresses[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ],
    ],
    ['an FQDN', { addressType: 'FQDN', endpoints: [{ addresses: ['web.example.com.'] }] }, []],
    [
      'a one-label FQDN',
      { addressType: 'FQDN', endpoints: [{ addresses: ['web'] }] },
      [
        'endpoints[0].addresses[0]: Invalid value: "web": should be a domain with at least two segments separated by dots',
      ],
    ],
    [
      'an endpoint without addresses',
      { endpoints: [{ addresses: [] }] },
      ['endpoints[0].addresses: Required value: must contain at least 1 address'],
    ],
    [
      'duplicate port names',
      {
        ports: [
          { name: 'http', port: 80 },
          { name: 'http', port: 81 },
        ],
      },
      ['ports[1].name: Duplicate value: "http"'],
    ],
    [
      'an unknown protocol',
      { ports: [{ port: 80, protocol: 'ICMP' }] },
      ['ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'a hostname that is no DNS label',
      { endpoints: [{ addresses: ['10.0.0.1'], hostname: 'a.b' }] },
      ['endpoints[0].hostname: Invalid value: "a.b": must not contain dots'],
    ],
    [
      'duplicate zone hints',
      { endpoints: [{ addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'a' }, { name: 'a' }] } }] },
      ['endpoints[0].hints.forZones[1].name: Duplicate value: "a"'],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(validate(fields), want));
  }

  it('keeps the addressType immutable', () => {
    const old = slice({});
    const next = slice({ addressType: 'IPv6' });
    assert.deepEqual(endpointslices.strategy!.validateUpdate!(next, old).map(errorString), [
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
  });
});

describe('endpointslices: table', () => {
  it('has the upstream columns', () => {
    assert.deepEqual(
      endpointslices.table!.columns.map((c) => c.name),
      ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    );
  });

  const cases: Array<[string, Record<string, unknown>, unknown[]]> = [
    ['nothing yet', {}, ['web-abc', 'IPv4', '<unset>', '<unset>', '3h']],
    [
      'ports by number, name or all',
      { ports: [{ port: 80 }, { name: 'dns' }, {}], endpoints: [{ addresses: ['10.0.0.1'] }] },
      ['web-abc', 'IPv4', '80,dns,*', '10.0.0.1', '3h'],
    ],
    [
      'more than three addresses',
      {
        ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }],
        endpoints: [
          { addresses: ['10.0.0.1', '10.0.0.2'] },
          { addresses: ['10.0.0.3', '10.0.0.4', '10.0.0.5'] },
        ],
      },
      ['web-abc', 'IPv4', '1,2,3 + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '3h'],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(endpointslices.table!.row(slice(fields), now), want));
  }
});
