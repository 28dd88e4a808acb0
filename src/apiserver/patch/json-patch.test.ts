import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError, patchErrorStatus } from './errors.ts';
import { applyJsonPatch, decodeJsonPatch, type JsonPatchOperation, parsePointer } from './json-patch.ts';

const doc = {
  a: { b: 1, 'c/d': 2, 'e~f': 3 },
  list: ['x', 'y'],
  n: null,
};

describe('applyJsonPatch (RFC 6902)', () => {
  const cases: Array<{ name: string; ops: JsonPatchOperation[]; want: unknown }> = [
    {
      name: 'add a member',
      ops: [{ op: 'add', path: '/a/z', value: 9 }],
      want: { ...doc, a: { ...doc.a, z: 9 } },
    },
    {
      name: 'add replaces an existing member',
      ops: [{ op: 'add', path: '/a/b', value: 5 }],
      want: { ...doc, a: { ...doc.a, b: 5 } },
    },
    {
      name: 'add into a list',
      ops: [{ op: 'add', path: '/list/1', value: 'q' }],
      want: { ...doc, list: ['x', 'q', 'y'] },
    },
    {
      name: 'add with - appends',
      ops: [{ op: 'add', path: '/list/-', value: 'z' }],
      want: { ...doc, list: ['x', 'y', 'z'] },
    },
    { name: 'remove a member', ops: [{ op: 'remove', path: '/n' }], want: { a: doc.a, list: doc.list } },
    { name: 'remove from a list', ops: [{ op: 'remove', path: '/list/0' }], want: { ...doc, list: ['y'] } },
    {
      name: '~1 escapes /',
      ops: [{ op: 'replace', path: '/a/c~1d', value: 7 }],
      want: { ...doc, a: { ...doc.a, 'c/d': 7 } },
    },
    {
      name: '~0 escapes ~',
      ops: [{ op: 'remove', path: '/a/e~0f' }],
      want: { ...doc, a: { b: 1, 'c/d': 2 } },
    },
    {
      name: 'move',
      ops: [{ op: 'move', from: '/a/b', path: '/moved' }],
      want: { ...doc, a: { 'c/d': 2, 'e~f': 3 }, moved: 1 },
    },
    { name: 'copy', ops: [{ op: 'copy', from: '/list', path: '/copy' }], want: { ...doc, copy: ['x', 'y'] } },
    {
      name: 'test then replace',
      ops: [
        { op: 'test', path: '/a/b', value: 1 },
        { op: 'replace', path: '/a/b', value: 2 },
      ],
      want: { ...doc, a: { ...doc.a, b: 2 } },
    },
    {
      name: 'test of a missing path against null',
      ops: [{ op: 'test', path: '/missing', value: null }],
      want: doc,
    },
    {
      name: 'replace the whole document',
      ops: [{ op: 'replace', path: '', value: { x: 1 } }],
      want: { x: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(doc);
      assert.deepEqual(applyJsonPatch(doc, c.ops), c.want);
      assert.deepEqual(doc, before, 'the input is not changed');
    });
  }

  const failures: Array<{ name: string; ops: JsonPatchOperation[] }> = [
    { name: 'remove of a missing member', ops: [{ op: 'remove', path: '/nope' }] },
    { name: 'replace of a missing member', ops: [{ op: 'replace', path: '/a/nope', value: 1 }] },
    { name: 'add under a missing parent', ops: [{ op: 'add', path: '/x/y', value: 1 }] },
    { name: 'list index out of range', ops: [{ op: 'add', path: '/list/5', value: 1 }] },
    { name: 'non-numeric list index', ops: [{ op: 'replace', path: '/list/one', value: 1 }] },
    { name: 'failed test', ops: [{ op: 'test', path: '/a/b', value: 2 }] },
    { name: 'pointer without a leading slash', ops: [{ op: 'remove', path: 'a' }] },
    { name: 'unknown op', ops: [{ op: 'frobnicate', path: '/a' }] },
    { name: 'add without value', ops: [{ op: 'add', path: '/a/q' }] },
    { name: 'move into its own child', ops: [{ op: 'move', from: '/a', path: '/a/inner' }] },
    {
      name: 'a later failure undoes earlier operations',
      ops: [
        { op: 'add', path: '/ok', value: 1 },
        { op: 'remove', path: '/nope' },
      ],
    },
  ];
  for (const c of failures) {
    it(`fails: ${c.name}`, () => {
      const before = structuredClone(doc);
      assert.throws(
        () => applyJsonPatch(doc, c.ops),
        (e: unknown) => e instanceof PatchError && e.kind === 'unprocessable',
      );
      assert.deepEqual(doc, before);
    });
  }

  it('answers a failed operation as upstream does: 422 Invalid with the generic message', () => {
    const status = patchErrorStatus(new PatchError('unprocessable', 'x'));
    assert.deepEqual(status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });

  it('refuses more than 10000 operations with 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/n', value: null }));
    assert.throws(
      () => applyJsonPatch(doc, ops),
      (e: unknown) => e instanceof PatchError && e.kind === 'too-large',
    );
  });
});

describe('decodeJsonPatch', () => {
  for (const [body, ok] of [
    ['[]', true],
    ['[{"op":"add","path":"/a","value":1}]', true],
    ['{"op":"add"}', false],
    ['["add"]', false],
    ['not json', false],
  ] as const) {
    it(`${ok ? 'accepts' : 'refuses with 400'} ${body}`, () => {
      if (ok) assert.ok(Array.isArray(decodeJsonPatch(body)));
      else
        assert.throws(
          () => decodeJsonPatch(body),
          (e: unknown) => e instanceof PatchError && e.kind === 'bad-request',
        );
    });
  }

  it('parses pointers', () => {
    assert.deepEqual(parsePointer(''), []);
    assert.deepEqual(parsePointer('/a~1b/~0c/~01'), ['a/b', '~c', '~1']);
  });
});
