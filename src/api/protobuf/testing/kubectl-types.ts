// Reads the Go type information a kubectl binary keeps for reflection and prints the Kubernetes API
// structs it holds, as JSON: for each struct ("core/v1.Node"), one "number json-tag go-type" string
// per field that has a protobuf tag, in declaration order. schema.test.ts checks the decoder's
// tables against that file (testdata/kubectl-1.32.5-types.json), so every field number, JSON name,
// omitempty and pointer of the schema is compared with what kubectl itself was compiled from.
//
//   node src/api/protobuf/testing/kubectl-types.ts /path/to/kubectl-1.32 > testdata/kubectl-1.32.5-types.json
//
// It reads an x86-64 ELF Go binary (Go 1.17 or later, stripped or not) and relies on the layout of
// the runtime's type descriptors (internal/abi): a 48-byte Type header, StructType fields after it,
// UncommonType after those, and length-prefixed names whose tags follow the name.
import { readFileSync } from 'node:fs';

const KIND_BOOL = 1;
const KIND_INT = 2;
const KIND_INT32 = 5;
const KIND_INT64 = 6;
const KIND_UINT8 = 8;
const KIND_FLOAT64 = 14;
const KIND_MAP = 21;
const KIND_POINTER = 22;
const KIND_SLICE = 23;
const KIND_STRING = 24;
const KIND_STRUCT = 25;
const SCALARS: Readonly<Record<number, string>> = {
  [KIND_BOOL]: 'bool',
  [KIND_INT]: 'int',
  [KIND_INT32]: 'int32',
  [KIND_INT64]: 'int64',
  [KIND_UINT8]: 'byte',
  [KIND_FLOAT64]: 'float64',
  [KIND_STRING]: 'string',
};
const TFLAG_UNCOMMON = 1;
const TFLAG_EXTRA_STAR = 2;
const TFLAG_NAMED = 4;
const NAME_HAS_TAG = 2;
const STRUCT_TYPE_SIZE = 80; // Type (48) + PkgPath (8) + Fields slice (24)
const SLICE_TYPE_SIZE = 56; // Type (48) + Elem (8)

// Short package names as they appear in the output.
const PACKAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^k8s\.io\/api\/(.+)$/, '$1'],
  [/^k8s\.io\/apimachinery\/pkg\/apis\/meta\/v1$/, 'meta/v1'],
  [/^k8s\.io\/apimachinery\/pkg\/api\/resource$/, 'resource'],
  [/^k8s\.io\/apimachinery\/pkg\/util\/intstr$/, 'intstr'],
  [/^k8s\.io\/apimachinery\/pkg\/runtime$/, 'runtime'],
];
// Only the stable API versions are written out.
const WANTED = /^(?:[a-z]+\/v[12]|meta\/v1)$/;

function shortPackage(path: string): string | undefined {
  for (const [pattern, replacement] of PACKAGES)
    if (pattern.test(path)) return path.replace(pattern, replacement);
  return undefined;
}

function main(file: string): void {
  const bin = readFileSync(file);
  if (bin.readUInt32BE(0) !== 0x7f454c46 || bin[4] !== 2 || bin[5] !== 1)
    throw new Error('not a 64-bit LE ELF file');
  // Section headers: find .rodata, where the type descriptors live; name offsets count from its start.
  const shoff = Number(bin.readBigUInt64LE(0x28));
  const shentsize = bin.readUInt16LE(0x3a);
  const shnum = bin.readUInt16LE(0x3c);
  const shstr = shoff + bin.readUInt16LE(0x3e) * shentsize;
  const strtab = Number(bin.readBigUInt64LE(shstr + 24));
  let rodata: { addr: bigint; offset: number; size: number } | undefined;
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    const nameAt = strtab + bin.readUInt32LE(h);
    if (bin.toString('latin1', nameAt, nameAt + 8) === '.rodata\0') {
      rodata = {
        addr: bin.readBigUInt64LE(h + 16),
        offset: Number(bin.readBigUInt64LE(h + 24)),
        size: Number(bin.readBigUInt64LE(h + 32)),
      };
    }
  }
  if (rodata === undefined) throw new Error('no .rodata section');
  const { addr, offset: start, size } = rodata;
  const end = start + size;
  const inRodata = (va: bigint): boolean => va >= addr && va < addr + BigInt(size);
  const at = (va: bigint): number => Number(va - addr) + start;
  const vaOf = (off: number): bigint => BigInt(off - start) + addr;
  const u64 = (off: number): bigint => bin.readBigUInt64LE(off);

  const varint = (off: number): [number, number] => {
    let value = 0;
    for (let n = 0, shift = 0; ; n++, shift += 7) {
      const b = bin[off + n] ?? 0;
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return [value, n + 1];
    }
  };
  const readName = (off: number): { name: string; tag: string } => {
    const [len, n] = varint(off + 1);
    const name = bin.toString('latin1', off + 1 + n, off + 1 + n + len);
    let tag = '';
    if ((bin[off] ?? 0) & NAME_HAS_TAG) {
      const [tagLen, m] = varint(off + 1 + n + len);
      const tagAt = off + 1 + n + len + m;
      tag = bin.toString('latin1', tagAt, tagAt + tagLen);
    }
    return { name, tag };
  };
  const nameAtOffset = (nameOff: number): string => readName(start + nameOff).name;

  // 1. Field names whose tag has a protobuf key: a flags byte, the name's length, the name, the
  //    tag's length (a varint) and the tag, which starts with `json:"`.
  const taggedNames = new Set<bigint>();
  const needle = Buffer.from(' protobuf:"');
  for (let hit = bin.indexOf(needle, start); hit >= 0 && hit < end; hit = bin.indexOf(needle, hit + 1)) {
    const tagAt = bin.lastIndexOf('json:"', hit);
    if (tagAt < start || hit - tagAt > 300) continue;
    for (const lenBytes of [1, 2]) {
      const [tagLen] = varint(tagAt - lenBytes);
      if (tagAt + tagLen <= hit) continue;
      for (let nameLen = 1; nameLen < 64; nameLen++) {
        const nameAt = tagAt - lenBytes - nameLen;
        if (bin[nameAt - 1] !== nameLen || !((bin[nameAt - 2] ?? 0) & NAME_HAS_TAG)) continue;
        if (/^[A-Z]\w*$/.test(bin.toString('latin1', nameAt, nameAt + nameLen)))
          taggedNames.add(vaOf(nameAt - 2));
      }
    }
  }

  // 2. StructField records {name, type, offset} pointing at those names, walked back to the start
  //    of their array; 3. the StructType headers whose Fields slice points at such an array.
  const isField = (off: number): boolean =>
    inRodata(u64(off)) && inRodata(u64(off + 8)) && ((bin[at(u64(off))] ?? 0xff) & ~15) === 0;
  const arrays = new Set<bigint>();
  for (let off = start; off + 24 <= end; off += 8) {
    if (!taggedNames.has(u64(off))) continue;
    let first = off;
    while (isField(first - 24) && u64(first - 8) < u64(first + 16)) first -= 24;
    arrays.add(vaOf(first));
  }
  const out = new Map<string, string[]>();
  for (let off = start + 56; off + 8 <= end; off += 8) {
    if (!arrays.has(u64(off))) continue;
    const header = off - 56;
    if (((bin[header + 23] ?? 0) & 31) !== KIND_STRUCT || !((bin[header + 20] ?? 0) & TFLAG_UNCOMMON))
      continue;
    const pkg = shortPackage(nameAtOffset(bin.readInt32LE(header + STRUCT_TYPE_SIZE)));
    if (pkg === undefined || !WANTED.test(pkg)) continue;
    const name = `${pkg}.${typeName(header).replace(/^.*\./, '')}`;
    const fields: string[] = [];
    const count = Number(u64(header + 64));
    for (let i = 0; i < count; i++) {
      const field = at(u64(header + 56)) + 24 * i;
      const { tag } = readName(at(u64(field)));
      const num = /protobuf:"[a-z]+,(\d+),/.exec(tag)?.[1];
      const json = /json:"([^"]*)"/.exec(tag)?.[1];
      if (num !== undefined && json !== undefined) fields.push(`${num} ${json} ${render(u64(field + 8))}`);
    }
    if (fields.length > 0) out.set(name, fields);
  }

  function typeName(header: number): string {
    const name = nameAtOffset(bin.readInt32LE(header + 40));
    return (bin[header + 20] ?? 0) & TFLAG_EXTRA_STAR ? name.slice(1) : name;
  }

  // A Go type as text: scalars by kind ("string" for a named string type too), structs and named
  // slices by name, pointers, slices and maps structurally.
  function render(va: bigint): string {
    const header = at(va);
    const kind = (bin[header + 23] ?? 0) & 31;
    const tflag = bin[header + 20] ?? 0;
    const scalar = SCALARS[kind];
    if (scalar !== undefined) return scalar;
    const qualified = (size: number): string =>
      `${shortPackage(nameAtOffset(bin.readInt32LE(header + size))) ?? '?'}.${typeName(header).replace(/^.*\./, '')}`;
    switch (kind) {
      case KIND_POINTER:
        return `*${render(u64(header + 48))}`;
      case KIND_SLICE:
        if (tflag & TFLAG_NAMED && tflag & TFLAG_UNCOMMON) return qualified(SLICE_TYPE_SIZE);
        return `[]${render(u64(header + 48))}`;
      case KIND_MAP:
        return `map[${render(u64(header + 48))}]${render(u64(header + 56))}`;
      case KIND_STRUCT:
        return qualified(STRUCT_TYPE_SIZE);
      default:
        return `kind${kind}`;
    }
  }

  const sorted = Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  process.stdout.write(`${JSON.stringify(sorted, null, 1)}\n`);
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: kubectl-types.ts KUBECTL-BINARY > kubectl-types.json\n');
  process.exit(2);
}
main(file);
