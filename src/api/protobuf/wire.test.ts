import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, pb, tag, varint } from './testing/encode.ts';
import { ProtobufDecodeError, readFields, readPackedVarints, WireReader } from './wire.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const pde = { name: 'ProtobufDecodeError' };

describe('WireReader.readVarint', () => {
  const cases: Array<[Uint8Array, bigint]> = [
    [bytes(0x00), 0n],
    [bytes(0x01), 1n],
    [bytes(0x7f), 127n],
    [bytes(0x80, 0x01), 128n],
    [bytes(0xac, 0x02), 300n],
    [bytes(0xff, 0xff, 0xff, 0xff, 0x0f), 0xffffffffn],
    [varint(-1), 2n ** 64n - 1n],
    [varint(2n ** 63n), 2n ** 63n],
    // Non-minimal encodings are valid protobuf.
    [bytes(0x81, 0x80, 0x00), 1n],
  ];
  for (const [input, want] of cases) {
    it(`reads ${Buffer.from(input).toString('hex')} as ${want}`, () => {
      assert.equal(new WireReader(input, 't').readVarint(), want);
    });
  }

  it('round-trips through the test encoder', () => {
    for (const n of [0n, 1n, 150n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      assert.equal(new WireReader(varint(n), 't').readVarint(), n);
    }
  });

  it('drops bits past 64 in a 10-byte varint, as Go does', () => {
    const input = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    assert.equal(new WireReader(input, 't').readVarint(), 2n ** 64n - 1n);
  });

  it('refuses an 11-byte varint', () => {
    const input = new Uint8Array(11).fill(0x80);
    assert.throws(() => new WireReader(input, 't').readVarint(), {
      name: 'ProtobufDecodeError',
      message: /longer than 10/,
    });
  });

  it('refuses a truncated varint', () => {
    assert.throws(() => new WireReader(bytes(0x80, 0x80), 't').readVarint(), {
      ...pde,
      message: /truncated varint/,
    });
  });
});

describe('readFields', () => {
  it('reads every wire type', () => {
    const input = concat(pb.varint(1, 150), pb.fixed64(2, 7n), pb.string(3, 'hi'), pb.fixed32(4, 9));
    const fields = readFields(input, 't');
    assert.deepEqual(
      fields.map((f) => [f.num, f.wire]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
        [4, 5],
      ],
    );
    assert.equal(fields[0]?.value, 150n);
    assert.deepEqual(fields[1]?.value, bytes(7, 0, 0, 0, 0, 0, 0, 0));
    assert.deepEqual(fields[2]?.value, new TextEncoder().encode('hi'));
    assert.deepEqual(fields[3]?.value, bytes(9, 0, 0, 0));
  });

  it('reads large field numbers', () => {
    const fields = readFields(pb.varint(2 ** 29 - 1, 1), 't');
    assert.equal(fields[0]?.num, 2 ** 29 - 1);
  });

  it('reads an empty message as no fields', () => {
    assert.deepEqual(readFields(new Uint8Array(), 't'), []);
  });

  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['a start-group field', concat(tag(1, 3), tag(1, 4)), /group/],
    ['an end-group field', tag(2, 4), /group/],
    ['wire type 6', tag(1, 6), /invalid wire type 6/],
    ['wire type 7', tag(1, 7), /invalid wire type 7/],
    ['field number 0', concat(tag(0, 0), varint(1)), /illegal field number 0/],
    ['a field number past 2^29-1', concat(tag(2 ** 29, 0), varint(1)), /illegal field number/],
    ['a length past the end', concat(tag(1, 2), varint(5), bytes(1, 2)), /truncated/],
    ['a huge length', concat(tag(1, 2), varint(2n ** 62n)), /truncated/],
    ['a cut 64-bit field', concat(tag(1, 1), bytes(1, 2, 3)), /truncated 64-bit/],
    ['a cut 32-bit field', concat(tag(1, 5), bytes(1)), /truncated 32-bit/],
    ['a tag without its value', tag(1, 0), /truncated varint/],
  ];
  for (const [what, input, message] of malformed) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => readFields(input, 'where'),
        (err: unknown) => {
          assert.ok(err instanceof ProtobufDecodeError);
          assert.match(err.message, message);
          assert.match(err.message, /^where: /);
          return true;
        },
      );
    });
  }
});

describe('readPackedVarints', () => {
  it('reads a packed run and refuses a cut one', () => {
    assert.deepEqual(readPackedVarints(concat(varint(1), varint(300), varint(-1)), 't'), [
      1n,
      300n,
      2n ** 64n - 1n,
    ]);
    assert.throws(() => readPackedVarints(bytes(0x81), 't'), pde);
  });
});
