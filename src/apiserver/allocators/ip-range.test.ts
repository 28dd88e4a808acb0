import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIPv4, parseCidr, parseIPv4, parsePortRange } from './ip-range.ts';

describe('parseCidr', () => {
  it('maps offsets to addresses, without the network and broadcast addresses', () => {
    const r = parseCidr('10.43.0.0/16');
    assert.equal(r.spec, '10.43.0.0/16');
    assert.equal(r.size, 65534);
    assert.equal(r.first, '10.43.0.1');
    assert.equal(r.valueAt(0), '10.43.0.1');
    assert.equal(r.valueAt(r.size - 1), '10.43.255.254');
    assert.equal(r.offsetOf('10.43.0.1'), 0);
    assert.equal(r.offsetOf('10.43.1.0'), 255);
    assert.equal(r.offsetOf('10.43.255.254'), 65533);
    assert.equal(r.offsetOf('10.43.0.0'), undefined);
    assert.equal(r.offsetOf('10.43.255.255'), undefined);
    assert.equal(r.offsetOf('10.44.0.1'), undefined);
    assert.equal(r.offsetOf('not-an-ip'), undefined);
  });

  it('clears host bits and sizes the static band as upstream (min(max(16, size/16), 256))', () => {
    assert.equal(parseCidr('10.43.7.9/16').spec, '10.43.0.0/16');
    assert.equal(parseCidr('10.43.0.0/16').reserved, 256);
    assert.equal(parseCidr('10.0.0.0/24').reserved, 16);
    assert.equal(parseCidr('10.0.0.0/22').reserved, 64);
    const small = parseCidr('192.168.1.16/28');
    assert.equal(small.reserved, 0);
    assert.equal(small.size, 14);
    assert.equal(small.first, '192.168.1.17');
  });

  it('rejects what is not a usable IPv4 CIDR with a clear message', () => {
    for (const bad of ['', 'foo', '10.43.0.0', '10.43.0/16', '300.1.1.1/8', '10.43.0.0/33', 'fd00::/108']) {
      assert.throws(() => parseCidr(bad), /invalid service CIDR/, bad);
    }
    assert.throws(() => parseCidr('10.0.0.0/8'), /too large; for 32-bit addresses, the mask must be >= 12/);
    assert.throws(() => parseCidr('10.0.0.0/31'), /too small/);
  });

  it('words errors as upstream', () => {
    const r = parseCidr('10.43.0.0/16');
    assert.equal(
      r.notInRangeMessage('10.0.0.1'),
      'the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
    );
    assert.equal(r.allocatedMessage, 'provided IP is already allocated');
  });

  it('parses and formats addresses', () => {
    assert.equal(parseIPv4('255.255.255.255'), 2 ** 32 - 1);
    assert.equal(formatIPv4(2 ** 32 - 1), '255.255.255.255');
    assert.equal(formatIPv4(parseIPv4('10.43.0.10')!), '10.43.0.10');
    assert.equal(parseIPv4('1.2.3'), undefined);
    assert.equal(parseIPv4('1.2.3.256'), undefined);
  });
});

describe('parsePortRange', () => {
  it('maps ports to offsets', () => {
    const r = parsePortRange('30000-32767');
    assert.equal(r.spec, '30000-32767');
    assert.equal(r.size, 2768);
    assert.equal(r.reserved, 86);
    assert.equal(r.offsetOf(30000), 0);
    assert.equal(r.offsetOf(32767), 2767);
    assert.equal(r.offsetOf(29999), undefined);
    assert.equal(r.offsetOf(32768), undefined);
    assert.equal(r.valueAt(5), 30005);
    assert.equal(
      r.notInRangeMessage(80),
      'provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    assert.equal(parsePortRange('30000').size, 1);
  });

  it('rejects bad ranges', () => {
    for (const bad of ['', 'a-b', '32767-30000', '0-10', '30000-70000', '30000-']) {
      assert.throws(() => parsePortRange(bad), /invalid node port range/, bad);
    }
  });
});
