import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  escapeFieldValue,
  type FieldRequirement,
  FieldSelectorError,
  type Fields,
  fieldSelectorToString,
  parseFieldSelector,
  unescapeFieldValue,
} from './fields.ts';

describe('parseFieldSelector: requirements', () => {
  const cases: Array<[string, FieldRequirement[]]> = [
    ['', []],
    [',,', []],
    ['a=value', [{ field: 'a', operator: '=', value: 'value' }]],
    ['a==value', [{ field: 'a', operator: '=', value: 'value' }]],
    ['a!=value', [{ field: 'a', operator: '!=', value: 'value' }]],
    ['a=', [{ field: 'a', operator: '=', value: '' }]],
    ['=value', [{ field: '', operator: '=', value: 'value' }]],
    // The field has no escaping: the first operator splits the term.
    ['a\\=value', [{ field: 'a\\', operator: '=', value: 'value' }]],
    ['a\\!=value', [{ field: 'a\\', operator: '!=', value: 'value' }]],
    ['a=value\\=', [{ field: 'a', operator: '=', value: 'value=' }]],
    ['a=!b', [{ field: 'a', operator: '=', value: '!b' }]],
    // A term whose field and value are both empty selects everything and is dropped.
    ['=', []],
    ['==,!=', []],
    [
      'spec.nodeName=node-1,status.phase!=Running',
      [
        { field: 'spec.nodeName', operator: '=', value: 'node-1' },
        { field: 'status.phase', operator: '!=', value: 'Running' },
      ],
    ],
    // Sorted as raw terms, before unescaping.
    [
      'x=a,a=x',
      [
        { field: 'a', operator: '=', value: 'x' },
        { field: 'x', operator: '=', value: 'a' },
      ],
    ],
    [
      'a=avalue\\,,b=bvalue',
      [
        { field: 'a', operator: '=', value: 'avalue,' },
        { field: 'b', operator: '=', value: 'bvalue' },
      ],
    ],
    [
      'a=avalue\\\\,b=bvalue',
      [
        { field: 'a', operator: '=', value: 'avalue\\' },
        { field: 'b', operator: '=', value: 'bvalue' },
      ],
    ],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(parseFieldSelector(input).requirements, want));
  }
});

describe('parseFieldSelector: errors', () => {
  const cases: Array<[string, string]> = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['x=y,bad', "invalid selector: 'x=y,bad'; can't understand 'bad'"],
    ['x=a||y=b', 'invalid field selector: unescapedRune character in value: 61'],
    ['x==a==b', 'invalid field selector: unescapedRune character in value: 61'],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
    ['x=\\😀', 'invalid field selector: invalid escape sequence: \\😀'],
  ];
  for (const [input, message] of cases) {
    it(JSON.stringify(input), () =>
      assert.throws(() => parseFieldSelector(input), { name: 'FieldSelectorError', message }),
    );
  }
  it('is a FieldSelectorError', () => assert.throws(() => parseFieldSelector('a'), FieldSelectorError));
});

describe('FieldSelector.matches', () => {
  // Upstream's TestSelectorMatches.
  const fieldset: Fields = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: Array<[string, Fields, boolean]> = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    // A missing field reads as "".
    ['missing=', {}, true],
    ['missing!=x', {}, true],
    ['missing=x', {}, false],
    ['constructor=', {}, true],
  ];
  for (const [selector, fields, want] of cases) {
    it(`${selector} on ${JSON.stringify(fields)}`, () =>
      assert.equal(parseFieldSelector(selector).matches(fields), want));
  }
});

describe('escaping', () => {
  // Upstream's TestEscapeValue.
  const cases: Array<[string, string]> = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [raw, escaped] of cases) {
    it(JSON.stringify(raw), () => {
      assert.equal(escapeFieldValue(raw), escaped);
      assert.equal(unescapeFieldValue(escaped), raw);
    });
  }
  it('rejects a bare comma', () =>
    assert.throws(() => unescapeFieldValue('a,b'), {
      message: 'invalid field selector: unescapedRune character in value: 44',
    }));
});

describe('fieldSelectorToString', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['x=a,a=x', 'a=x,x=a'],
    ['b==1,a!=2', 'a!=2,b=1'],
    ['a=x\\,y\\=z\\\\', 'a=x\\,y\\=z\\\\'],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => assert.equal(fieldSelectorToString(parseFieldSelector(input)), want));
  }
});
