import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatTime } from './special.ts';

describe('formatDuration (Go time.Duration.String)', () => {
  // Go's own TestDurationString table, plus the zero and hour cases Kubernetes uses most.
  const cases: Array<[bigint, string]> = [
    [0n, '0s'],
    [1n, '1ns'],
    [1100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [3_300_000_000n, '3.3s'],
    [245_000_000_000n, '4m5s'],
    [245_001_000_000n, '4m5.001s'],
    [18_367_001_000_000n, '5h6m7.001s'],
    [480_000_000_001n, '8m0.000000001s'],
    [3_600_000_000_000n, '1h0m0s'],
    [90_000_000_000n, '1m30s'],
    [1_000_000n, '1ms'],
    [1000n, '1µs'],
    [-1n, '-1ns'],
    [-1_500_000_000n, '-1.5s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ];
  for (const [ns, want] of cases) {
    it(`${ns}ns → ${want}`, () => assert.equal(formatDuration(ns), want));
  }
});

describe('formatTime (metav1.Time and MicroTime JSON)', () => {
  const cases: Array<[bigint, bigint, boolean, string]> = [
    [1_700_000_000n, 0n, false, '2023-11-14T22:13:20Z'],
    // Time drops the fraction (truncating, not rounding); MicroTime keeps six digits.
    [1_700_000_000n, 999_999_999n, false, '2023-11-14T22:13:20Z'],
    [1_700_000_000n, 999_999_999n, true, '2023-11-14T22:13:20.999999Z'],
    [1_700_000_000n, 1_000n, true, '2023-11-14T22:13:20.000001Z'],
    [1_700_000_000n, 0n, true, '2023-11-14T22:13:20.000000Z'],
    [0n, 0n, false, '1970-01-01T00:00:00Z'],
    [-1n, 0n, false, '1969-12-31T23:59:59Z'],
    // Nanoseconds outside [0, 1e9) carry into the seconds, as time.Unix does.
    [10n, -1n, true, '1970-01-01T00:00:09.999999Z'],
    [10n, 2_500_000_000n, true, '1970-01-01T00:00:12.500000Z'],
    // The earliest and latest instants with four-digit years.
    [-62_135_596_800n, 0n, false, '0001-01-01T00:00:00Z'],
    [253_402_300_799n, 0n, false, '9999-12-31T23:59:59Z'],
  ];
  for (const [s, n, micro, want] of cases) {
    it(`${s}s ${n}ns ${micro ? 'micro' : ''} → ${want}`, () =>
      assert.equal(formatTime(s, n, micro, 'p'), want));
  }

  it('refuses years past 9999 and before 0', () => {
    assert.throws(() => formatTime(253_402_300_800n, 0n, false, 'p'), {
      name: 'ProtobufDecodeError',
      message: /^p: /,
    });
    assert.throws(() => formatTime(-(2n ** 62n), 0n, false, 'p'), { name: 'ProtobufDecodeError' });
  });
});
