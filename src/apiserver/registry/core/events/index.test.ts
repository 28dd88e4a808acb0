import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { events } from './index.ts';

const now = new Date('2024-01-01T00:10:00Z');

function ev(fields: Record<string, unknown>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17a2b', namespace, creationTimestamp: '2024-01-01T00:00:00Z' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web to worker-1 ',
    type: 'Normal',
    ...fields,
  };
}

const errors = (obj: KubeObject): string[] =>
  events.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}`);

describe('events table', () => {
  const cases: Array<{ name: string; obj: KubeObject; want: unknown[] }> = [
    {
      name: 'a classic event',
      obj: ev({
        source: { component: 'default-scheduler' },
        firstTimestamp: '2024-01-01T00:00:00Z',
        lastTimestamp: '2024-01-01T00:05:00Z',
        count: 3,
      }),
      want: [
        '5m',
        'Normal',
        'Scheduled',
        'pod/web',
        '',
        'default-scheduler',
        'Successfully assigned default/web to worker-1',
        '10m',
        3,
        'web.17a2b',
      ],
    },
    {
      name: 'a new-style event: eventTime, reporting controller and instance, no count',
      obj: ev({
        eventTime: '2024-01-01T00:09:00.000000Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'worker-1',
        involvedObject: { kind: 'Node', name: 'worker-1', fieldPath: 'spec' },
      }),
      want: [
        '60s',
        'Normal',
        'Scheduled',
        'node/worker-1',
        'spec',
        'kubelet, worker-1',
        'Successfully assigned default/web to worker-1',
        '60s',
        1,
        'web.17a2b',
      ],
    },
    {
      name: 'a series',
      obj: ev({
        eventTime: '2024-01-01T00:00:00.000000Z',
        series: { count: 7, lastObservedTime: '2024-01-01T00:08:00.000000Z' },
        involvedObject: { kind: 'Pod' },
      }),
      want: [
        '2m',
        'Normal',
        'Scheduled',
        'pod',
        '',
        '',
        'Successfully assigned default/web to worker-1',
        '10m',
        7,
        'web.17a2b',
      ],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(events.table!.row(c.obj, now), c.want));

  it('has kubectl get events columns, the rest only with -o wide', () => {
    assert.deepEqual(
      events.table!.columns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
  });
});

describe('events validation (core/v1 legacy rules)', () => {
  const cases: Array<{ name: string; obj: KubeObject; want: string[] }> = [
    { name: 'matching namespaces', obj: ev({}), want: [] },
    {
      name: 'namespace mismatch',
      obj: ev({}, 'kube-system'),
      want: ['FieldValueInvalid involvedObject.namespace'],
    },
    {
      name: 'a cluster-scoped object in default',
      obj: ev({ involvedObject: { kind: 'Node', name: 'n' } }),
      want: [],
    },
    {
      name: 'an eventTime event needs its reporter and action',
      obj: ev({ eventTime: '2024-01-01T00:00:00.000000Z' }),
      // An empty name fails IsQualifiedName twice (empty, and not matching the pattern), as upstream.
      want: [
        'FieldValueRequired reportingComponent',
        'FieldValueInvalid reportingComponent',
        'FieldValueInvalid reportingComponent',
        'FieldValueRequired reportingInstance',
        'FieldValueRequired action',
      ],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(errors(c.obj), c.want));
});

describe('events field selectors', () => {
  it('covers the involved object, reason, source and type', () => {
    const fields = objectFields(
      events,
      ev({
        reportingComponent: 'kubelet',
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      }),
    );
    assert.deepEqual(fields, {
      'metadata.name': 'web.17a2b',
      'metadata.namespace': 'default',
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': '',
      'involvedObject.name': 'web',
      'involvedObject.uid': '',
      'involvedObject.apiVersion': '',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{app}',
      reason: 'Scheduled',
      reportingComponent: 'kubelet',
      source: 'kubelet',
      type: 'Normal',
    });
    assert.equal(objectFields(events, ev({ source: { component: 'scheduler' } }))['source'], 'scheduler');
  });
});
