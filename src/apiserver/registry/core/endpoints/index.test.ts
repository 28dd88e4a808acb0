import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { endpoints, formatEndpoints } from './index.ts';

function ep(subsets: unknown): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    subsets,
  };
}

describe('endpoints', () => {
  it('defaults port protocols to TCP', () => {
    const obj = ep([
      { addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] },
    ]);
    endpoints.strategy!.defaults!(obj);
    assert.deepEqual((obj['subsets'] as Array<{ ports: unknown }>)[0]!.ports, [
      { port: 80, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
  });

  const cases: Array<{ name: string; subsets: unknown; want: string[] }> = [
    {
      name: 'valid',
      subsets: [{ addresses: [{ ip: '10.0.0.1', hostname: 'a' }], ports: [{ port: 80, protocol: 'TCP' }] }],
      want: [],
    },
    {
      name: 'no addresses',
      subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
      want: ['FieldValueRequired subsets[0]'],
    },
    {
      name: 'bad and special IPs',
      subsets: [{ addresses: [{ ip: 'nope' }], notReadyAddresses: [{ ip: '127.0.0.1' }] }],
      want: [
        'FieldValueInvalid subsets[0].addresses[0].ip',
        'FieldValueInvalid subsets[0].addresses[0].ip',
        'FieldValueInvalid subsets[0].notReadyAddresses[0].ip',
      ],
    },
    {
      name: 'unnamed ports among several, bad port number',
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }],
          ports: [
            { port: 80, protocol: 'TCP' },
            { name: 'b', port: 0, protocol: 'TCP' },
          ],
        },
      ],
      want: ['FieldValueRequired subsets[0].ports[0].name', 'FieldValueInvalid subsets[0].ports[1].port'],
    },
  ];
  for (const c of cases) {
    it(`validates: ${c.name}`, () =>
      assert.deepEqual(
        endpoints.strategy!.validate!(ep(c.subsets)).map((e) => `${e.type} ${e.field}`),
        c.want,
      ));
  }

  const rows: Array<{ name: string; subsets: unknown; want: string }> = [
    { name: 'none', subsets: undefined, want: '<none>' },
    {
      name: 'ip:port pairs',
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 8080 }] }],
      want: '10.0.0.1:8080,10.0.0.2:8080',
    },
    { name: 'portless (headless)', subsets: [{ addresses: [{ ip: '10.0.0.1' }] }], want: '10.0.0.1' },
    {
      name: 'IPv6 bracketed',
      subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }],
      want: '[fd00::1]:80',
    },
    {
      name: 'more than three',
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
        { addresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] },
      ],
      want: '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...',
    },
  ];
  for (const r of rows) it(`prints: ${r.name}`, () => assert.equal(formatEndpoints(ep(r.subsets)), r.want));

  it('is its own singular', () => {
    assert.deepEqual([endpoints.singular, endpoints.shortNames], ['endpoints', ['ep']]);
    assert.deepEqual(
      endpoints.table!.columns.map((c) => c.name),
      ['Name', 'Endpoints', 'Age'],
    );
  });
});
