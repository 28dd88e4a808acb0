import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  duplicate,
  errorBody,
  errorListString,
  errorString,
  type FieldError,
  fieldPath,
  forbidden,
  goQuote,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
} from './field-errors.ts';

describe('fieldPath', () => {
  const cases: Array<[Parameters<typeof fieldPath>, string]> = [
    [['spec', 'containers', 0, 'image'], 'spec.containers[0].image'],
    [['metadata', 'labels', { key: 'app' }], 'metadata.labels[app]'],
    [['spec.containers[0]', 'ports', 1], 'spec.containers[0].ports[1]'],
    [['values', 0, { key: 'tier' }], 'values[0][tier]'],
    [['metadata'], 'metadata'],
    [['spec', '', 'x'], 'spec.x'],
  ];
  for (const [segments, want] of cases) {
    it(want, () => assert.equal(fieldPath(...segments), want));
  }
});

describe('errorString', () => {
  const cases: Array<[FieldError, string]> = [
    [
      required('metadata.name', 'name or generateName is required'),
      'metadata.name: Required value: name or generateName is required',
    ],
    [required('metadata.namespace', ''), 'metadata.namespace: Required value'],
    [
      invalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'Never', 'OnFailure']),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ],
    [notSupported('spec.x', 'y', []), 'spec.x: Unsupported value: "y"'],
    [duplicate('spec.containers[1].name', 'app'), 'spec.containers[1].name: Duplicate value: "app"'],
    [forbidden('spec.nodeName', 'may not be set'), 'spec.nodeName: Forbidden: may not be set'],
    [
      tooLong('metadata.annotations', 'x'.repeat(10), 262144),
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ],
    [tooMany('spec.items', 5, 3), 'spec.items: Too many: 5: must have at most 3 items'],
    [tooMany('spec.items', -1, 3), 'spec.items: Too many: must have at most 3 items'],
    [tooMany('spec.items', 5, -1), 'spec.items: Too many: 5: has too many items'],
    [invalid('f', 'v', ''), 'f: Invalid value: "v"'],
    [invalid('f', null, 'd'), 'f: Invalid value: null: d'],
    [invalid('f', undefined, 'd'), 'f: Invalid value: null: d'],
    [invalid('f', true, 'd'), 'f: Invalid value: true: d'],
    [invalid('f', 0.5, 'd'), 'f: Invalid value: 0.5: d'],
    [invalid('f', 1e-7, 'd'), 'f: Invalid value: 1e-07: d'],
    [invalid('f', 1234567.5, 'd'), 'f: Invalid value: 1.2345675e+06: d'],
    [invalid('f', 2 ** 60, 'd'), 'f: Invalid value: 1152921504606846976: d'],
    [invalid('f', 12n, 'd'), 'f: Invalid value: 12: d'],
    [invalid('f', Number.POSITIVE_INFINITY, 'd'), 'f: Invalid value: +Inf: d'],
    [invalid('values', ['a', 'b'], 'd'), 'values: Invalid value: []string{"a", "b"}: d'],
    [invalid('values', [], 'd'), 'values: Invalid value: []string(nil): d'],
    [invalid('f', { a: 1 }, 'd'), 'f: Invalid value: {"a":1}: d'],
  ];
  for (const [error, want] of cases) {
    it(want, () => assert.equal(errorString(error), want));
  }

  it('errorBody leaves the field out', () => {
    assert.equal(errorBody(invalid('spec.replicas', -1, 'bad')), 'Invalid value: -1: bad');
  });
});

describe('errorListString', () => {
  const a = required('a', 'x');
  const b = invalid('b', 1, 'y');
  const cases: Array<[FieldError[], string]> = [
    [[], ''],
    [[a], 'a: Required value: x'],
    [[a, b], '[a: Required value: x, b: Invalid value: 1: y]'],
    [[a, a], 'a: Required value: x'],
    [[a, b, a], '[a: Required value: x, b: Invalid value: 1: y]'],
  ];
  for (const [errors, want] of cases) {
    it(JSON.stringify(want), () => assert.equal(errorListString(errors), want));
  }
});

describe('goQuote', () => {
  const cases: Array<[string, string]> = [
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\x07\b\f\v', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['é日本', '"é日本"'],
    ['😀', '"😀"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u200b', '"\\u200b"'],
    ['\ue000', '"\\ue000"'],
    ['\u{1d173}', '"\\U0001d173"'],
    ['\ud800', '"\ufffd"'],
  ];
  for (const [input, want] of cases) {
    it(want, () => assert.equal(goQuote(input), want));
  }
});
