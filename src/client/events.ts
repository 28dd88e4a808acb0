// The event recorder (client-go's tools/record: event.go + events_cache.go): core/v1 Events about an
// object, written in the background, never throwing into the caller. Repeats of the same reason and
// message on the same object bump `count` and `lastTimestamp` of the first Event with a patch
// instead of writing a new one (the EventCorrelator's eventLogger; the similar-message aggregator
// and the spam filter are left out).
import { type KubeObject, nowTimestamp } from '../api/meta.ts';
import type { Logger } from '../log.ts';
import { type Clock, realClock } from './clock.ts';
import { isNotFound } from './errors.ts';
import type { RestClient } from './rest.ts';
import type { ResourceClient } from './resource.ts';
import { resources } from './resources.ts';

export type EventType = 'Normal' | 'Warning';

/** The involvedObject of an Event (core/v1 ObjectReference). */
export interface ObjectReference {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  readonly client: RestClient;
  /** source.component and reportingComponent, e.g. `deployment-controller`. */
  readonly component: string;
  /** source.host (the kubelet sets its node name). */
  readonly host?: string;
  readonly reportingInstance?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** How many distinct events are remembered for aggregation (upstream's maxLruCacheEntries). */
  readonly cacheSize?: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

export class EventRecorder {
  private readonly events: ResourceClient<KubeObject>;
  private readonly options: EventRecorderOptions;
  private readonly clock: Clock;
  /** Insertion-ordered, so the oldest entry is dropped first (an LRU when re-inserted on use). */
  private readonly seen = new Map<string, Seen>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.events = options.client.resource<KubeObject>(resources.events);
    this.clock = options.clock ?? realClock;
  }

  /** Records an event about `obj` (an API object or a reference to one); errors are only logged. */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    let ref: ObjectReference;
    try {
      ref = referenceOf(obj);
    } catch (e: unknown) {
      this.options.log?.warn('event not recorded', { reason, error: String(e) });
      return;
    }
    const write = (): Promise<void> =>
      this.write(ref, type, reason, message).catch((e: unknown) => {
        this.options.log?.warn('event not recorded', {
          object: `${ref.namespace ?? ''}/${ref.name ?? ''}`,
          reason,
          error: e instanceof Error ? e.message : String(e),
        });
      });
    // One write at a time keeps counts in order for repeats.
    this.chain = this.chain.then(write);
  }

  /** Resolves when every event recorded so far has been written (or has failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const { component, host } = this.options;
    const key = JSON.stringify([
      component,
      host ?? '',
      ref.kind,
      ref.namespace,
      ref.name,
      ref.uid,
      ref.apiVersion,
      type,
      reason,
      message,
    ]);
    const now = nowTimestamp(new Date(this.clock.now()));
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      this.seen.delete(key);
      this.seen.set(key, previous);
      previous.count++;
      try {
        await this.events.patch(
          previous.name,
          { count: previous.count, lastTimestamp: now, message },
          { type: 'strategic', namespace: previous.namespace },
        );
        return;
      } catch (e: unknown) {
        // The first Event expired (events have a TTL): start a new one with the same count.
        if (!isNotFound(e)) throw e;
      }
    }
    const namespace = ref.namespace !== undefined && ref.namespace !== '' ? ref.namespace : 'default';
    // record.makeEvent: `<name>.<unix nanoseconds in hex>`.
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${ref.name ?? 'unknown'}.${nanos.toString(16)}`;
    const count = previous?.count ?? 1;
    const firstTimestamp = previous?.firstTimestamp ?? now;
    await this.events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      source: host === undefined ? { component } : { component, host },
      firstTimestamp,
      lastTimestamp: now,
      count,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: this.options.reportingInstance ?? host ?? '',
    });
    this.seen.set(key, { name, namespace, count, firstTimestamp });
    const cap = this.options.cacheSize ?? 4096;
    if (this.seen.size > cap) this.seen.delete(this.seen.keys().next().value!);
  }
}

/** ref.GetReference: kind, apiVersion, namespace, name, uid and resourceVersion of the object. */
export function referenceOf(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj) || typeof obj.metadata !== 'object' || obj.metadata === null) {
    return { ...(obj as ObjectReference) };
  }
  const o = obj as KubeObject;
  const ref: ObjectReference = {};
  if (o.kind !== undefined) ref.kind = o.kind;
  if (o.metadata.namespace !== undefined) ref.namespace = o.metadata.namespace;
  if (o.metadata.name !== undefined) ref.name = o.metadata.name;
  if (o.metadata.uid !== undefined) ref.uid = o.metadata.uid;
  if (o.apiVersion !== undefined) ref.apiVersion = o.apiVersion;
  if (o.metadata.resourceVersion !== undefined) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}
