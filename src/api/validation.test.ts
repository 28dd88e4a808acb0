import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OwnerReference } from './meta.ts';
import {
  errorString,
  isCIdentifier,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateLabels,
  validateObjectMetaNames,
  validateOwnerReferences,
} from './validation.ts';

// Upstream's messages, spelled out once so the tables below stay readable.
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const namePartMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const qualifiedNameMsg =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const envMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
const cIdentMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')";

type Check<T> = (value: T) => string[];

function table<T>(name: string, check: Check<T>, cases: Array<[T, string[]]>): void {
  describe(name, () => {
    for (const [value, want] of cases) {
      it(`${JSON.stringify(value)}`.slice(0, 60), () => assert.deepEqual(check(value), want));
    }
  });
}

table('isDNS1123Label', isDNS1123Label, [
  ...['a', 'ab', 'a1', 'a-1', 'a--1--2--b', '0', '01', '1-a', 'a'.repeat(63)].map((v): [string, string[]] => [
    v,
    [],
  ]),
  ...['', 'A', 'aBc', '-', 'a-', '-a', 'a_b', '.', 'a.', '.a', ' ', 'a b'].map((v): [string, string[]] => [
    v,
    [labelMsg],
  ]),
  ['a.b', ['must not contain dots']],
  ['1.2', ['must not contain dots']],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['A'.repeat(64), ['must be no more than 63 characters', labelMsg]],
]);

table('isDNS1123Subdomain', isDNS1123Subdomain, [
  ...['a', 'a.b', 'a-1.b-2', '0.0', 'a'.repeat(253), `${'a'.repeat(63)}.b`].map((v): [string, string[]] => [
    v,
    [],
  ]),
  ...['', 'A', 'a..b', '.a', 'a.', 'a_b', 'a.-b', 'a b'].map((v): [string, string[]] => [v, [subdomainMsg]]),
  ['a'.repeat(254), ['must be no more than 253 characters']],
]);

table('isQualifiedName', isQualifiedName, [
  ...[
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now.with.dots/now-with-dashes',
    'now-with.dashes-and.dots/now_with_underscores',
    'now_with_underscores',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ].map((v): [string, string[]] => [v, []]),
  ['nospecialchars%^=@', [namePartMsg]],
  ['cantendwithadash-', [namePartMsg]],
  ['-cantstartwithadash-', [namePartMsg]],
  ['only/one/slash', [qualifiedNameMsg]],
  ['Example.com/abc', [`prefix part ${subdomainMsg}`]],
  ['example_com/abc', [`prefix part ${subdomainMsg}`]],
  ['example.com/', ['name part must be non-empty', namePartMsg]],
  ['', ['name part must be non-empty', namePartMsg]],
  ['/simple', ['prefix part must be non-empty']],
  ['a'.repeat(64), ['name part must be no more than 63 characters']],
  [`${'a'.repeat(254)}/abc`, ['prefix part must be no more than 253 characters']],
]);

table('isValidLabelValue', isValidLabelValue, [
  ...['', 'a', 'A', 'a1', 'a-b', 'a_b', 'a.b', 'a--b', '1234', 'a'.repeat(63)].map(
    (v): [string, string[]] => [v, []],
  ),
  ...['-a', 'a-', '_a', 'a b', 'a/b', 'é'].map((v): [string, string[]] => [v, [labelValueMsg]]),
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['é'.repeat(32), ['must be no more than 63 characters', labelValueMsg]],
]);

table('isCIdentifier', isCIdentifier, [
  ...['a', 'ab', 'a1', '_a', 'a_', '_', 'A', 'A_1'].map((v): [string, string[]] => [v, []]),
  ...['', '1', '1a', '-', 'a-', '.', 'a b', 'a.b'].map((v): [string, string[]] => [v, [cIdentMsg]]),
]);

table('isEnvVarName', isEnvVarName, [
  ...['ABC', 'AbC123', '_abc', 'a-b', 'a.b', '-a', '.a', 'a..b', 'a_.b'].map((v): [string, string[]] => [
    v,
    [],
  ]),
  ...['', '1abc', 'a b', 'a=b', 'é'].map((v): [string, string[]] => [v, [envMsg]]),
  ['.', ["must not be '.'"]],
  ['..', ["must not be '..'"]],
  ['..abc', ["must not start with '..'"]],
  ['..a b', [envMsg, "must not start with '..'"]],
]);

table('isValidPortNum', isValidPortNum, [
  ...[1, 80, 65535].map((v): [number, string[]] => [v, []]),
  ...[0, -1, 65536, 1.5, Number.NaN].map((v): [number, string[]] => [
    v,
    ['must be between 1 and 65535, inclusive'],
  ]),
]);

const charsetMsg = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
table('isValidPortName', isValidPortName, [
  ...['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'].map(
    (v): [string, string[]] => [v, []],
  ),
  ['longerthan15characters', ['must be no more than 15 characters']],
  ['', [charsetMsg, 'must contain at least one letter (a-z)']],
  ['-', ['must contain at least one letter (a-z)', 'must not begin or end with a hyphen']],
  ['a--b', ['must not contain consecutive hyphens']],
  ['-a', ['must not begin or end with a hyphen']],
  ['a-', ['must not begin or end with a hyphen']],
  ['1234', ['must contain at least one letter (a-z)']],
  ['TELNET', [charsetMsg, 'must contain at least one letter (a-z)']],
  ['a_b', [charsetMsg]],
]);

describe('name validators', () => {
  const cases: Array<[string, boolean, string[]]> = [
    ['my-pod', false, []],
    ['my-pod-', true, []],
    ['my-pod-', false, [subdomainMsg]],
    // Upstream's maskTrailingDash drops two characters, so this prefix passes although "ab.-x" would not.
    ['ab.-', true, []],
    ['-', true, [subdomainMsg]],
  ];
  for (const [name, prefix, want] of cases) {
    it(`nameIsDNSSubdomain ${name} ${prefix}`, () =>
      assert.deepEqual(nameIsDNSSubdomain(name, prefix), want));
  }
  it('nameIsDNSLabel rejects dots', () =>
    assert.deepEqual(nameIsDNSLabel('a.b', false), ['must not contain dots']));
  it('nameIsDNSLabel masks a generateName dash', () => assert.deepEqual(nameIsDNSLabel('web-', true), []));
});

describe('validateObjectMetaNames', () => {
  const namespaced = { path: 'metadata', namespaced: true, nameFn: nameIsDNSSubdomain };
  const clusterScoped = { path: 'metadata', namespaced: false, nameFn: nameIsDNSLabel };
  const cases: Array<[string, Parameters<typeof validateObjectMetaNames>, string[]]> = [
    ['valid', [{ name: 'web', namespace: 'default' }, namespaced], []],
    ['generated name', [{ generateName: 'web-', name: 'web-x7k2p', namespace: 'default' }, namespaced], []],
    // Registries generate the name before validating, so a missing name is an error even then.
    [
      'generateName not yet applied',
      [{ generateName: 'web-', namespace: 'default' }, namespaced],
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      'no name',
      [{ namespace: 'default' }, namespaced],
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      'bad generateName',
      [{ generateName: 'Web-', name: 'web', namespace: 'default' }, namespaced],
      [`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`],
    ],
    ['no namespace', [{ name: 'web' }, namespaced], ['metadata.namespace: Required value']],
    [
      'bad namespace',
      [{ name: 'web', namespace: 'a.b' }, namespaced],
      ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
    ],
    [
      'namespace on a cluster-scoped kind',
      [{ name: 'node-1', namespace: 'default' }, clusterScoped],
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      'label rule',
      [{ name: 'a.b' }, clusterScoped],
      ['metadata.name: Invalid value: "a.b": must not contain dots'],
    ],
  ];
  for (const [name, args, want] of cases) {
    it(name, () => assert.deepEqual(validateObjectMetaNames(...args).map(errorString), want));
  }
});

describe('validateLabels', () => {
  const cases: Array<[Record<string, string> | undefined, string[]]> = [
    [undefined, []],
    [{ app: 'web', 'example.com/tier': 'front_end.1' }, []],
    [{ 'Bad Key': 'v' }, [`metadata.labels: Invalid value: "Bad Key": ${namePartMsg}`]],
    [{ k: 'bad value' }, [`metadata.labels: Invalid value: "bad value": ${labelValueMsg}`]],
    [
      { 'Example.com/k': 'v' },
      [`metadata.labels: Invalid value: "Example.com/k": prefix part ${subdomainMsg}`],
    ],
  ];
  for (const [labels, want] of cases) {
    it(JSON.stringify(labels) ?? 'undefined', () =>
      assert.deepEqual(validateLabels(labels, 'metadata.labels').map(errorString), want),
    );
  }
});

describe('validateAnnotations', () => {
  const limit = 256 * 1024;
  const cases: Array<[string, Record<string, string> | undefined, string[]]> = [
    ['none', undefined, []],
    ['keys in any case', { 'Example.com/Key': 'anything at all\n' }, []],
    ['bad key', { 'a b': '' }, [`metadata.annotations: Invalid value: "a b": ${namePartMsg}`]],
    ['exactly at the limit', { k: 'x'.repeat(limit - 1) }, []],
    [
      'over the limit',
      { k: 'x'.repeat(limit) },
      ['metadata.annotations: Too long: must have at most 262144 bytes'],
    ],
    // Sizes are UTF-8 bytes: é is two.
    [
      'bytes, not characters',
      { k: 'é'.repeat(limit / 2) },
      ['metadata.annotations: Too long: must have at most 262144 bytes'],
    ],
  ];
  for (const [name, annotations, want] of cases) {
    it(name, () =>
      assert.deepEqual(validateAnnotations(annotations, 'metadata.annotations').map(errorString), want),
    );
  }
});

describe('validateOwnerReferences', () => {
  const ref = (over: Partial<OwnerReference>): OwnerReference => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'web-1',
    uid: 'u1',
    ...over,
  });
  const path = 'metadata.ownerReferences';
  const cases: Array<[string, OwnerReference[] | undefined, string[]]> = [
    ['none', undefined, []],
    [
      'valid, several non-controllers',
      [ref({}), ref({ uid: 'u2', controller: false }), ref({ uid: 'u3', controller: true })],
      [],
    ],
    ['core group', [ref({ apiVersion: 'v1', kind: 'Node' })], []],
    [
      'empty fields',
      [ref({ apiVersion: '', kind: '', name: '', uid: '' })],
      [
        `${path}.apiVersion: Invalid value: "": version must not be empty`,
        `${path}.kind: Invalid value: "": kind must not be empty`,
        `${path}.name: Invalid value: "": name must not be empty`,
        `${path}.uid: Invalid value: "": uid must not be empty`,
      ],
    ],
    [
      'group without version',
      [ref({ apiVersion: 'apps/' })],
      [`${path}.apiVersion: Invalid value: "apps/": version must not be empty`],
    ],
    [
      'too many slashes',
      [ref({ apiVersion: 'a/b/c' })],
      [`${path}.apiVersion: Invalid value: "a/b/c": version must not be empty`],
    ],
    ['events.k8s.io events may own', [ref({ apiVersion: 'events.k8s.io/v1', kind: 'Event' })], []],
    [
      'core events may not',
      [ref({ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' })],
      [
        `${path}: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner`,
      ],
    ],
  ];
  for (const [name, refs, want] of cases) {
    it(name, () => assert.deepEqual(validateOwnerReferences(refs, path).map(errorString), want));
  }

  it('allows one controller only, naming the first and each later one', () => {
    const refs = [
      ref({ kind: 'A', name: 'a', controller: true }),
      ref({ kind: 'B', name: 'b', controller: true }),
      ref({ kind: 'C', name: 'c', controller: true }),
    ];
    const errors = validateOwnerReferences(refs, path);
    assert.deepEqual(
      errors.map((e) => e.detail),
      [
        'Only one reference can have Controller set to true. Found "true" in references for A/a and B/b',
        'Only one reference can have Controller set to true. Found "true" in references for A/a and C/c',
      ],
    );
    assert.equal(errors[0]!.field, path);
    assert.equal(errors[0]!.badValue, refs);
  });
});
