import type { KubeObject } from '../../../../api/meta.ts';
import type { Conversion, ResourceDefinition } from '../../types.ts';

/** events.k8s.io/v1 field ⇄ core/v1 field, for the fields whose names differ (pkg/apis/events/v1/conversion.go). */
const renamed: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

/** Fields both versions name alike (autoConvert). */
const shared = ['eventTime', 'series', 'related', 'action', 'reason', 'type', 'reportingInstance'];

const isZero = (v: unknown): boolean => v === undefined || v === null || v === '' || v === 0;

/**
 * What Go's encoding/json writes for a zero field of each version: omitempty fields vanish, structs stay
 * `{}`, times stay `null`, plain strings stay `""`. Only these keys are written when zero.
 */
const coreZeroValues: Readonly<Record<string, unknown>> = {
  involvedObject: {},
  source: {},
  firstTimestamp: null,
  lastTimestamp: null,
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
};

const eventsZeroValues: Readonly<Record<string, unknown>> = {
  eventTime: null,
  regarding: {},
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
};

function convert(
  obj: KubeObject,
  apiVersion: string,
  pairs: ReadonlyArray<readonly [string, string]>,
  zeroValues: Readonly<Record<string, unknown>>,
): KubeObject {
  // Fields unknown to the target version are dropped, as a typed conversion drops them.
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: structuredClone(obj.metadata) };
  for (const [from, to] of pairs) {
    const value = obj[from];
    if (!isZero(value)) out[to] = structuredClone(value);
    else if (to in zeroValues) out[to] = structuredClone(zeroValues[to]);
  }
  return out;
}

/** Convert_v1_Event_To_core_Event and Convert_core_Event_To_v1_Event. */
export const eventConversion: Conversion = {
  toStorage: (obj) => convert(obj, 'v1', [...renamed, ...shared.map((f) => [f, f] as const)], coreZeroValues),
  fromStorage: (obj) =>
    convert(
      obj,
      'events.k8s.io/v1',
      [...renamed.map(([v1, core]) => [core, v1] as const), ...shared.map((f) => [f, f] as const)],
      eventsZeroValues,
    ),
};

/**
 * AddFieldLabelConversionsForEvent: the field selectors events.k8s.io/v1 accepts, as the core/v1 fields
 * they select on. ResourceDefinition has no hook for this yet; the registry is to translate with it.
 */
export const eventFieldLabelConversion: Readonly<Record<string, string>> = {
  reason: 'reason',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  source: 'source',
  type: 'type',
  'metadata.namespace': 'metadata.namespace',
  'metadata.name': 'metadata.name',
};

/**
 * events.k8s.io/v1 Event: the same stored objects as core/v1 events (upstream serves both from
 * pkg/registry/core/event), converted on the way in and out; core's strategy, table and fields apply.
 */
export const events: ResourceDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  storage: { group: '', resource: 'events' },
  conversion: eventConversion,
  fieldLabels: eventFieldLabelConversion,
};
