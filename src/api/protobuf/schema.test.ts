// The schema tables against the Go types kubectl 1.32.5 was compiled from. testdata/
// kubectl-1.32.5-types.json was read out of the kubectl binary's own reflection data by
// testing/kubectl-types.ts: for each API struct, "number json-tag go-type" per protobuf field. From
// every known kind down, each schema message must have exactly those fields, with the JSON name,
// the type, the shape (single, list, map) and the presence rule (omitempty, pointer) Go gives them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allMessages, kindMessage, knownKinds, type FieldSpec, type MessageName } from './schema/index.ts';

const goTypes = JSON.parse(
  readFileSync(new URL('./testdata/kubectl-1.32.5-types.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;

const SPECIALS: Readonly<Record<string, string>> = {
  'meta/v1.Time': 'Time',
  'meta/v1.MicroTime': 'MicroTime',
  'meta/v1.Duration': 'Duration',
  'meta/v1.FieldsV1': 'FieldsV1',
  'resource.Quantity': 'Quantity',
  'intstr.IntOrString': 'IntOrString',
  'runtime.RawExtension': 'RawExtension',
};
const SCALARS: Readonly<Record<string, string>> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  bool: 'bool',
  float64: 'double',
};

interface Expected {
  readonly json: string;
  readonly shape: FieldSpec['shape'];
  readonly presence: FieldSpec['presence'];
  /** A scalar or special type name, or the Go struct ("core/v1.Node") the field holds. */
  readonly type: string;
  readonly struct: boolean;
}

function element(goType: string): { type: string; struct: boolean } {
  if (goType === '[]byte') return { type: 'bytes', struct: false };
  if (goType.endsWith('.ExtraValue')) return { type: 'StringList', struct: false };
  const known = SPECIALS[goType] ?? SCALARS[goType];
  if (known !== undefined) return { type: known, struct: false };
  if (!Object.hasOwn(goTypes, goType)) throw new Error(`unexpected Go type ${goType}`);
  return { type: goType, struct: true };
}

/** What the schema must say for one "number json-tag go-type" line. */
function expected(line: string): [number, Expected] {
  const [num = '', tag = '', goType = ''] = line.split(' ');
  const [json = '', ...options] = tag.split(',');
  const omitempty = options.includes('omitempty');
  const inline = options.includes('inline');
  let shape: FieldSpec['shape'] = 'single';
  let presence: FieldSpec['presence'] = omitempty ? 'omitempty' : 'required';
  let inner = goType;
  if (goType.startsWith('*')) {
    presence = omitempty ? 'pointer' : 'nullable';
    inner = goType.slice(1);
  } else if (goType.startsWith('[]') && goType !== '[]byte') {
    shape = 'list';
    inner = goType.slice(2);
  } else if (goType.startsWith('map[string]')) {
    shape = 'map';
    inner = goType.slice('map[string]'.length);
  }
  return [Number(num), { json: inline ? '' : json, shape, presence, ...element(inner) }];
}

// Go writes a value struct whether or not it is tagged omitempty, so for those the two agree.
const STRUCT_SPECIALS: ReadonlySet<string> = new Set(Object.values(SPECIALS));
const effectivePresence = (presence: string, shape: string, type: string): string =>
  shape === 'single' && presence === 'required' && (type.includes('.') || STRUCT_SPECIALS.has(type))
    ? 'omitempty'
    : presence;

/** The Go struct for a top-level kind: "apps/v1 Deployment" → "apps/v1.Deployment". */
function goStruct(apiVersion: string, kind: string): string {
  if (kind === 'DeleteOptions') return 'meta/v1.DeleteOptions';
  if (apiVersion === 'v1') return `core/v1.${kind}`;
  const [group = '', version = ''] = apiVersion.split('/');
  return `${group.split('.')[0]}/${version}.${kind}`;
}

function compareAll(): { problems: string[]; reached: Set<MessageName> } {
  const messages = allMessages();
  const problems: string[] = [];
  const reached = new Set<MessageName>();
  const seen = new Set<string>();
  const compare = (name: MessageName, struct: string): void => {
    if (seen.has(`${name} ${struct}`)) return;
    seen.add(`${name} ${struct}`);
    reached.add(name);
    const spec = messages.get(name);
    const fields = goTypes[struct];
    if (spec === undefined || fields === undefined) {
      problems.push(`${name}: no schema message or no Go struct ${struct}`);
      return;
    }
    const want = new Map(fields.map(expected));
    for (const [num, field] of want) {
      const got = spec[num];
      const where = `${name} (${struct}) field ${num} ${field.json || '(inline)'}`;
      if (got === undefined) {
        problems.push(`${where}: missing`);
        continue;
      }
      if (got.json !== field.json) problems.push(`${where}: JSON name ${JSON.stringify(got.json)}`);
      if (got.shape !== field.shape) problems.push(`${where}: ${got.shape}, Go has ${field.shape}`);
      const gotPresence = effectivePresence(got.presence, got.shape, got.type);
      if (gotPresence !== effectivePresence(field.presence, field.shape, field.type))
        problems.push(`${where}: ${got.presence}, Go has ${field.presence}`);
      if (!field.struct && got.type !== field.type)
        problems.push(`${where}: ${got.type}, Go has ${field.type}`);
      if (field.struct) {
        if (got.type.includes('.')) compare(got.type as MessageName, field.type);
        else problems.push(`${where}: ${got.type}, Go has the struct ${field.type}`);
      }
    }
    for (const num of Object.keys(spec)) {
      if (!want.has(Number(num))) problems.push(`${name} field ${num}: not in ${struct}`);
    }
  };
  for (const key of knownKinds()) {
    const [apiVersion = '', kind = ''] = key.split(' ');
    const message = kindMessage(apiVersion, kind);
    if (message === undefined) problems.push(`${key}: no message`);
    else compare(message, goStruct(apiVersion, kind));
  }
  return { problems, reached };
}

describe('schema tables match the Go types of kubectl 1.32.5', () => {
  const { problems, reached } = compareAll();

  it('every field of every known kind, recursively', () => {
    assert.deepEqual(problems, []);
  });

  it('every schema message is reached from a known kind', () => {
    const unreached = [...allMessages().keys()].filter((name) => !reached.has(name));
    assert.deepEqual(unreached, []);
  });
});
