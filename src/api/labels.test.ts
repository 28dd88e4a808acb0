import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  everything,
  type LabelSelector,
  LabelSelectorError,
  labelSelectorAsSelector,
  type Labels,
  newRequirement,
  nothing,
  parseSelector,
  requirementToString,
  selectorFromSet,
  selectorToString,
} from './labels.ts';

const namePartMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseSelector: canonical form', () => {
  // Inputs from upstream's TestSetSelectorParser and TestToString, with the string each prints as.
  const cases: Array<[string, string]> = [
    ['', ''],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    [
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
    ],
    [
      '0.1.2.domain/99 notin (10.10.100.1, tick.tock.clock)',
      '0.1.2.domain/99 notin (10.10.100.1,tick.tock.clock)',
    ],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['!a', '!a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['z=1,a=2,m', 'a=2,m,z=1'],
    ['x=,z= ', 'x=,z='],
    ['notin=in', 'notin=in'],
    ['in in (in)', 'in in (in)'],
    // The lexer stops at a NUL where it expects a token, as upstream's byte scanner does.
    ['x=y \0z', 'x=y'],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => assert.equal(selectorToString(parseSelector(input)), want));
  }
});

describe('parseSelector: errors', () => {
  const requirement = 'unable to parse requirement: ';
  const cases: Array<[string, string]> = [
    ['x=a||y=b', `${requirement}values[0][x]: Invalid value: "a||y": ${labelValueMsg}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [
      'x<a',
      `${requirement}values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      'x>',
      `${requirement}values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', `${requirement}found 'nott', expected: in, notin, =, ==, !=, gt, lt`],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', `${requirement}found 'abc', expected: ',' or ')'`],
    ['a notin(', `${requirement}found '', expected: ',', ')' or identifier`],
    ['a in (x', `${requirement}found '', expected: ',' or ')'`],
    ['a in (x,=', `${requirement}found '=', expected: ',', or identifier`],
    ['a in x', `${requirement}found 'x' expected: '('`],
    ['a (', `${requirement}found '(', expected: in, notin, =, ==, !=, gt, lt`],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['k!', `${requirement}found '!', expected: in, notin, =, ==, !=, gt, lt`],
    ['!', `${requirement}found '', expected: identifier`],
    ['x=(', `${requirement}found '(', expected: identifier`],
    ['app:monolith', `${requirement}<nil>: Invalid value: "app:monolith": ${namePartMsg}`],
    [
      'a/b/c ?=? def',
      `${requirement}<nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      'A_b/-c-',
      `${requirement}<nil>: Invalid value: "A_b/-c-": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'); ${namePartMsg}`,
    ],
    [
      `x=${'z'.repeat(64)}`,
      `${requirement}values[0][x]: Invalid value: "${'z'.repeat(64)}": must be no more than 63 characters`,
    ],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () =>
      assert.throws(
        () => parseSelector(input),
        (e: unknown) => e instanceof LabelSelectorError && e.message === want,
      ),
    );
  }
  it('throws a LabelSelectorError the server can turn into a 400', () => {
    assert.throws(() => parseSelector('(x)'), { name: 'LabelSelectorError' });
  });
});

describe('Selector.matches', () => {
  // Upstream's TestSelectorMatches and TestEverything.
  const matching: Array<[string, Labels]> = [
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x==y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['x', { x: 'z' }],
    ['!x', { y: 'z' }],
    ['x>1', { x: '2' }],
    ['x<1', { x: '0' }],
    ['x<1', { x: '-5' }],
    ['x>0', { x: '+1' }],
    ['x!=y', {}],
    ['x notin (a,b)', {}],
    ['x notin (a,b)', { x: 'c' }],
    ['x in (a,b)', { x: 'b' }],
    ['x in ()', { x: '' }],
    ['x=', { x: '' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ];
  const notMatching: Array<[string, Labels]> = [
    ['x=z', {}],
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }],
    ['!x', { x: 'z' }],
    ['x>1', { x: '0' }],
    ['x<1', { x: '2' }],
    ['x>1', {}],
    ['x>1', { x: 'two' }],
    ['x<1', { x: '-9223372036854775809' }],
    ['x in (a,b)', { x: 'c' }],
    ['x in (a,b)', {}],
    ['x notin (a,b)', { x: 'a' }],
    ['x=', {}],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
    ['constructor', {}],
    ['toString', {}],
  ];
  for (const [selector, labels] of matching) {
    it(`${selector} matches ${JSON.stringify(labels)}`, () =>
      assert.equal(parseSelector(selector).matches(labels), true));
  }
  for (const [selector, labels] of notMatching) {
    it(`${selector} does not match ${JSON.stringify(labels)}`, () =>
      assert.equal(parseSelector(selector).matches(labels), false));
  }
  it('treats missing labels as none', () => {
    assert.equal(parseSelector('!x').matches(undefined), true);
    assert.equal(parseSelector('x').matches(undefined), false);
  });
});

describe('labelSelectorAsSelector', () => {
  const cases: Array<[string, LabelSelector | null | undefined, string, Labels, boolean]> = [
    ['null selects nothing', null, '', {}, false],
    ['undefined selects nothing', undefined, '', { a: 'b' }, false],
    ['empty selects everything', {}, '', { a: 'b' }, true],
    ['empty lists select everything', { matchLabels: {}, matchExpressions: [] }, '', {}, true],
    [
      'matchLabels, sorted by key',
      { matchLabels: { b: '2', a: '1' } },
      'a=1,b=2',
      { a: '1', b: '2', c: '3' },
      true,
    ],
    ['matchLabels mismatch', { matchLabels: { a: '1' } }, 'a=1', { a: '2' }, false],
    [
      'all operators',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'back'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'track', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist', values: [] },
        ],
      },
      'app=web,env notin (dev),!legacy,tier in (back,front),track',
      { app: 'web', tier: 'back', track: 'stable', env: 'prod' },
      true,
    ],
    [
      'NotIn of a missing key',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] },
      'env notin (dev)',
      {},
      true,
    ],
  ];
  for (const [name, ls, text, labels, matches] of cases) {
    it(name, () => {
      const selector = labelSelectorAsSelector(ls);
      assert.equal(selectorToString(selector), text);
      assert.equal(selector.matches(labels), matches);
    });
  }

  const errors: Array<[string, LabelSelector, string]> = [
    [
      'unknown operator',
      { matchExpressions: [{ key: 'name', operator: 'Seriously' as 'In' }] },
      '"Seriously" is not a valid label selector operator',
    ],
    [
      'prototype member as operator',
      { matchExpressions: [{ key: 'name', operator: 'constructor' as 'In' }] },
      '"constructor" is not a valid label selector operator',
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'name', operator: 'In', values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'name', operator: 'Exists', values: ['a'] }] },
      'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist',
    ],
    ['bad key', { matchLabels: { 'a b': 'c' } }, `key: Invalid value: "a b": ${namePartMsg}`],
    ['bad value', { matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${labelValueMsg}`],
    [
      'several problems at once',
      { matchExpressions: [{ key: '-k', operator: 'NotIn' }] },
      `[key: Invalid value: "-k": ${namePartMsg}, values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]`,
    ],
  ];
  for (const [name, ls, message] of errors) {
    it(name, () => assert.throws(() => labelSelectorAsSelector(ls), { name: 'LabelSelectorError', message }));
  }
});

describe('constructors and printing', () => {
  it('everything and nothing', () => {
    assert.equal(everything().matches({}), true);
    assert.equal(nothing().matches({}), false);
    assert.equal(nothing().matchesNothing, true);
    assert.equal(selectorToString(nothing()), '');
  });

  it('selectorFromSet', () => {
    const selector = selectorFromSet({ b: '2', a: '1' });
    assert.equal(selectorToString(selector), 'a=1,b=2');
    assert.equal(selector.matches({ a: '1', b: '2' }), true);
    assert.equal(selector.matches({ a: '1' }), false);
    assert.equal(selectorFromSet({}).matches({ any: 'thing' }), true);
    assert.equal(selectorFromSet(undefined).requirements.length, 0);
  });

  // Upstream's TestToString.
  const printed: Array<[Parameters<typeof newRequirement>, string]> = [
    [['x', 'in', ['def', 'abc']], 'x in (abc,def)'],
    [['y', 'notin', ['']], 'y notin ()'],
    [['z', 'exists', []], 'z'],
    [['z', '!', []], '!z'],
    [['y', '==', ['jkl']], 'y==jkl'],
    [['x', 'gt', ['2']], 'x>2'],
    [['y', 'lt', ['8']], 'y<8'],
  ];
  for (const [args, want] of printed) {
    it(want, () => assert.equal(requirementToString(newRequirement(...args)), want));
  }

  it('newRequirement checks value counts', () => {
    assert.throws(() => newRequirement('x', '=', ['a', 'b']), {
      message:
        'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value',
    });
    assert.throws(() => newRequirement('x', 'gt', ['1', 'b']), {
      message:
        "[values: Invalid value: []string{\"1\", \"b\"}: for 'Gt', 'Lt' operators, exactly one value is required, values[1]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer]",
    });
  });
});
