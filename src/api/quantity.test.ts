import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
  type QuantityFormat,
  subtractQuantity,
  toMilli,
  toNumber,
  toValue,
} from './quantity.ts';

const maxInt64 = 2n ** 63n - 1n;
const minInt64 = -(2n ** 63n);

function q(value: bigint | number, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { value: BigInt(value), scale, format };
}

const formatError = {
  name: 'QuantityError',
  message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
};
const suffixError = { name: 'QuantityError', message: "unable to parse quantity's suffix" };

describe('parseQuantity: values', () => {
  // Upstream's TestQuantityParse table: input, then the exact value as value × 10^scale.
  const B = 'BinarySI';
  const X = 'DecimalExponent';
  const cases: Array<[string, Quantity]> = [
    ...['0', '0n', '0u', '0m', '0k', '0M', '0G', '0T'].map((z): [string, Quantity] => [z, q(0, 0)]),
    ...['0Ki', '0Mi', '0Gi', '0Ti'].map((z): [string, Quantity] => [z, q(0, 0, B)]),
    ['1', q(1, 0)],
    ['1Ki', q(1024, 0, B)],
    ['8Ki', q(8 * 1024, 0, B)],
    ['7Mi', q(7 * 2 ** 20, 0, B)],
    ['6Gi', q(6 * 2 ** 30, 0, B)],
    ['5Ti', q(5 * 2 ** 40, 0, B)],
    ['4Pi', q(4n * 2n ** 50n, 0, B)],
    ['3Ei', q(3n * 2n ** 60n, 0, B)],
    ['10Ti', q(10 * 2 ** 40, 0, B)],
    ['100Ti', q(100 * 2 ** 40, 0, B)],
    ['5n', q(5, -9)],
    ['4u', q(4, -6)],
    ['3m', q(3, -3)],
    ['9', q(9, 0)],
    ['8k', q(8, 3)],
    ['50k', q(5, 4)],
    ['7M', q(7, 6)],
    ['6G', q(6, 9)],
    ['5T', q(5, 12)],
    ['40T', q(4, 13)],
    ['300T', q(3, 14)],
    ['2P', q(2, 15)],
    ['1E', q(1, 18)],
    ['1E-3', q(1, -3, X)],
    ['1e3', q(1, 3, X)],
    ['1E6', q(1, 6, X)],
    ['1e9', q(1, 9, X)],
    ['1E12', q(1, 12, X)],
    ['1e15', q(1, 15, X)],
    ['1E18', q(1, 18, X)],
    ['1e14', q(1, 14, X)],
    ['1e13', q(1, 13, X)],
    ['100.035k', q(100035, 0)],
    ['0.001', q(1, -3)],
    ['0.0005k', q(5, -1)],
    ['0.005', q(5, -3)],
    ['0.05', q(5, -2)],
    ['0.5', q(5, -1)],
    ['0.00050k', q(5, -1)],
    ['0.00500', q(5, -3)],
    ['0.05000', q(5, -2)],
    ['0.50000', q(5, -1)],
    ['0.5e0', q(5, -1, X)],
    ['0.5e-1', q(5, -2, X)],
    ['0.5e-2', q(5, -3, X)],
    ['10.035M', q(10035, 3)],
    ['1.2e3', q(12, 2, X)],
    ['1.3E+6', q(13, 5, X)],
    ['1.40e9', q(14, 8, X)],
    ['1.53E12', q(153, 10, X)],
    ['1.6e15', q(16, 14, X)],
    ['1.7E18', q(17, 17, X)],
    ['9.01', q(901, -2)],
    ['8.1k', q(81, 2)],
    ['7.123456M', q(7123456, 0)],
    ['6.987654321G', q(6987654321, 0)],
    ['5.444T', q(5444, 9)],
    ['40.1T', q(401, 11)],
    ['300.2T', q(3002, 11)],
    ['2.5P', q(25, 14)],
    ['1.01E', q(101, 16)],
    // Rounded up to whole nano-units, or capped.
    ['3.001n', q(4, -9)],
    ['1.1E-9', q(2, -9, X)],
    ['0.0000000001', q(1, -9)],
    ['0.0000000005', q(1, -9)],
    ['0.00000000050', q(1, -9)],
    ['0.5e-9', q(1, -9, X)],
    ['0.9n', q(1, -9)],
    ['0.00000012345', q(124, -9)],
    ['0.00000012354', q(124, -9)],
    ['9Ei', q(maxInt64, 0, B)],
    ['9223372036854775807Ki', q(maxInt64, 0, B)],
    ['12E', q(12, 18)],
    ['100.035Ki', q(10243584, -2, B)],
    ['0.5Mi', q(524288, 0, B)],
    ['0.05Gi', q(536870912, -1, B)],
    ['0.025Ti', q(274877906944, -1, B)],
    ['0.000000000001Ki', q(2, -9)],
    ['.001', q(1, -3)],
    ['.0001k', q(100, -3)],
    ['1.', q(1, 0)],
    ['1.G', q(1, 9)],
    ['.', q(0, 0)],
    ['1234567890123456789', q(1234567890123456789n, 0)],
    ['12345678901234567890123', q(12345678901234567890123n, 0)],
  ];
  for (const [input, want] of cases) {
    it(input, () => {
      for (const [prefix, sign] of [
        ['', 1n],
        ['-', -1n],
        ['+', 1n],
      ] as const) {
        const got = parseQuantity(prefix + input);
        assert.equal(compareQuantity(got, { ...want, value: sign * want.value }), 0, `${prefix}${input}`);
        assert.equal(got.format, want.format, `${prefix}${input} format`);
      }
    });
  }

  it('keeps huge exponents compact', () => {
    assert.equal(formatQuantity(parseQuantity('1e2147483646')), '1e2147483646');
    assert.equal(formatQuantity(parseQuantity('1e2147483647')), '10e2147483646');
    assert.equal(formatQuantity(parseQuantity('1e-2147483647')), '1e-9');
    assert.equal(formatQuantity(parseQuantity('5e-1000')), '1e-9');
  });
});

describe('parseQuantity: errors', () => {
  const cases: Array<[string, typeof formatError]> = [
    ['', formatError],
    ['1.1.M', formatError],
    ['1+1.0M', formatError],
    ['0.1am', formatError],
    ['aoeu', formatError],
    [' 1', formatError],
    ['1 ', formatError],
    ['Non-Numeric', formatError],
    ['0.1mi', suffixError],
    ['.5i', suffixError],
    ['1i', suffixError],
    ['-3.01i', suffixError],
    ['-3.01e-', suffixError],
    ['1e', suffixError],
    ['1K', suffixError],
    ['1KiB', formatError],
    // Beyond 32 bits newer upstream refuses the exponent rather than truncating it.
    ['1e4294967297', suffixError],
    ['1E2147483648', suffixError],
  ];
  for (const [input, error] of cases) {
    it(JSON.stringify(input), () => assert.throws(() => parseQuantity(input), error));
  }
});

describe('formatQuantity', () => {
  // Upstream's TestQuantityString: the value, its canonical string, and another spelling of it.
  const B = 'BinarySI';
  const X = 'DecimalExponent';
  const cases: Array<[Quantity, string, string]> = [
    [q(2 ** 30, 0, B), '1Gi', '1024Mi'],
    [q(300 * 2 ** 20, 0, B), '300Mi', '307200Ki'],
    [q(6 * 1024, 0, B), '6Ki', ''],
    [q(1001 * 2 ** 30, 0, B), '1001Gi', '1025024Mi'],
    [q(2 ** 40, 0, B), '1Ti', '1024Gi'],
    [q(5, 0, B), '5', '5000m'],
    [q(500, -3, B), '500m', '0.5'],
    [q(1, 9), '1G', '1000M'],
    [q(1000, 6), '1G', '0.001T'],
    [q(1000000, 3), '1G', ''],
    [q(1000000000, 0), '1G', ''],
    [q(1, -3), '1m', '1000u'],
    [q(80, -3), '80m', ''],
    [q(1080, -3), '1080m', '1.08'],
    [q(108, -2), '1080m', '1080000000n'],
    [q(10800, -4), '1080m', ''],
    [q(300, 6), '300M', ''],
    [q(1, 12), '1T', ''],
    [q(1, 18), '1E', ''],
    // Past the last suffix, newer upstream falls back to exponent notation (v1.32 printed "1").
    [q(1, 21), '1e21', '1000E'],
    [q(5, 21), '5e21', '5000E'],
    [q(1, 24), '1e24', '1000000E'],
    [q(1, 70, B), '10e69', ''],
    [q(2, 70, B), '20e69', ''],
    [q(1, 72, B), '1e72', ''],
    [q(1234567, 6), '1234567M', ''],
    [q(1234567, -3, B), '1234567m', ''],
    [q(3, 3), '3k', ''],
    [q(1025, 0, B), '1025', ''],
    [q(0, 0), '0', ''],
    [q(0, 0, B), '0', ''],
    [q(1, 9, X), '1e9', '.001e12'],
    [q(1, -3, X), '1e-3', '0.001e0'],
    [q(1, -9, X), '1e-9', '1000e-12'],
    [q(80, -3, X), '80e-3', ''],
    [q(300, 6, X), '300e6', ''],
    [q(1, 12, X), '1e12', ''],
    [q(1, 3, X), '1e3', ''],
    [q(3, 3, X), '3e3', ''],
    [q(0, 0, X), '0', '00'],
    [q(1, -9), '1n', ''],
    [q(80, -9), '80n', ''],
    [q(1080, -9), '1080n', ''],
    [q(108, -8), '1080n', ''],
    [q(10800, -10), '1080n', ''],
    [q(1, -6), '1u', ''],
    [q(80, -6), '80u', ''],
    [q(1080, -6), '1080u', ''],
  ];
  for (const [value, canonical, alternate] of cases) {
    it(canonical, () => {
      assert.equal(formatQuantity(value), canonical);
      // Parsing the canonical form keeps the text; parsing another spelling does not.
      assert.equal(parseQuantity(canonical).text, canonical);
      if (alternate !== '') {
        const other = parseQuantity(alternate);
        assert.equal(other.text, undefined);
        assert.equal(formatQuantity(other), canonical);
      }
      if (value.value !== 0n) {
        assert.equal(formatQuantity({ ...value, value: -value.value }), `-${canonical}`);
      }
    });
  }

  it('prints a binary amount past Ei as its exact decimal digits', () => {
    assert.equal(formatQuantity(q(2n ** 70n, 0, 'BinarySI')), '1180591620717411303424');
  });

  // Upstream's TestQuantityParseEmit, and text that upstream keeps as it was written.
  const emitted: Array<[string, string]> = [
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1000m', '1'],
    ['0.1', '100m'],
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['2048', '2048'],
    ['1e3', '1e3'],
    ['1E3', '1E3'],
    ['01', '01'],
    ['1.500', '1.500'],
    ['1025Ki', '1025Ki'],
    ['8Ki', '8Ki'],
    ['0.0', '0'],
  ];
  for (const [input, want] of emitted) {
    it(`${input} prints as ${want}`, () => {
      assert.equal(formatQuantity(parseQuantity(input)), want);
      if (want !== '0') assert.equal(formatQuantity(parseQuantity(`-${input}`)), `-${want}`);
    });
  }
  it('+1 keeps its sign, as upstream reuses the input', () =>
    assert.equal(formatQuantity(parseQuantity('+1')), '+1'));
});

describe('compareQuantity', () => {
  const parsed: Array<[string, string, number]> = [
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
  ];
  for (const [a, b, want] of parsed) {
    it(`${a} vs ${b}`, () => {
      assert.equal(compareQuantity(parseQuantity(a), parseQuantity(b)), want);
      assert.equal(compareQuantity(parseQuantity(b), parseQuantity(a)), 0 - want);
    });
  }
  // Upstream's TestQuantityCmpInt64AndDec.
  const e18 = 10n ** 18n;
  const exact: Array<[Quantity, Quantity, number]> = [
    [q(901, -2), q(901, -2), 0],
    [q(90, -1), q(901, -2), -1],
    [q(901, -2), q(900, -2), 1],
    [q(0, 1), q(0, -1), 0],
    [q(800, -3), q(1, 0), -1],
    [q(800, -3), q(79, -2), 1],
    [q(maxInt64, 0), q(1, -1), 1],
    [q(maxInt64, 1), q(1, 1), 1],
    [q(maxInt64, -16), q(1, 3), -1],
    [q(minInt64, 0), q(0, 0), -1],
    [q(minInt64, -18), q(-1, 0), -1],
    [q(minInt64, -19), q(-1, 0), 1],
    [q(e18, -17), q(1, 1), 0],
    [q(e18, -17), q(-10, 0), 1],
    [q(-e18, -17), q(-10, 0), 0],
    [q(e18 + 1n, -17), q(1, 1), 1],
    [q(e18 - 1n, -17), q(1, 1), -1],
  ];
  exact.forEach(([a, b, want], i) => {
    it(`exact ${i}`, () => {
      assert.equal(compareQuantity(a, b), want);
      assert.equal(compareQuantity(b, a), 0 - want);
    });
  });
});

describe('addQuantity and subtractQuantity', () => {
  const cases: Array<['+' | '-', string, string, string]> = [
    ['+', '100m', '0', '100m'],
    ['+', '0', '100m', '100m'],
    ['+', '1Gi', '0', '1Gi'],
    ['+', '0', '1Gi', '1Gi'],
    ['+', '1Gi', '512Mi', '1536Mi'],
    ['+', '100m', '1', '1100m'],
    ['+', '1', '1Ki', '1025'],
    ['+', '0.5', '0.5', '1'],
    ['+', '1e3', '1e3', '2e3'],
    ['-', '1Gi', '1Gi', '0'],
    ['-', '0', '1Gi', '-1Gi'],
    ['-', '0', '100m', '-100m'],
    ['-', '1', '100m', '900m'],
    ['-', '100m', '0', '100m'],
  ];
  for (const [op, a, b, want] of cases) {
    it(`${a} ${op} ${b}`, () => {
      const [x, y] = [parseQuantity(a), parseQuantity(b)];
      assert.equal(formatQuantity(op === '+' ? addQuantity(x, y) : subtractQuantity(x, y)), want);
    });
  }
  it('does not change its operands', () => {
    const x = parseQuantity('1');
    addQuantity(x, parseQuantity('2'));
    assert.equal(formatQuantity(x), '1');
  });
});

describe('conversions', () => {
  const milli: Array<[string, bigint]> = [
    ['100m', 100n],
    ['1', 1000n],
    ['0.5', 500n],
    ['1n', 1n],
    ['1.5u', 1n],
    ['-1n', -1n],
    ['1Ki', 1024000n],
    ['1e21', 10n ** 24n],
  ];
  for (const [input, want] of milli) {
    it(`toMilli ${input}`, () => assert.equal(toMilli(parseQuantity(input)), want));
  }

  const whole: Array<[string, bigint]> = [
    ['1536Mi', 1610612736n],
    ['100m', 1n],
    ['1.2', 2n],
    ['-1.2', -2n],
    ['9.01', 10n],
    ['2k', 2000n],
    ['0', 0n],
  ];
  for (const [input, want] of whole) {
    it(`toValue ${input}`, () => assert.equal(toValue(parseQuantity(input)), want));
  }

  const numbers: Array<[string, number]> = [
    ['100m', 0.1],
    ['1.5Gi', 1610612736],
    ['-2.5', -2.5],
    ['3n', 3e-9],
    ['1e400', Number.POSITIVE_INFINITY],
  ];
  for (const [input, want] of numbers) {
    it(`toNumber ${input}`, () => assert.equal(toNumber(parseQuantity(input)), want));
  }
});
