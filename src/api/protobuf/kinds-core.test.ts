// Round trips for core/v1 Node, Endpoints, LimitRange, Binding and PersistentVolume: kinds no
// kubectl command sends as protobuf.
// Bodies are written field by field as gogo-protobuf writes them (every non-pointer scalar, zero or
// not; pointers only when set); the expected objects are what encoding/json writes for those values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './index.ts';
import { concat, envelope, objectMeta, pb } from './testing/encode.ts';

const { string: str, varint: int, message: msg, entry, quantity, time } = pb;

const decode = (apiVersion: string, kind: string, ...fields: Uint8Array[]): Record<string, unknown> =>
  decodeKubernetesProtobuf(envelope(apiVersion, kind, concat(...fields))).object;

const T = 1_700_000_000;
const ISO = '2023-11-14T22:13:20Z';

describe('core/v1 Node, Endpoints, LimitRange, Binding', () => {
  it('Node: taints, addresses, capacity, conditions, nodeInfo, daemonEndpoints, runtime handlers', () => {
    const nodeInfo = msg(
      7,
      ...['m', 's', 'b', 'k', 'os', 'cri', 'v1.32.5', '', 'linux', 'amd64'].map((v, i) => str(i + 1, v)),
    );
    const got = decode(
      'v1',
      'Node',
      objectMeta('n1'),
      msg(
        2,
        str(1, '10.0.0.0/24'),
        str(2, ''),
        str(3, 'kind://n1'),
        int(4, true),
        msg(5, str(1, 'dedicated'), str(2, ''), str(3, 'NoSchedule'), time(4, T)),
        msg(5, str(1, 'gpu'), str(2, 'yes'), str(3, 'NoExecute')),
        str(7, '10.0.0.0/24'),
      ),
      msg(
        3,
        entry(1, 'cpu', quantity(2, '4')),
        entry(2, 'pods', quantity(2, '110')),
        str(3, ''),
        msg(4, str(1, 'Ready'), str(2, 'True'), time(3, T), msg(4), str(5, 'KubeletReady'), str(6, '')),
        msg(5, str(1, 'InternalIP'), str(2, '10.0.0.2')),
        msg(6, msg(1, int(1, 10250))),
        nodeInfo,
        msg(8, str(1, 'nginx:1.27'), int(2, 0)),
        msg(12, str(1, 'runc'), msg(2, int(1, true), int(2, false))),
        msg(13, int(1, true)),
      ),
    );
    assert.deepStrictEqual(got, {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name: 'n1', creationTimestamp: null },
      spec: {
        podCIDR: '10.0.0.0/24',
        podCIDRs: ['10.0.0.0/24'],
        providerID: 'kind://n1',
        unschedulable: true,
        taints: [
          { key: 'dedicated', effect: 'NoSchedule', timeAdded: ISO },
          { key: 'gpu', value: 'yes', effect: 'NoExecute' },
        ],
      },
      status: {
        capacity: { cpu: '4' },
        allocatable: { pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: ISO,
            lastTransitionTime: null,
            reason: 'KubeletReady',
          },
        ],
        addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: 'm',
          systemUUID: 's',
          bootID: 'b',
          kernelVersion: 'k',
          osImage: 'os',
          containerRuntimeVersion: 'cri',
          kubeletVersion: 'v1.32.5',
          kubeProxyVersion: '',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
        images: [{ names: ['nginx:1.27'] }],
        runtimeHandlers: [
          { name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: false } },
        ],
        features: { supplementalGroupsPolicy: true },
      },
    });
  });

  it('an empty Node still has daemonEndpoints and nodeInfo (value structs without omitempty fields)', () => {
    const blank = Object.fromEntries(
      ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion']
        .concat(['kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'])
        .map((k) => [k, '']),
    );
    assert.deepStrictEqual(decode('v1', 'Node').status, {
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: blank,
    });
  });

  it('Endpoints: ready and not-ready addresses, ports with port 0 kept', () => {
    const target = msg(
      2,
      str(1, 'Pod'),
      str(2, 'default'),
      str(3, 'web-1'),
      str(4, 'u1'),
      str(5, ''),
      str(6, ''),
      str(7, ''),
    );
    const got = decode(
      'v1',
      'Endpoints',
      objectMeta('web'),
      msg(
        2,
        msg(1, str(1, '10.1.0.5'), target, str(3, ''), str(4, 'n1')),
        msg(2, str(1, '10.1.0.6'), str(3, 'web-2')),
        msg(3, str(1, 'http'), int(2, 8080), str(3, 'TCP'), str(4, 'kubernetes.io/h2c')),
        msg(3, str(1, ''), int(2, 0), str(3, 'UDP')),
      ),
    );
    assert.deepStrictEqual(got.subsets, [
      {
        addresses: [
          {
            ip: '10.1.0.5',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1' },
          },
        ],
        notReadyAddresses: [{ ip: '10.1.0.6', hostname: 'web-2' }],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
          { port: 0, protocol: 'UDP' },
        ],
      },
    ]);
    assert.deepStrictEqual(decode('v1', 'Endpoints'), {
      kind: 'Endpoints',
      apiVersion: 'v1',
      metadata: { creationTimestamp: null },
    });
  });

  it('LimitRange: the five quantity maps; an empty spec is `limits: null`', () => {
    const item = msg(
      1,
      str(1, 'Container'),
      entry(2, 'cpu', quantity(2, '2')),
      entry(3, 'cpu', quantity(2, '100m')),
      entry(4, 'memory', quantity(2, '512Mi')),
      entry(5, 'memory', quantity(2, '256Mi')),
      entry(6, 'cpu', quantity(2, '4')),
    );
    const got = decode('v1', 'LimitRange', objectMeta('lr'), msg(2, item));
    assert.deepStrictEqual(got.spec, {
      limits: [
        {
          type: 'Container',
          max: { cpu: '2' },
          min: { cpu: '100m' },
          default: { memory: '512Mi' },
          defaultRequest: { memory: '256Mi' },
          maxLimitRequestRatio: { cpu: '4' },
        },
      ],
    });
    assert.deepStrictEqual(decode('v1', 'LimitRange').spec, { limits: null });
  });

  it('Binding: target has no omitempty', () => {
    const got = decode('v1', 'Binding', objectMeta('p'), msg(2, str(1, 'Node'), str(3, 'n1')));
    assert.deepStrictEqual(got, {
      kind: 'Binding',
      apiVersion: 'v1',
      metadata: { name: 'p', creationTimestamp: null },
      target: { kind: 'Node', name: 'n1' },
    });
    assert.deepStrictEqual(decode('v1', 'Binding').target, {});
  });
});

describe('core/v1 PersistentVolume', () => {
  // The volume source is the inlined PersistentVolumeSource, field 2 of the spec.
  const pv = (source: Uint8Array, ...rest: Uint8Array[]): Record<string, unknown> =>
    decode(
      'v1',
      'PersistentVolume',
      objectMeta('pv'),
      msg(2, entry(1, 'storage', quantity(2, '10Gi')), msg(2, source), ...rest),
    );

  it('hostPath, nfs, local with node affinity, csi with secret references', () => {
    assert.deepStrictEqual(pv(msg(3, str(1, '/data'), str(2, 'DirectoryOrCreate'))).spec, {
      capacity: { storage: '10Gi' },
      hostPath: { path: '/data', type: 'DirectoryOrCreate' },
    });
    assert.deepStrictEqual(pv(msg(5, str(1, 'nfs.example'), str(2, '/exports'), int(3, false))).spec, {
      capacity: { storage: '10Gi' },
      nfs: { server: 'nfs.example', path: '/exports' },
    });
    const affinity = msg(
      9,
      msg(1, msg(1, msg(1, str(1, 'kubernetes.io/hostname'), str(2, 'In'), str(3, 'n1')))),
    );
    const local = pv(
      msg(20, str(1, '/mnt/disk1')),
      str(3, 'ReadWriteOnce'),
      str(5, 'Retain'),
      str(6, 'local'),
      affinity,
    );
    assert.deepStrictEqual(local.spec, {
      capacity: { storage: '10Gi' },
      local: { path: '/mnt/disk1' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'local',
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] },
          ],
        },
      },
    });
    const csi = msg(
      22,
      str(1, 'ebs.csi.aws.com'),
      str(2, 'vol-1'),
      int(3, false),
      str(4, 'ext4'),
      entry(5, 'zone', str(2, 'a')),
      msg(8, str(1, 'creds'), str(2, 'kube-system')),
      msg(10, str(1, 'expand'), str(2, '')),
    );
    const claimRef = msg(4, str(1, 'PersistentVolumeClaim'), str(2, 'default'), str(3, 'data'));
    assert.deepStrictEqual(pv(csi, claimRef, str(8, 'Block')).spec, {
      capacity: { storage: '10Gi' },
      csi: {
        driver: 'ebs.csi.aws.com',
        volumeHandle: 'vol-1',
        fsType: 'ext4',
        volumeAttributes: { zone: 'a' },
        nodePublishSecretRef: { name: 'creds', namespace: 'kube-system' },
        nodeExpandSecretRef: { name: 'expand' },
      },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' },
      volumeMode: 'Block',
    });
  });

  it('legacy sources keep their zero fields (rbd monitors, scaleIO secretRef) and status has a phase time', () => {
    const rbd = pv(msg(6, str(2, 'img'), str(3, ''), str(4, 'rbd'), str(5, ''), str(6, ''), int(8, false)));
    assert.deepStrictEqual((rbd.spec as Record<string, unknown>).rbd, {
      monitors: null,
      image: 'img',
      pool: 'rbd',
    });
    const scaleIO = pv(msg(19, str(1, 'gw'), str(2, 'sys')));
    assert.deepStrictEqual((scaleIO.spec as Record<string, unknown>).scaleIO, {
      gateway: 'gw',
      system: 'sys',
      secretRef: null,
    });
    const status = decode(
      'v1',
      'PersistentVolume',
      msg(3, str(1, 'Bound'), str(2, ''), str(3, ''), time(4, T)),
    );
    assert.deepStrictEqual(status.status, { phase: 'Bound', lastPhaseTransitionTime: ISO });
  });
});
