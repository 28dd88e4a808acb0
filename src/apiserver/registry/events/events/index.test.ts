import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../api/meta.ts';
import { eventConversion, events } from './index.ts';

const metadata = { name: 'web.17a', namespace: 'default', uid: 'u-1', resourceVersion: '7' };
const pod = { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: 'p-1' };
const series = { count: 3, lastObservedTime: '2024-01-01T00:02:00.000000Z' };

// The same event in both versions, every field set.
const v1Event: KubeObject = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata,
  eventTime: '2024-01-01T00:00:00.000000Z',
  series,
  reportingController: 'kubelet',
  reportingInstance: 'node-1',
  action: 'Pulling',
  reason: 'Pulling',
  regarding: { ...pod, fieldPath: 'spec.containers{web}' },
  related: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
  note: 'Pulling image "nginx"',
  type: 'Normal',
  deprecatedSource: { component: 'kubelet', host: 'node-1' },
  deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
  deprecatedLastTimestamp: '2024-01-01T00:02:00Z',
  deprecatedCount: 3,
};

const coreEvent: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata,
  eventTime: '2024-01-01T00:00:00.000000Z',
  series,
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
  action: 'Pulling',
  reason: 'Pulling',
  involvedObject: { ...pod, fieldPath: 'spec.containers{web}' },
  related: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
  message: 'Pulling image "nginx"',
  type: 'Normal',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-01-01T00:00:00Z',
  lastTimestamp: '2024-01-01T00:02:00Z',
  count: 3,
};

describe('events.k8s.io/v1 events: definition', () => {
  it('serves the core events storage with a conversion', () => {
    assert.equal(events.group, 'events.k8s.io');
    assert.deepEqual(events.storage, { group: '', resource: 'events' });
    assert.deepEqual(events.shortNames, ['ev']);
    assert.equal(events.conversion, eventConversion);
    // The stored version's strategy, table and fields apply.
    assert.equal(events.strategy, undefined);
    assert.equal(events.table, undefined);
  });
});

describe('events.k8s.io/v1 events: conversion', () => {
  it('converts every field to core/v1', () => {
    assert.deepEqual(eventConversion.toStorage(v1Event), coreEvent);
  });

  it('converts every field from core/v1', () => {
    assert.deepEqual(eventConversion.fromStorage(coreEvent), v1Event);
  });

  const roundTrips: Array<[string, KubeObject, (o: KubeObject) => KubeObject]> = [
    [
      'events.k8s.io → core → events.k8s.io',
      v1Event,
      (o) => eventConversion.fromStorage(eventConversion.toStorage(o)),
    ],
    [
      'core → events.k8s.io → core',
      coreEvent,
      (o) => eventConversion.toStorage(eventConversion.fromStorage(o)),
    ],
  ];
  for (const [name, obj, trip] of roundTrips) {
    it(`round-trips ${name}`, () => assert.deepEqual(trip(obj), obj));
  }

  it('writes the zero values Go encodes for a sparse new-style event', () => {
    const sparse: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      reportingController: 'scheduler',
      reportingInstance: 'scheduler-1',
      action: 'Binding',
      reason: 'Scheduled',
      regarding: pod,
      note: 'assigned',
      type: 'Normal',
    };
    const core = eventConversion.toStorage(sparse);
    assert.deepEqual(core, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: pod,
      message: 'assigned',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      reportingComponent: 'scheduler',
      eventTime: '2024-01-01T00:00:00.000000Z',
      action: 'Binding',
      reason: 'Scheduled',
      type: 'Normal',
      reportingInstance: 'scheduler-1',
    });
    assert.deepEqual(eventConversion.fromStorage(core), {
      ...sparse,
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
  });

  it('omits zero omitempty fields from an old-style core event', () => {
    const core: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: pod,
      reason: 'Started',
      message: 'Started container',
      source: { component: 'kubelet' },
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    };
    assert.deepEqual(eventConversion.fromStorage(core), {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      regarding: pod,
      note: 'Started container',
      deprecatedSource: { component: 'kubelet' },
      deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2024-01-01T00:00:00Z',
      deprecatedCount: 1,
      eventTime: null,
      reason: 'Started',
      type: 'Normal',
    });
  });

  it('drops fields the target version does not have, and never aliases the input', () => {
    const core = eventConversion.toStorage({ ...v1Event, message: 'not a v1 field' });
    assert.equal(core['message'], v1Event['note']);
    (core['involvedObject'] as Record<string, unknown>)['name'] = 'changed';
    (core.metadata as Record<string, unknown>)['name'] = 'changed';
    assert.equal((v1Event['regarding'] as Record<string, unknown>)['name'], 'web');
    assert.equal(v1Event.metadata.name, 'web.17a');
  });
});
