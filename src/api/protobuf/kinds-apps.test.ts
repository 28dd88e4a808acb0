// Round trips for apps/v1 StatefulSet, DaemonSet and ReplicaSet and for autoscaling/v1 Scale and
// autoscaling/v2 in full: kinds no kubectl command sends as protobuf.
// Bodies are written field by field as gogo-protobuf writes them (every non-pointer scalar, zero or
// not; pointers only when set); the expected objects are what encoding/json writes for those values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './index.ts';
import { concat, envelope, objectMeta, pb } from './testing/encode.ts';
import { emptyTemplate, selector, template, templateJson } from './testing/pod.ts';

const { string: str, varint: int, message: msg, entry, quantity, intOrString, time } = pb;

const decode = (apiVersion: string, kind: string, ...fields: Uint8Array[]): Record<string, unknown> =>
  decodeKubernetesProtobuf(envelope(apiVersion, kind, concat(...fields))).object;

describe('apps/v1 StatefulSet, DaemonSet, ReplicaSet', () => {
  it('StatefulSet: claim templates, update strategy, retention policy, ordinals, zero status', () => {
    const claim = msg(
      4,
      objectMeta('data'),
      msg(
        2,
        str(1, 'ReadWriteOnce'),
        msg(2, entry(2, 'storage', quantity(2, '1Gi'))),
        str(3, ''),
        str(5, 'fast'),
      ),
      msg(3, str(1, '')),
    );
    const got = decode(
      'apps/v1',
      'StatefulSet',
      objectMeta('db'),
      msg(
        2,
        int(1, 0),
        selector(2),
        template(3),
        claim,
        str(5, 'db'),
        str(6, 'Parallel'),
        msg(7, str(1, 'RollingUpdate'), msg(2, int(1, 0), intOrString(2, '50%'))),
        int(8, 10),
        int(9, 0),
        msg(10, str(1, 'Delete'), str(2, '')),
        msg(11, int(1, 0)),
      ),
      msg(
        3,
        int(1, 0),
        int(2, 0),
        int(3, 0),
        int(4, 0),
        int(5, 0),
        str(6, ''),
        str(7, ''),
        msg(10, str(1, 'Ready'), str(2, 'True'), time(3, 1_700_000_000), str(4, ''), str(5, '')),
        int(11, 0),
      ),
    );
    assert.deepStrictEqual(got, {
      kind: 'StatefulSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'db', creationTimestamp: null },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'db' } },
        template: templateJson,
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', creationTimestamp: null },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: '1Gi' } },
              storageClassName: 'fast',
            },
            status: {},
          },
        ],
        serviceName: 'db',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' },
        ordinals: { start: 0 },
      },
      status: {
        replicas: 0,
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2023-11-14T22:13:20Z' }],
        availableReplicas: 0,
      },
    });
  });

  it('StatefulSet without spec or status: Go zero values', () => {
    const got = decode('apps/v1', 'StatefulSet');
    assert.deepStrictEqual(got.spec, {
      selector: null,
      template: emptyTemplate,
      serviceName: '',
      updateStrategy: {},
    });
    assert.deepStrictEqual(got.status, { replicas: 0, availableReplicas: 0 });
  });

  it('DaemonSet: rolling update with int-or-string limits, the four status counts without omitempty', () => {
    const got = decode(
      'apps/v1',
      'DaemonSet',
      objectMeta('agent'),
      msg(
        2,
        selector(1),
        template(2),
        msg(3, str(1, 'RollingUpdate'), msg(2, intOrString(1, 1), intOrString(2, 0))),
        int(4, 5),
        int(6, 0),
      ),
      msg(3, int(1, 0), int(2, 0), int(3, 0), int(4, 0), int(5, 0), int(6, 0), int(7, 0), int(8, 0)),
    );
    assert.deepStrictEqual(got.spec, {
      selector: { matchLabels: { app: 'db' } },
      template: templateJson,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      minReadySeconds: 5,
      revisionHistoryLimit: 0,
    });
    assert.deepStrictEqual(got.status, {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
    assert.deepStrictEqual(decode('apps/v1', 'DaemonSet').spec, {
      selector: null,
      template: emptyTemplate,
      updateStrategy: {},
    });
  });

  it('ReplicaSet: template is a value struct, status.replicas has no omitempty', () => {
    const got = decode(
      'apps/v1',
      'ReplicaSet',
      objectMeta('web-5d4f'),
      msg(2, int(1, 3), selector(2), int(4, 0)),
      msg(3, int(1, 0), int(2, 0), int(3, 0), int(4, 0), int(5, 0)),
    );
    assert.deepStrictEqual(got.spec, {
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      template: emptyTemplate,
    });
    assert.deepStrictEqual(got.status, { replicas: 0 });
  });
});

describe('autoscaling', () => {
  it('autoscaling/v2: every metric source, behavior, status metrics and conditions', () => {
    const target = (type: string, ...rest: Uint8Array[]): Uint8Array => msg(2, str(1, type), ...rest);
    const metrics = [
      msg(4, str(1, 'Resource'), msg(4, str(1, 'memory'), target('AverageValue', quantity(3, '500Mi')))),
      msg(
        4,
        str(1, 'Pods'),
        msg(
          3,
          msg(1, str(1, 'packets'), msg(2, entry(1, 'a', str(2, 'b')))),
          target('AverageValue', quantity(3, '1k')),
        ),
      ),
      msg(
        4,
        str(1, 'Object'),
        msg(
          2,
          msg(1, str(1, 'Ingress'), str(2, 'main'), str(3, 'networking.k8s.io/v1')),
          target('Value', quantity(2, '10k')),
          msg(3, str(1, 'requests')),
        ),
      ),
      msg(
        4,
        str(1, 'ContainerResource'),
        msg(7, str(1, 'cpu'), target('Utilization', int(4, 60)), str(3, 'app')),
      ),
      msg(4, str(1, 'External'), msg(5, msg(1, str(1, 'queue')), target('Value', quantity(2, '30')))),
    ];
    const behavior = msg(
      5,
      msg(1, int(3, 0), str(1, 'Max'), msg(2, str(1, 'Percent'), int(2, 100), int(3, 15))),
      msg(2, msg(2, str(1, 'Pods'), int(2, 0), int(3, 60))),
    );
    const status = msg(
      3,
      int(1, 3),
      time(2, 1_700_000_000),
      int(3, 0),
      int(4, 2),
      msg(5, str(1, 'Resource'), msg(4, str(1, 'cpu'), msg(2, int(3, 45), quantity(2, '120m')))),
      msg(5, str(1, 'ContainerResource'), msg(7, str(1, 'cpu'), msg(2), str(3, 'app'))),
      msg(6, str(1, 'AbleToScale'), str(2, 'True'), time(3, 0), str(4, 'ReadyForNewScale'), str(5, '')),
    );
    const got = decode(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      objectMeta('web'),
      msg(
        2,
        msg(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1')),
        int(2, 1),
        int(3, 10),
        ...metrics,
        behavior,
      ),
      status,
    );
    assert.deepStrictEqual(got.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
        },
        {
          type: 'Pods',
          pods: {
            metric: { name: 'packets', selector: { matchLabels: { a: 'b' } } },
            target: { type: 'AverageValue', averageValue: '1k' },
          },
        },
        {
          type: 'Object',
          object: {
            describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' },
            target: { type: 'Value', value: '10k' },
            metric: { name: 'requests' },
          },
        },
        {
          type: 'ContainerResource',
          containerResource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 60 },
            container: 'app',
          },
        },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
        scaleDown: { policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }] },
      },
    });
    assert.deepStrictEqual(got.status, {
      observedGeneration: 3,
      lastScaleTime: '2023-11-14T22:13:20Z',
      desiredReplicas: 2,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageValue: '120m', averageUtilization: 45 } },
        },
        { type: 'ContainerResource', containerResource: { name: 'cpu', current: {}, container: 'app' } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: null, reason: 'ReadyForNewScale' },
      ],
    });
  });

  it('autoscaling/v1 Scale: spec.replicas omitempty, status.replicas not', () => {
    const got = decode(
      'autoscaling/v1',
      'Scale',
      objectMeta('web'),
      msg(2, int(1, 0)),
      msg(3, int(1, 0), str(2, '')),
    );
    assert.deepStrictEqual(got, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {},
      status: { replicas: 0 },
    });
  });
});
