import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf, knownKinds } from './index.ts';
import { allMessages, kindMessage, type TypeName } from './schema/index.ts';
import { concat, envelope, pb } from './testing/encode.ts';

const pde = { name: 'ProtobufDecodeError' };

/** Decodes a body built from the given top-level fields. */
function decode(apiVersion: string, kind: string, ...fields: Uint8Array[]): Record<string, unknown> {
  return decodeKubernetesProtobuf(envelope(apiVersion, kind, concat(...fields))).object;
}

// ObjectMeta as gogo writes it for a fresh object: every non-pointer scalar, zero or not.
const meta = (name: string, ...extra: Uint8Array[]): Uint8Array =>
  pb.message(
    1,
    pb.string(1, name),
    pb.string(2, ''),
    pb.string(3, ''),
    pb.string(4, ''),
    pb.string(5, ''),
    pb.string(6, ''),
    pb.varint(7, 0),
    pb.message(8),
    ...extra,
  );

describe('zero values', () => {
  it('keeps a pointer set to zero, drops empty omitempty scalars, writes empty structs', () => {
    const got = decode(
      'apps/v1',
      'Deployment',
      meta('web'),
      pb.message(2, pb.varint(1, 0), pb.message(3), pb.message(4), pb.varint(5, 0), pb.varint(7, 0)),
      pb.message(3),
    );
    assert.deepEqual(got, {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {
        replicas: 0,
        selector: null, // *LabelSelector without omitempty
        template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
        strategy: {},
      },
      status: {},
    });
  });

  it('omits an unset pointer and fills in absent structs', () => {
    const got = decode('apps/v1', 'Deployment', meta('web'));
    assert.deepEqual(got.spec, {
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      strategy: {},
    });
    assert.deepEqual(got.status, {});
  });

  it('keeps zero values of fields without omitempty, even when absent from the wire', () => {
    const got = decode(
      'v1',
      'Pod',
      pb.message(2, pb.message(2), pb.message(2, pb.string(1, 'b'), pb.message(6, pb.string(1, '')))),
    );
    const spec = got.spec as { containers: unknown[] };
    // Container.name and ContainerPort.containerPort have no omitempty.
    assert.deepEqual(spec.containers, [
      { name: '', resources: {} },
      { name: 'b', ports: [{ containerPort: 0 }], resources: {} },
    ]);
  });

  it('writes "rules": null for a role without rules (no omitempty on the slice)', () => {
    assert.deepEqual(decode('rbac.authorization.k8s.io/v1', 'Role', meta('r')).rules, null);
  });

  it('keeps ServicePort.port 0 and targetPort 0', () => {
    const got = decode('v1', 'Service', pb.message(2, pb.message(1, pb.string(1, 'p'))));
    assert.deepEqual((got.spec as { ports: unknown }).ports, [{ name: 'p', port: 0, targetPort: 0 }]);
  });

  it('keeps false pointers and drops false omitempty bools', () => {
    const got = decode('v1', 'ConfigMap', pb.varint(4, false));
    assert.equal(got.immutable, false);
    const pod = decode('v1', 'Pod', pb.message(2, pb.varint(11, false), pb.varint(21, false)));
    assert.deepEqual(pod.spec, { containers: null, automountServiceAccountToken: false });
  });
});

describe('special types', () => {
  const resources = (...entries: Uint8Array[]): Record<string, unknown> => {
    const got = decode('v1', 'ResourceQuota', pb.message(2, ...entries));
    return (got.spec as { hard: Record<string, unknown> }).hard;
  };

  it('quantities: the string as written; an absent string is "0"', () => {
    assert.deepEqual(
      resources(
        pb.entry(1, 'cpu', pb.quantity(2, '1500m')),
        pb.entry(1, 'memory', pb.quantity(2, '1Gi')),
        pb.entry(1, 'pods', pb.message(2)),
        pb.entry(1, 'storage'),
      ),
      { cpu: '1500m', memory: '1Gi', pods: '0', storage: '0' },
    );
  });

  it('int-or-string: number for type 0, string for type 1', () => {
    const port = (value: Uint8Array): unknown => {
      const got = decode('v1', 'Service', pb.message(2, pb.message(1, pb.varint(3, 80), value)));
      return (got.spec as { ports: Array<{ targetPort: unknown }> }).ports[0]?.targetPort;
    };
    assert.equal(port(pb.intOrString(4, 8080)), 8080);
    assert.equal(port(pb.intOrString(4, 'http')), 'http');
    assert.equal(port(pb.message(4, pb.varint(2, -1))), -1);
    assert.equal(port(pb.message(4, pb.varint(1, 1))), '');
    assert.throws(() => port(pb.message(4, pb.varint(1, 2))), {
      ...pde,
      message: /IntOrString has unknown type 2/,
    });
  });

  it('int-or-string pointers: kept at zero, omitted when unset', () => {
    const got = decode('policy/v1', 'PodDisruptionBudget', pb.message(2, pb.intOrString(1, 0)));
    assert.deepEqual(got.spec, { minAvailable: 0 });
    const pct = decode('policy/v1', 'PodDisruptionBudget', pb.message(2, pb.intOrString(3, '50%')));
    assert.deepEqual(pct.spec, { maxUnavailable: '50%' });
  });

  it('times: RFC 3339 in UTC, null for the zero time', () => {
    const got = decode('v1', 'ConfigMap', meta('c', pb.time(9, 1_700_000_000, 123_456_789)));
    assert.deepEqual(got.metadata, {
      name: 'c',
      creationTimestamp: null,
      deletionTimestamp: '2023-11-14T22:13:20Z',
    });
    const set = decode('v1', 'ConfigMap', pb.message(1, pb.time(8, 86_400)));
    assert.deepEqual(set.metadata, { creationTimestamp: '1970-01-02T00:00:00Z' });
    // metav1.Time.Unmarshal drops nanos, even out-of-range ones that would carry into the seconds.
    const carry = decode('v1', 'ConfigMap', pb.message(1, pb.time(8, 86_400, -1)));
    assert.deepEqual(carry.metadata, { creationTimestamp: '1970-01-02T00:00:00Z' });
    // A present but all-zero timestamp is the Unix epoch, not the zero time.
    const epoch = decode('v1', 'ConfigMap', pb.message(1, pb.message(8, pb.varint(1, 0))));
    assert.deepEqual(epoch.metadata, { creationTimestamp: '1970-01-01T00:00:00Z' });
  });

  it('micro times: six fractional digits', () => {
    const got = decode(
      'v1',
      'Event',
      pb.time(10, 1_700_000_000, 5_000),
      pb.message(11, pb.varint(1, 2), pb.time(2, 60)),
    );
    assert.equal(got.eventTime, '2023-11-14T22:13:20.000005Z');
    assert.deepEqual(got.series, { count: 2, lastObservedTime: '1970-01-01T00:01:00.000000Z' });
    assert.equal(decode('v1', 'Event').eventTime, null);
  });

  it('bytes: base64; an entry without a value is ""', () => {
    const got = decode(
      'v1',
      'Secret',
      pb.entry(2, 'bin', pb.bytes(2, Uint8Array.of(0, 1, 2, 0xff, 0xfe))),
      pb.entry(2, 'empty', pb.bytes(2, new Uint8Array())),
      pb.entry(2, 'missing'),
      pb.string(3, 'Opaque'),
    );
    assert.deepEqual(got.data, { bin: 'AAEC//4=', empty: '', missing: '' });
    assert.equal(got.type, 'Opaque');
  });

  it('raw extensions: embedded JSON, or an embedded protobuf object', () => {
    const json = decode(
      'apps/v1',
      'ControllerRevision',
      pb.message(2, pb.string(1, '{"a":[1,"x"]}')),
      pb.varint(3, 7),
    );
    assert.deepEqual(json.data, { a: [1, 'x'] });
    assert.equal(json.revision, 7);
    const inner = envelope(
      'v1',
      'ConfigMap',
      concat(pb.message(1, pb.string(1, 'in')), pb.entry(2, 'k', pb.string(2, 'v'))),
    );
    const nested = decode('apps/v1', 'ControllerRevision', pb.message(2, pb.bytes(1, inner)));
    assert.deepEqual(nested.data, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'in', creationTimestamp: null },
      data: { k: 'v' },
    });
    assert.equal(decode('apps/v1', 'ControllerRevision').data, null);
    assert.throws(() => decode('apps/v1', 'ControllerRevision', pb.message(2, pb.string(1, '{'))), {
      ...pde,
      message: /^data: /,
    });
  });

  it('managed fields: fieldsV1 is the embedded JSON', () => {
    const entry = pb.message(
      17,
      pb.string(1, 'kubectl'),
      pb.string(6, 'FieldsV1'),
      pb.message(7, pb.string(1, '{"f:data":{}}')),
    );
    const got = decode('v1', 'ConfigMap', pb.message(1, entry));
    assert.deepEqual((got.metadata as { managedFields: unknown }).managedFields, [
      { manager: 'kubectl', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
    ]);
  });

  it('string lists (ExtraValue): arrays in a map', () => {
    const got = decode(
      'authentication.k8s.io/v1',
      'SelfSubjectReview',
      pb.message(
        2,
        pb.message(
          1,
          pb.string(1, 'alice'),
          pb.entry(4, 'scopes', pb.message(2, pb.string(1, 'a'), pb.string(1, 'b'))),
        ),
      ),
    );
    assert.deepEqual(got.status, { userInfo: { username: 'alice', extra: { scopes: ['a', 'b'] } } });
  });
});

describe('maps and lists', () => {
  it('sorts map keys as Go does, keeps the last duplicate, and makes __proto__ an own key', () => {
    const got = decode(
      'v1',
      'ConfigMap',
      pb.entry(2, 'z', pb.string(2, '1')),
      pb.entry(2, 'a', pb.string(2, '2')),
      pb.entry(2, 'z', pb.string(2, '3')),
      pb.entry(2, '__proto__', pb.string(2, 'p')),
      pb.message(2, pb.string(2, 'no key')),
    );
    const data = got.data as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ['', '__proto__', 'a', 'z']);
    assert.equal(data.z, '3');
    assert.ok(Object.hasOwn(data, '__proto__'));
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
  });

  it('accepts packed and unpacked repeated integers', () => {
    const sc = (...f: Uint8Array[]): unknown => {
      const got = decode('v1', 'Pod', pb.message(2, pb.message(14, ...f)));
      return (got.spec as { securityContext: { supplementalGroups: unknown } }).securityContext
        .supplementalGroups;
    };
    assert.deepEqual(sc(pb.varint(4, 1), pb.varint(4, 2)), [1, 2]);
    assert.deepEqual(sc(pb.packed(4, [1, 2]), pb.varint(4, 3)), [1, 2, 3]);
  });

  it('merges a repeated occurrence of a singular message field', () => {
    const got = decode(
      'v1',
      'ConfigMap',
      pb.message(1, pb.string(1, 'a')),
      pb.message(1, pb.string(3, 'ns')),
    );
    assert.deepEqual(got.metadata, { name: 'a', namespace: 'ns', creationTimestamp: null });
  });

  it('inlines embedded structs (Volume, Probe, IngressRule)', () => {
    const got = decode(
      'v1',
      'Pod',
      pb.message(
        2,
        pb.message(1, pb.string(1, 'v'), pb.message(2, pb.message(19, pb.message(1, pb.string(1, 'cm'))))),
      ),
    );
    assert.deepEqual((got.spec as { volumes: unknown }).volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  });

  it('decodes negative int32 written as ten-byte varints', () => {
    const got = decode('scheduling.k8s.io/v1', 'PriorityClass', pb.varint(2, -5));
    assert.equal(got.value, -5);
  });
});

describe('forward compatibility and malformed input', () => {
  it('skips unknown field numbers of every wire type, anywhere', () => {
    const unknown = concat(
      pb.varint(90, 1),
      pb.string(91, 'x'),
      pb.fixed32(92, 1),
      pb.fixed64(93, 1n),
      pb.message(94, pb.varint(1, 1)),
    );
    const got = decode('v1', 'ConfigMap', meta('c', unknown), unknown, pb.entry(2, 'k', pb.string(2, 'v')));
    assert.deepEqual(got, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'c', creationTimestamp: null },
      data: { k: 'v' },
    });
  });

  it('skips unknown fields of the envelope', () => {
    const body = envelope('v1', 'Namespace', new Uint8Array(), pb.varint(15, 3));
    assert.equal(decodeKubernetesProtobuf(body).kind, 'Namespace');
  });

  it('refuses a known field with the wrong wire type, naming its path', () => {
    assert.throws(() => decode('v1', 'ConfigMap', pb.message(1, pb.varint(1, 5))), {
      ...pde,
      message: /^metadata\.name: expected a length-delimited field, got wire type 0/,
    });
    assert.throws(() => decode('apps/v1', 'Deployment', pb.message(2, pb.string(1, 'x'))), {
      ...pde,
      message: /^spec\.replicas: expected a varint/,
    });
  });

  it('refuses a wrong magic, an empty body and JSON', () => {
    for (const body of [
      new Uint8Array(),
      Uint8Array.of(0x6b, 0x38, 0x73),
      Uint8Array.of(0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00),
    ]) {
      assert.throws(() => decodeKubernetesProtobuf(body), {
        ...pde,
        message: /does not start with "k8s\\0"/,
      });
    }
    assert.throws(() => decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}')), pde);
  });

  it('refuses an unknown kind, naming it', () => {
    assert.throws(() => decode('example.com/v1', 'Widget'), {
      ...pde,
      message: 'no protobuf decoding for kind "Widget" in "example.com/v1"',
    });
  });

  it('refuses a missing kind and a content encoding', () => {
    assert.throws(
      () =>
        decodeKubernetesProtobuf(concat(Uint8Array.of(0x6b, 0x38, 0x73, 0), pb.bytes(2, new Uint8Array()))),
      {
        ...pde,
        message: /names no apiVersion and kind/,
      },
    );
    assert.throws(
      () => decodeKubernetesProtobuf(envelope('v1', 'Namespace', new Uint8Array(), pb.string(3, 'gzip'))),
      {
        ...pde,
        message: /content encoding "gzip"/,
      },
    );
  });

  it('refuses truncated and corrupt message bodies', () => {
    const raw = concat(meta('c'), pb.entry(2, 'key', pb.string(2, 'value')));
    for (let cut = 1; cut < raw.length; cut++) {
      // Cutting the raw bytes inside a field is always an error; at a boundary it is a shorter object.
      const body = envelope('v1', 'ConfigMap', raw.subarray(0, cut));
      try {
        decodeKubernetesProtobuf(body);
      } catch (err) {
        assert.equal((err as Error).name, 'ProtobufDecodeError');
      }
    }
    assert.throws(() => decode('v1', 'ConfigMap', pb.message(1, Uint8Array.of(0x0a, 0x05, 0x61))), pde);
  });
});

describe('schema tables', () => {
  it('refer only to messages that exist', () => {
    const messages = allMessages();
    const isMessage = (t: TypeName): boolean => t.includes('.');
    for (const [name, spec] of messages) {
      for (const [num, field] of Object.entries(spec)) {
        if (isMessage(field.type))
          assert.ok(messages.has(field.type as never), `${name} field ${num}: ${field.type}`);
        assert.ok(Number.isInteger(Number(num)) && Number(num) > 0, `${name} field ${num}`);
        if (field.json === '')
          assert.ok(isMessage(field.type) && field.shape === 'single', `${name} inline ${num}`);
      }
    }
    for (const key of knownKinds()) {
      const [apiVersion = '', kind = ''] = key.split(' ');
      const message = kindMessage(apiVersion, kind);
      assert.ok(message !== undefined && messages.has(message), key);
    }
  });

  it('decode every known kind from an empty body without error', () => {
    for (const key of knownKinds()) {
      const [apiVersion = '', kind = ''] = key.split(' ');
      const got = decode(apiVersion, kind);
      assert.equal(got.kind, kind);
      // DeleteOptions is the one kind without metadata.
      if (kind !== 'DeleteOptions') assert.deepEqual(got.metadata, { creationTimestamp: null }, key);
    }
  });
});
