// Round trips for networking.k8s.io NetworkPolicy, discovery.k8s.io EndpointSlice, coordination.k8s.io
// Lease, storage.k8s.io StorageClass and VolumeAttachment, events.k8s.io Event, and DeleteOptions
// in any group version: kinds no kubectl command sends as protobuf (DeleteOptions aside).
// Bodies are written field by field as gogo-protobuf writes them (every non-pointer scalar, zero or
// not; pointers only when set); the expected objects are what encoding/json writes for those values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './index.ts';
import { concat, envelope, objectMeta, pb } from './testing/encode.ts';

const { string: str, varint: int, message: msg, entry, intOrString, time } = pb;

const decode = (apiVersion: string, kind: string, ...fields: Uint8Array[]): Record<string, unknown> =>
  decodeKubernetesProtobuf(envelope(apiVersion, kind, concat(...fields))).object;

const T = 1_700_000_000;
const ISO = '2023-11-14T22:13:20Z';

describe('networking, discovery, coordination, storage, events', () => {
  it('NetworkPolicy: empty podSelector is written, peers, int and named ports, endPort', () => {
    const peerPods = msg(2, msg(1, entry(1, 'role', str(2, 'fe'))));
    const peerBlock = msg(2, msg(3, str(1, '10.0.0.0/8'), str(2, '10.1.0.0/16')));
    const got = decode(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      objectMeta('np'),
      msg(
        2,
        msg(1),
        msg(2, msg(1, str(1, 'TCP'), intOrString(2, 80)), peerPods, peerBlock),
        msg(3, msg(1, intOrString(2, 'dns'), int(3, 1053)), msg(2, msg(2))),
        str(4, 'Ingress'),
        str(4, 'Egress'),
      ),
    );
    assert.deepStrictEqual(got, {
      kind: 'NetworkPolicy',
      apiVersion: 'networking.k8s.io/v1',
      metadata: { name: 'np', creationTimestamp: null },
      spec: {
        podSelector: {},
        ingress: [
          {
            ports: [{ protocol: 'TCP', port: 80 }],
            from: [
              { podSelector: { matchLabels: { role: 'fe' } } },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            ],
          },
        ],
        egress: [{ ports: [{ port: 'dns', endPort: 1053 }], to: [{ namespaceSelector: {} }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    });
  });

  it('Lease: MicroTime keeps microseconds; zero leaseTransitions is kept', () => {
    const got = decode(
      'coordination.k8s.io/v1',
      'Lease',
      objectMeta('kube-scheduler'),
      msg(2, str(1, 'node-a_1'), int(2, 15), time(3, T, 123_456_789), time(4, T + 5, 1_000), int(5, 0)),
    );
    assert.deepStrictEqual(got.spec, {
      holderIdentity: 'node-a_1',
      leaseDurationSeconds: 15,
      acquireTime: '2023-11-14T22:13:20.123456Z',
      renewTime: '2023-11-14T22:13:25.000001Z',
      leaseTransitions: 0,
    });
    assert.deepStrictEqual(decode('coordination.k8s.io/v1', 'Lease').spec, {});
  });

  it('EndpointSlice: endpoints and ports are null when empty; conditions, hints, pointer ports', () => {
    const endpoint = msg(
      2,
      str(1, '10.1.0.5'),
      msg(2, int(1, true), int(2, false)),
      str(6, 'n1'),
      str(7, 'zone-a'),
      msg(8, msg(1, str(1, 'zone-a'))),
    );
    const got = decode(
      'discovery.k8s.io/v1',
      'EndpointSlice',
      objectMeta('web-abc'),
      str(4, 'IPv4'),
      endpoint,
      msg(3, str(1, ''), str(2, 'TCP'), int(3, 80)),
    );
    assert.deepStrictEqual(got, {
      kind: 'EndpointSlice',
      apiVersion: 'discovery.k8s.io/v1',
      metadata: { name: 'web-abc', creationTimestamp: null },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.1.0.5'],
          conditions: { ready: true, serving: false },
          nodeName: 'n1',
          zone: 'zone-a',
          hints: { forZones: [{ name: 'zone-a' }] },
        },
      ],
      ports: [{ name: '', protocol: 'TCP', port: 80 }],
    });
    const empty = decode('discovery.k8s.io/v1', 'EndpointSlice', str(4, 'FQDN'), msg(2));
    assert.deepStrictEqual(empty.endpoints, [{ addresses: null, conditions: {} }]);
    assert.equal(decode('discovery.k8s.io/v1', 'EndpointSlice').ports, null);
  });

  it('StorageClass: fields beside metadata, a false allowVolumeExpansion kept, topologies', () => {
    const topology = msg(8, msg(1, str(1, 'topology.kubernetes.io/zone'), str(2, 'a'), str(2, 'b')));
    const got = decode(
      'storage.k8s.io/v1',
      'StorageClass',
      objectMeta('fast'),
      str(2, 'ebs.csi.aws.com'),
      entry(3, 'type', str(2, 'gp3')),
      str(4, 'Delete'),
      str(5, 'debug'),
      int(6, false),
      str(7, 'WaitForFirstConsumer'),
      topology,
    );
    assert.deepStrictEqual(got, {
      kind: 'StorageClass',
      apiVersion: 'storage.k8s.io/v1',
      metadata: { name: 'fast', creationTimestamp: null },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3' },
      reclaimPolicy: 'Delete',
      mountOptions: ['debug'],
      allowVolumeExpansion: false,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [
        { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'b'] }] },
      ],
    });
    assert.equal(decode('storage.k8s.io/v1', 'StorageClass').provisioner, '');
  });

  it('VolumeAttachment: spec without omitempty, attach error time', () => {
    const got = decode(
      'storage.k8s.io/v1',
      'VolumeAttachment',
      objectMeta('va'),
      msg(2, str(1, 'csi.example'), msg(2, str(1, 'pv-1')), str(3, 'n1')),
      msg(3, int(1, false), msg(3, time(1, T), str(2, 'timeout'))),
    );
    assert.deepStrictEqual(got.spec, {
      attacher: 'csi.example',
      source: { persistentVolumeName: 'pv-1' },
      nodeName: 'n1',
    });
    assert.deepStrictEqual(got.status, { attached: false, attachError: { time: ISO, message: 'timeout' } });
  });

  it('events.k8s.io/v1 Event: eventTime is a MicroTime without omitempty', () => {
    const got = decode(
      'events.k8s.io/v1',
      'Event',
      objectMeta('e'),
      time(2, T, 500_000),
      str(4, 'kubelet'),
      str(7, 'Pulled'),
      msg(8, str(1, 'Pod'), str(3, 'p')),
      str(10, 'pulled'),
      str(11, 'Normal'),
      msg(12),
      msg(13),
      int(15, 0),
    );
    assert.deepStrictEqual(got, {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: { name: 'e', creationTimestamp: null },
      eventTime: '2023-11-14T22:13:20.000500Z',
      reportingController: 'kubelet',
      reason: 'Pulled',
      regarding: { kind: 'Pod', name: 'p' },
      note: 'pulled',
      type: 'Normal',
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
    assert.equal(decode('events.k8s.io/v1', 'Event').eventTime, null);
  });
});

describe('DeleteOptions', () => {
  it('decodes in every known group version, with preconditions and propagation policy', () => {
    const body = [int(1, 0), msg(2, str(1, 'u-1')), str(4, 'Foreground'), str(5, 'All')];
    for (const apiVersion of ['v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1']) {
      assert.deepStrictEqual(decode(apiVersion, 'DeleteOptions', ...body), {
        kind: 'DeleteOptions',
        apiVersion,
        gracePeriodSeconds: 0,
        preconditions: { uid: 'u-1' },
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      });
    }
  });

  it('is refused for a group version this decoder does not know', () => {
    assert.throws(() => decode('example.com/v1', 'DeleteOptions'), {
      name: 'ProtobufDecodeError',
      message: 'no protobuf decoding for kind "DeleteOptions" in "example.com/v1"',
    });
  });
});
