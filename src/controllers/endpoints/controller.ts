// The endpoints controller (upstream's pkg/controller/endpoint endpoints_controller.go): keyed by
// Service; pod events queue every service selecting the pod (before and after the change). A sync
// reads the caches, computes the subsets, and writes the Endpoints named after the service only
// when it differs. A service that is gone takes its Endpoints with it.
import type { KubeObject } from '../../api/meta.ts';
import {
  type EventRecorder,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isTombstone,
  type Lister,
  resources,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { hasSelector, type Pod, podServiceKeys, type Service } from './pods.ts';
import { computeSubsets, desiredEndpoints, type Endpoints } from './subsets.ts';
import { formatTriggerTime, TriggerTimeTracker } from './trigger-time.ts';
import { selectorFromSet } from '../../api/labels.ts';
import { namespaceGoneOrTerminating } from '../serviceaccount/index.ts';

export interface EndpointsControllerOptions {
  readonly workers?: number;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly services: Lister<Service>;
  readonly pods: Lister<Pod>;
  readonly endpoints: Lister<Endpoints>;
  readonly tracker: TriggerTimeTracker;
  readonly recorder: EventRecorder;
}

/** Handlers for pod events that queue the services selecting the pod (shared with endpointslice). */
export function podHandlers(services: Lister<Service>, enqueue: (key: string) => void) {
  const queueFor = (pod: Pod): void => {
    for (const key of podServiceKeys(pod, services.namespace(pod.metadata.namespace ?? '').list()))
      enqueue(key);
  };
  return {
    onAdd: queueFor,
    onUpdate: (oldPod: Pod, pod: Pod): void => {
      if (oldPod.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      queueFor(pod);
      if (JSON.stringify(oldPod.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {}))
        queueFor(oldPod);
    },
    onDelete: (pod: Pod | { obj: Pod; tombstone: true; key: string }): void =>
      queueFor(isTombstone(pod) ? pod.obj : pod),
  };
}

export function endpointsController(options: EndpointsControllerOptions = {}): Controller {
  const running = new WeakMap<ControllerContext, Running>();
  return {
    name: 'endpoints',
    register(ctx) {
      const log = ctx.log.with({ controller: 'endpoints' });
      const queue = new WorkQueue<string>({ name: 'endpoint', clock: ctx.clock, log });
      const services = ctx.informers.informerFor<Service>(resources.services);
      const pods = ctx.informers.informerFor<Pod>(resources.pods);
      const endpoints = ctx.informers.informerFor<Endpoints>(resources.endpoints);
      const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
      services.addEventHandler({
        onAdd: (s) => queue.add(key(s)),
        onUpdate: (_, s) => queue.add(key(s)),
        onDelete: (s) => queue.add(key(isTombstone(s) ? s.obj : s)),
      });
      pods.addEventHandler(podHandlers(services.lister, (k) => queue.add(k)));
      // An Endpoints changed or deleted by someone else is put right (onEndpointsDelete).
      endpoints.addEventHandler({ onDelete: (e) => queue.add(key(isTombstone(e) ? e.obj : e)) });
      running.set(ctx, {
        queue,
        services: services.lister,
        pods: pods.lister,
        endpoints: endpoints.lister,
        tracker: new TriggerTimeTracker(),
        recorder: ctx.recorder('endpoint-controller'),
      });
    },
    async run(ctx, signal) {
      const r = running.get(ctx);
      if (r === undefined) throw new Error('endpoints controller: run before register');
      await r.queue.run(options.workers ?? 2, (key) => syncService(ctx, r, key), signal);
    },
  };
}

async function syncService(ctx: ControllerContext, r: Running, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const client = ctx.client.resource<Endpoints>(resources.endpoints);
  const service = r.services.get(namespace, name);
  if (service === undefined) {
    // The service is gone: so is its Endpoints (whoever made it).
    r.tracker.forget(key);
    try {
      await client.delete(name, { namespace });
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
    }
    return;
  }
  // ExternalName services and services without a selector get no endpoints from this controller.
  if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;
  const pods = r.pods.namespace(namespace).list(selectorFromSet(service.spec.selector));
  const subsets = computeSubsets(service, pods);
  const trigger = r.tracker.compute(service, pods);
  const current = r.endpoints.get(namespace, name);
  const next = desiredEndpoints(
    service,
    current,
    subsets,
    trigger === undefined ? undefined : formatTriggerTime(trigger),
  );
  if (next === undefined) return;
  try {
    if (current === undefined) await client.create(next);
    else await client.update(next);
  } catch (e: unknown) {
    if (current === undefined && namespaceGoneOrTerminating(e)) return;
    // A stale cache: the next event (or the retry) sees the object as it is.
    if (!isConflict(e) && !isAlreadyExists(e)) {
      r.recorder.event(
        service,
        'Warning',
        current === undefined ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint',
        `Failed to ${current === undefined ? 'create' : 'update'} endpoint ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    throw e;
  }
}
