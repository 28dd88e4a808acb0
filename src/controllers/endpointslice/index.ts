// The endpointslice controller (upstream's pkg/controller/endpointslice endpointslice_controller.go):
// keyed by Service; pods queue the services selecting them, managed slices queue their service. A
// sync plans the slices from the caches and writes the difference. Slices are created with
// generateName, so no conflict catches a cache that has not yet seen the controller's own writes:
// the tracker (upstream's endpointSliceTracker) remembers them and a sync on a stale cache is
// retried instead.
import type { KubeObject } from '../../api/meta.ts';
import { selectorFromSet } from '../../api/labels.ts';
import {
  isConflict,
  isNotFound,
  isTombstone,
  type Lister,
  type ResourceClient,
  resources,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import {
  formatTriggerTime,
  hasSelector,
  type Pod,
  podHandlers,
  type Service,
  TriggerTimeTracker,
} from '../endpoints/index.ts';
import { namespaceGoneOrTerminating } from '../serviceaccount/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import {
  controllerName,
  desiredGroups,
  type EndpointSlice,
  managedByLabel,
  planSlices,
  serviceNameLabel,
  topologyZoneLabel,
} from './slices.ts';
import { SliceTracker } from './tracker.ts';

export * from './slices.ts';

export interface EndpointSliceControllerOptions {
  readonly workers?: number;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly services: Lister<Service>;
  readonly pods: Lister<Pod>;
  readonly slices: Lister<EndpointSlice>;
  readonly nodes: Lister<KubeObject>;
  readonly triggers: TriggerTimeTracker;
  readonly tracker: SliceTracker;
}

const managedSelector = `${managedByLabel}=${controllerName}`;

export function endpointSliceController(options: EndpointSliceControllerOptions = {}): Controller {
  const running = new WeakMap<ControllerContext, Running>();
  return {
    name: 'endpointslice',
    register(ctx) {
      const log = ctx.log.with({ controller: 'endpointslice' });
      const queue = new WorkQueue<string>({ name: 'endpoint_slice', clock: ctx.clock, log });
      const services = ctx.informers.informerFor<Service>(resources.services);
      const pods = ctx.informers.informerFor<Pod>(resources.pods);
      const slices = ctx.informers.informerFor<EndpointSlice>(resources.endpointslices);
      const nodes = ctx.informers.informerFor<KubeObject>(resources.nodes);
      const tracker = new SliceTracker();
      const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
      services.addEventHandler({
        onAdd: (s) => queue.add(key(s)),
        onUpdate: (_, s) => queue.add(key(s)),
        onDelete: (s) => queue.add(key(isTombstone(s) ? s.obj : s)),
      });
      pods.addEventHandler(podHandlers(services.lister, (k) => queue.add(k)));
      const sliceChanged = (s: EndpointSlice): void => {
        const svc = s.metadata.labels?.[serviceNameLabel];
        if (svc === undefined || s.metadata.labels?.[managedByLabel] !== controllerName) return;
        queue.add(`${s.metadata.namespace ?? ''}/${svc}`);
      };
      slices.addEventHandler({
        onAdd: sliceChanged,
        onUpdate: (_, s) => sliceChanged(s),
        onDelete: (s) => {
          const obj = isTombstone(s) ? s.obj : s;
          tracker.observeDeleted(obj);
          sliceChanged(obj);
        },
      });
      running.set(ctx, {
        queue,
        services: services.lister,
        pods: pods.lister,
        slices: slices.lister,
        nodes: nodes.lister,
        triggers: new TriggerTimeTracker(),
        tracker,
      });
    },
    async run(ctx, signal) {
      const r = running.get(ctx);
      if (r === undefined) throw new Error('endpointslice controller: run before register');
      await r.queue.run(options.workers ?? 2, (key) => syncService(ctx, r, key), signal);
    },
  };
}

async function syncService(ctx: ControllerContext, r: Running, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const service = r.services.get(namespace, name);
  if (service === undefined) {
    // The slices go with the service through their owner reference (the garbage collector).
    r.triggers.forget(key);
    r.tracker.forget(key);
    return;
  }
  const existing = r.slices
    .namespace(namespace)
    .list(`${serviceNameLabel}=${name},${managedSelector}`)
    .filter((s) => s.metadata.deletionTimestamp === undefined);
  if (r.tracker.stale(key, (n) => r.slices.get(namespace, n))) {
    throw new Error(`EndpointSlice informer cache is out of date for service ${key}`);
  }
  const client = ctx.client.resource<EndpointSlice>(resources.endpointslices);
  if (service.spec?.type === 'ExternalName' || !hasSelector(service)) {
    // No endpoints from this controller: remove the slices it made before.
    for (const s of existing) await deleteSlice(client, r, key, s);
    return;
  }
  const pods = r.pods.namespace(namespace).list(selectorFromSet(service.spec.selector));
  const zoneOf = (node: string): string | undefined =>
    node === '' ? undefined : r.nodes.get('', node)?.metadata.labels?.[topologyZoneLabel];
  const groups = desiredGroups(service, pods, zoneOf);
  const trigger = r.triggers.compute(service, pods);
  const plan = planSlices(
    service,
    existing,
    groups,
    trigger === undefined ? undefined : formatTriggerTime(trigger),
  );
  for (const s of plan.create) {
    try {
      r.tracker.expect(key, await client.create(s));
    } catch (e: unknown) {
      if (namespaceGoneOrTerminating(e)) return;
      throw e;
    }
  }
  for (const s of plan.update) r.tracker.expect(key, await client.update(s));
  for (const s of plan.delete) await deleteSlice(client, r, key, s);
}

async function deleteSlice(
  client: ResourceClient<EndpointSlice>,
  r: Running,
  key: string,
  s: EndpointSlice,
): Promise<void> {
  try {
    await client.delete(s.metadata.name ?? '', {
      namespace: s.metadata.namespace,
      preconditions: { uid: s.metadata.uid },
    });
  } catch (e: unknown) {
    if (!isNotFound(e) && !isConflict(e)) throw e;
  }
  r.tracker.expectDeleted(key, s);
}
