// JSON patch (RFC 6902) with JSON pointers (RFC 6901), as upstream applies
// `application/json-patch+json` (gopkg.in/evanphx/json-patch.v4): the operations apply in order
// to a copy, so a failing operation leaves the document untouched.
import { isRecord } from '../../api/meta.ts';
import { PatchError } from './errors.ts';

/** Upstream's maxJSONPatchOperations. */
export const maxJsonPatchOperations = 10000;

export type JsonPatchOperation = Record<string, unknown>;

/** Parses a JSON patch body: an array of operation objects, else 400 (jsonpatch.DecodePatch). */
export function decodeJsonPatch(raw: string): JsonPatchOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e: unknown) {
    throw new PatchError('bad-request', `invalid character in JSON patch: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new PatchError(
      'bad-request',
      `json: cannot unmarshal ${goJsonType(parsed)} into Go value of type jsonpatch.Patch`,
    );
  }
  for (const op of parsed) {
    if (!isRecord(op)) {
      throw new PatchError(
        'bad-request',
        `json: cannot unmarshal ${goJsonType(op)} into Go value of type map[string]*json.RawMessage`,
      );
    }
  }
  return parsed as JsonPatchOperation[];
}

function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Splits a JSON pointer into its reference tokens, unescaping `~1` to `/` and `~0` to `~`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchError('unprocessable', `JSON pointer must start with /: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^\d+$/.test(token)) throw new PatchError('unprocessable', `invalid array index: ${token}`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length))
    throw new PatchError('unprocessable', `array index out of bounds: ${i}`);
  return i;
}

/** The container holding the pointer's last token, or an error when a step is missing. */
function parent(doc: unknown, tokens: readonly string[], op: string): Container {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)];
    else if (isRecord(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw new PatchError('unprocessable', `${op} operation does not apply: doc is missing path`);
  }
  if (!Array.isArray(cur) && !isRecord(cur))
    throw new PatchError('unprocessable', `${op} operation does not apply: doc is missing path`);
  return cur;
}

function getAt(doc: unknown, tokens: readonly string[], op: string): unknown {
  if (tokens.length === 0) return doc;
  const c = parent(doc, tokens, op);
  const last = tokens.at(-1)!;
  if (Array.isArray(c)) return c[arrayIndex(last, c.length, false)];
  if (!Object.hasOwn(c, last))
    throw new PatchError('unprocessable', `${op} operation does not apply: doc is missing key: ${last}`);
  return c[last];
}

function addAt(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const c = parent(doc, tokens, 'add');
  const last = tokens.at(-1)!;
  if (Array.isArray(c)) c.splice(arrayIndex(last, c.length, true), 0, value);
  else c[last] = value;
  return doc;
}

function removeAt(doc: unknown, tokens: readonly string[], op: string): unknown {
  if (tokens.length === 0) throw new PatchError('unprocessable', `${op} operation does not apply: root`);
  const c = parent(doc, tokens, op);
  const last = tokens.at(-1)!;
  if (Array.isArray(c)) return c.splice(arrayIndex(last, c.length, false), 1)[0];
  if (!Object.hasOwn(c, last))
    throw new PatchError('unprocessable', `${op} operation does not apply: doc is missing key: ${last}`);
  const v = c[last];
  delete c[last];
  return v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function stringField(op: JsonPatchOperation, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') throw new PatchError('unprocessable', `operation missing ${name} field`);
  return v;
}

function valueField(op: JsonPatchOperation): unknown {
  if (!Object.hasOwn(op, 'value'))
    throw new PatchError('unprocessable', `${String(op['op'])} operation missing value`);
  return structuredClone(op['value']);
}

/** Applies the operations to a copy of `doc`; the first failing one fails the whole patch. */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  if (ops.length > maxJsonPatchOperations) {
    throw new PatchError(
      'too-large',
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`,
    );
  }
  let out: unknown = structuredClone(doc);
  for (const op of ops) {
    const kind = op['op'];
    switch (kind) {
      case 'add':
        out = addAt(out, parsePointer(stringField(op, 'path')), valueField(op));
        break;
      case 'remove':
        removeAt(out, parsePointer(stringField(op, 'path')), 'remove');
        break;
      case 'replace': {
        const tokens = parsePointer(stringField(op, 'path'));
        getAt(out, tokens, 'replace');
        const value = valueField(op);
        if (tokens.length === 0) out = value;
        else {
          const c = parent(out, tokens, 'replace');
          const last = tokens.at(-1)!;
          if (Array.isArray(c)) c[arrayIndex(last, c.length, false)] = value;
          else c[last] = value;
        }
        break;
      }
      case 'move': {
        const from = stringField(op, 'from');
        const path = stringField(op, 'path');
        if (path !== from && path.startsWith(`${from}/`))
          throw new PatchError('unprocessable', 'move operation does not apply: path is a child of from');
        const value = removeAt(out, parsePointer(from), 'move');
        out = addAt(out, parsePointer(path), value);
        break;
      }
      case 'copy': {
        const value = structuredClone(getAt(out, parsePointer(stringField(op, 'from')), 'copy'));
        out = addAt(out, parsePointer(stringField(op, 'path')), value);
        break;
      }
      case 'test': {
        const path = stringField(op, 'path');
        const expected = Object.hasOwn(op, 'value') ? op['value'] : null;
        let actual: unknown;
        try {
          actual = getAt(out, parsePointer(path), 'test');
        } catch (e: unknown) {
          // evanphx/json-patch: a missing value tests equal to null.
          if (expected === null) break;
          throw e;
        }
        if (!deepEqual(actual, expected))
          throw new PatchError('unprocessable', `testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError('unprocessable', `Unexpected kind: ${String(kind)}`);
    }
  }
  return out;
}
