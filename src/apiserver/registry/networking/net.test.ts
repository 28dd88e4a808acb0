import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../api/field-errors.ts';
import { cidrContains, isV4, parseCIDR, parseIP, validateNonSpecialIP } from './net.ts';

describe('net: parseIP (ParseIPSloppy)', () => {
  const cases: Array<[string, string | undefined]> = [
    ['10.0.0.1', '::ffff:a00:1'],
    ['010.000.000.001', '::ffff:a00:1'],
    ['::1', '::1'],
    ['2001:db8::ff00:42:8329', '2001:db8::ff00:42:8329'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['256.0.0.1', undefined],
    ['1.2.3', undefined],
    ['fe80::1%eth0', undefined],
    ['example.com', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      const ip = parseIP(input);
      if (want === undefined) return assert.equal(ip, undefined);
      assert.ok(ip);
      const groups = [];
      for (let i = 0; i < 16; i += 2) groups.push(((ip[i]! << 8) | ip[i + 1]!).toString(16));
      // Compare with node's canonical form of the same 16 bytes.
      assert.equal(new URL(`http://[${groups.join(':')}]`).hostname, `[${want}]`);
    });
  }

  it('knows IPv4 in both spellings', () => {
    assert.equal(isV4(parseIP('1.2.3.4')!), true);
    assert.equal(isV4(parseIP('::ffff:1.2.3.4')!), true);
    assert.equal(isV4(parseIP('::1')!), false);
  });
});

describe('net: CIDRs', () => {
  it('masks the network address', () => {
    assert.deepEqual(parseCIDR('10.1.2.3/16'), { ip: Uint8Array.from([10, 1, 0, 0]), prefix: 16 });
    assert.equal(parseCIDR('10.1.2.3/33'), undefined);
    assert.equal(parseCIDR('10.1.2.3'), undefined);
    assert.equal(parseCIDR('2001:db8::/129'), undefined);
  });

  it('contains addresses of its own family only', () => {
    const net = parseCIDR('10.0.0.0/8')!;
    assert.equal(cidrContains(net, parseIP('10.200.0.1')!), true);
    assert.equal(cidrContains(net, parseIP('11.0.0.1')!), false);
    assert.equal(cidrContains(net, parseIP('::a00:1')!), false);
    assert.equal(cidrContains(parseCIDR('2001:db8::/32')!, parseIP('2001:db8:1::1')!), true);
  });
});

describe('net: validateNonSpecialIP', () => {
  const cases: Array<[string, string[]]> = [
    ['10.0.0.1', []],
    ['0.0.0.0', ['x: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']],
    ['::', ['x: Invalid value: "::": may not be unspecified (::)']],
    ['::1', ['x: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    [
      '169.254.1.1',
      ['x: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ],
    [
      '224.0.0.5',
      [
        'x: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      ],
    ],
    [
      'ff02::1',
      ['x: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
    ],
    ['bogus', ['x: Invalid value: "bogus": must be a valid IP address']],
  ];
  for (const [input, want] of cases) {
    it(input, () => assert.deepEqual(validateNonSpecialIP(input, 'x').map(errorString), want));
  }
});
