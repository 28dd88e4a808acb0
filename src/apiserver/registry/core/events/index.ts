import { type FieldError, invalid, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Subdomain, isQualifiedName } from '../../../../api/validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import { rec, since, str } from '../shared.ts';

interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

interface CoreEvent {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  action?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

const event = (obj: KubeObject): CoreEvent => obj as unknown as CoreEvent;
const involved = (obj: KubeObject): ObjectReference => rec(event(obj).involvedObject) as ObjectReference;

// validation.go's limits for events written with eventTime set (the events.k8s.io style).
const reportingInstanceLengthLimit = 128;
const actionLengthLimit = 128;
const reasonLengthLimit = 128;
const noteLengthLimit = 1024;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * legacyValidateEvent, as core/v1 applies it on create and update (the stricter events.k8s.io
 * checks do not apply to this version): an event about an object lives in that object's
 * namespace; one with eventTime also names its reporter, action and reason.
 */
function validateEvent(obj: KubeObject): FieldError[] {
  const e = event(obj);
  const errors: FieldError[] = [];
  const namespace = obj.metadata.namespace ?? '';
  const involvedNamespace = str(involved(obj).namespace);
  const mismatch = (): FieldError =>
    invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!e.eventTime) {
    if (involvedNamespace === '') {
      // Old clients put events about cluster-scoped objects in "default".
      if (namespace !== '' && namespace !== 'default') errors.push(mismatch());
    } else if (namespace !== involvedNamespace) errors.push(mismatch());
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system')
      errors.push(mismatch());
    // The core/v1 name of the field upstream calls reportingController.
    const controller = str(e.reportingComponent);
    if (controller === '') errors.push(required('reportingComponent', ''));
    for (const msg of isQualifiedName(controller))
      errors.push(invalid('reportingComponent', controller, msg));
    const instance = str(e.reportingInstance);
    if (instance === '') errors.push(required('reportingInstance', ''));
    if (byteLength(instance) > reportingInstanceLengthLimit)
      errors.push(
        invalid('reportingInstance', '', `can have at most ${reportingInstanceLengthLimit} characters`),
      );
    const action = str(e.action);
    if (action === '') errors.push(required('action', ''));
    if (byteLength(action) > actionLengthLimit)
      errors.push(invalid('action', '', `can have at most ${actionLengthLimit} characters`));
    const reason = str(e.reason);
    if (reason === '') errors.push(required('reason', ''));
    if (byteLength(reason) > reasonLengthLimit)
      errors.push(invalid('reason', '', `can have at most ${reasonLengthLimit} characters`));
    if (byteLength(str(e.message)) > noteLengthLimit)
      errors.push(invalid('message', '', `can have at most ${noteLengthLimit} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errors.push(invalid('namespace', namespace, msg));
  return errors;
}

/** formatEventSource: component (or reporting controller), then host (or reporting instance). */
function eventSource(e: CoreEvent): string {
  const source = rec(e.source);
  const component = str(source['component']) || str(e.reportingComponent);
  const instance = str(source['host']) || str(e.reportingInstance);
  return instance === '' ? component : `${component}, ${instance}`;
}

/** The cells of printEvent with Wide set, as the API server prints tables. */
export function eventRow(obj: KubeObject, now: Date): (string | number)[] {
  const e = event(obj);
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = typeof e.count === 'number' ? e.count : 0;
  const series = e.series;
  if (series !== undefined && series !== null) {
    last = since(series.lastObservedTime, now);
    count = typeof series.count === 'number' ? series.count : 0;
  } else if (count === 0) {
    // Singleton events written through the new API carry no count.
    count = 1;
  }
  const ref = involved(obj);
  const kind = str(ref.kind).toLowerCase();
  const target = str(ref.name) !== '' ? `${kind}/${str(ref.name)}` : kind;
  return [
    last,
    str(e.type),
    str(e.reason),
    target,
    str(ref.fieldPath),
    eventSource(e),
    str(e.message).trim(),
    first,
    count,
    obj.metadata.name ?? '',
  ];
}

/** core/v1 Event (upstream pkg/registry/core/event). */
export const events: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: {
    validate: validateEvent,
  },
  table: {
    columns: [
      {
        name: 'Last Seen',
        type: 'string',
        description: 'The time at which the most recent occurrence of this event was recorded.',
        priority: 0,
      },
      {
        name: 'Type',
        type: 'string',
        description: 'Type of this event (Normal, Warning), new types could be added in the future',
        priority: 0,
      },
      {
        name: 'Reason',
        type: 'string',
        description:
          "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
        priority: 0,
      },
      { name: 'Object', type: 'string', description: 'The object that this event is about.', priority: 0 },
      {
        name: 'Subobject',
        type: 'string',
        description:
          'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
        priority: 1,
      },
      {
        name: 'Source',
        type: 'string',
        description: 'The component reporting this event. Should be a short machine understandable string.',
        priority: 1,
      },
      {
        name: 'Message',
        type: 'string',
        description: 'A human-readable description of the status of this operation.',
        priority: 0,
      },
      {
        name: 'First Seen',
        type: 'string',
        description:
          'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
        priority: 1,
      },
      {
        name: 'Count',
        type: 'string',
        description: 'The number of times this event has occurred.',
        priority: 1,
      },
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name of the event',
        priority: 1,
      },
    ],
    row: eventRow,
  },
  fields: (obj) => {
    const e = event(obj);
    const ref = involved(obj);
    const component = str(rec(e.source)['component']);
    return {
      'involvedObject.kind': str(ref.kind),
      'involvedObject.namespace': str(ref.namespace),
      'involvedObject.name': str(ref.name),
      'involvedObject.uid': str(ref.uid),
      'involvedObject.apiVersion': str(ref.apiVersion),
      'involvedObject.resourceVersion': str(ref.resourceVersion),
      'involvedObject.fieldPath': str(ref.fieldPath),
      reason: str(e.reason),
      reportingComponent: str(e.reportingComponent),
      source: component !== '' ? component : str(e.reportingComponent),
      type: str(e.type),
    };
  },
};
