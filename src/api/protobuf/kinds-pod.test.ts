// Round trips for the newer Pod, Service and Job fields: recursiveReadOnly, resource
// claims, pod-level resources, AppArmor, trafficDistribution, per-index backoff, success policy.
// Bodies are written field by field as gogo-protobuf writes them (every non-pointer scalar, zero or
// not; pointers only when set); the expected objects are what encoding/json writes for those values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './index.ts';
import { concat, envelope, objectMeta, pb } from './testing/encode.ts';
import { container, podSpecScalars, template, templateJson } from './testing/pod.ts';

const { string: str, varint: int, message: msg, entry, quantity } = pb;

const decode = (apiVersion: string, kind: string, ...fields: Uint8Array[]): Record<string, unknown> =>
  decodeKubernetesProtobuf(envelope(apiVersion, kind, concat(...fields))).object;

describe('newer Pod, Service and Job fields', () => {
  it('Pod: recursiveReadOnly, resourceClaims, pod resources, AppArmor, claim and mount statuses', () => {
    const mount = msg(
      9,
      str(1, 'v'),
      int(2, true),
      str(3, '/v'),
      str(4, ''),
      str(6, ''),
      str(7, 'IfPossible'),
    );
    const claims = msg(8, entry(2, 'cpu', quantity(2, '1')), msg(3, str(1, 'gpu'), str(2, 'r')));
    const spec = msg(
      2,
      container(2, 'app', 'busybox', mount, msg(15, msg(12, str(1, 'RuntimeDefault')))),
      podSpecScalars,
      msg(14, msg(11, str(1, 'Localhost'), str(2, 'p')), str(12, 'Strict'), str(13, 'MountOption')),
      msg(23, str(1, ''), str(2, 'a')),
      msg(39, str(1, 'gpu'), str(4, 'gpu-template')),
      msg(40, entry(1, 'cpu', quantity(2, '2'))),
    );
    const containerStatus = msg(
      8,
      str(1, 'app'),
      msg(2),
      msg(3),
      int(4, false),
      int(5, 0),
      str(6, ''),
      str(7, ''),
      str(8, ''),
      msg(12, str(1, 'v'), str(2, '/v'), int(3, true), str(4, 'Enabled')),
      msg(13, msg(1, int(1, 1000), int(2, 0), int(3, 4), int(3, 5))),
      msg(14, str(1, 'claim:gpu'), msg(2, str(1, 'dev-1'), str(2, 'Healthy'))),
    );
    const status = msg(
      3,
      str(1, 'Running'),
      msg(16, str(1, '')),
      containerStatus,
      msg(15, str(1, 'gpu'), str(2, 'p-gpu')),
    );
    const got = decode('v1', 'Pod', objectMeta('p'), spec, status);
    assert.deepStrictEqual(got.spec, {
      containers: [
        {
          name: 'app',
          image: 'busybox',
          resources: {},
          volumeMounts: [{ name: 'v', readOnly: true, mountPath: '/v', recursiveReadOnly: 'IfPossible' }],
          securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
        },
      ],
      securityContext: {
        appArmorProfile: { type: 'Localhost', localhostProfile: 'p' },
        supplementalGroupsPolicy: 'Strict',
        seLinuxChangePolicy: 'MountOption',
      },
      hostAliases: [{ ip: '', hostnames: ['a'] }],
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }],
      resources: { limits: { cpu: '2' } },
    });
    assert.deepStrictEqual(got.status, {
      phase: 'Running',
      hostIPs: [{ ip: '' }],
      containerStatuses: [
        {
          name: 'app',
          state: {},
          lastState: {},
          ready: false,
          restartCount: 0,
          image: '',
          imageID: '',
          volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true, recursiveReadOnly: 'Enabled' }],
          user: { linux: { uid: 1000, gid: 0, supplementalGroups: [4, 5] } },
          allocatedResourcesStatus: [
            { name: 'claim:gpu', resources: [{ resourceID: 'dev-1', health: 'Healthy' }] },
          ],
        },
      ],
      resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'p-gpu' }],
    });
    // A container's resource claims name a request since 1.32.
    const withClaims = decode('v1', 'Pod', msg(2, container(2, 'app', 'busybox', claims)));
    assert.deepStrictEqual((withClaims.spec as { containers: unknown[] }).containers[0], {
      name: 'app',
      image: 'busybox',
      resources: { requests: { cpu: '1' }, claims: [{ name: 'gpu', request: 'r' }] },
    });
  });

  it('Service: trafficDistribution', () => {
    const got = decode(
      'v1',
      'Service',
      objectMeta('s'),
      msg(2, str(3, ''), str(4, 'ClusterIP'), str(23, 'PreferClose')),
    );
    assert.deepStrictEqual(got.spec, { type: 'ClusterIP', trafficDistribution: 'PreferClose' });
    assert.deepStrictEqual(got.status, { loadBalancer: {} });
  });

  it('Job: per-index backoff, success policy, replacement policy, managedBy, terminating', () => {
    const got = decode(
      'batch/v1',
      'Job',
      objectMeta('j'),
      msg(
        2,
        int(2, 3),
        template(6),
        str(9, 'Indexed'),
        int(12, 0),
        int(13, 2),
        str(14, 'Failed'),
        str(15, 'example.com/queue'),
        msg(16, msg(1, str(1, '0-2')), msg(1, int(2, 0))),
      ),
      msg(3, int(4, 0), int(5, 0), int(6, 0), str(7, ''), str(10, ''), int(11, 0)),
    );
    assert.deepStrictEqual(got.spec, {
      completions: 3,
      template: templateJson,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 0,
      maxFailedIndexes: 2,
      podReplacementPolicy: 'Failed',
      managedBy: 'example.com/queue',
      successPolicy: { rules: [{ succeededIndexes: '0-2' }, { succeededCount: 0 }] },
    });
    assert.deepStrictEqual(got.status, { failedIndexes: '', terminating: 0 });
    // successPolicy.rules has no omitempty.
    const empty = decode('batch/v1', 'Job', msg(2, msg(16)));
    assert.deepStrictEqual((empty.spec as { successPolicy: unknown }).successPolicy, { rules: null });
  });
});
