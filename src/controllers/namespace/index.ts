// The namespace controller (upstream's pkg/controller/namespace namespace_controller.go): a
// namespace that is being deleted is queued by name; each sync deletes its content and, once it is
// empty, finalizes it. Content still terminating requeues the namespace after half its estimate.
import type { KubeObject } from '../../api/meta.ts';
import { isTombstone, resources, WorkQueue } from '../../client/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { NamespacedResourcesDeleter } from './deleter.ts';

export { type DeleteResult, NamespacedResourcesDeleter } from './deleter.ts';
export { conditionTypes, type NamespaceCondition, updateConditions } from './conditions.ts';

export interface NamespaceControllerOptions {
  readonly workers?: number;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly deleter: NamespacedResourcesDeleter;
}

export function namespaceController(options: NamespaceControllerOptions = {}): Controller {
  const running = new WeakMap<ControllerContext, Running>();
  return {
    name: 'namespace',
    register(ctx) {
      const log = ctx.log.with({ controller: 'namespace' });
      const queue = new WorkQueue<string>({ name: 'namespace', clock: ctx.clock, log });
      const enqueue = (ns: KubeObject): void => {
        // Only namespaces being deleted have work (enqueueNamespace).
        if (ns.metadata.deletionTimestamp !== undefined) queue.add(ns.metadata.name ?? '');
      };
      ctx.informers.informerFor<KubeObject>(resources.namespaces).addEventHandler({
        onAdd: enqueue,
        onUpdate: (_, ns) => enqueue(ns),
        onDelete: (ns) => {
          // Nothing to do for a namespace that is gone, but a tombstone may hide a missed update.
          if (isTombstone(ns)) enqueue(ns.obj);
        },
      });
      running.set(ctx, {
        queue,
        deleter: new NamespacedResourcesDeleter({ client: ctx.client, log, now: () => ctx.clock.now() }),
      });
    },
    async run(ctx, signal) {
      const r = running.get(ctx);
      if (r === undefined) throw new Error('namespace controller: run before register');
      await r.queue.run(
        options.workers ?? 2,
        async (name) => {
          const result = await r.deleter.delete(name, signal);
          if (!result.done) r.queue.addAfter(name, (result.estimateSeconds / 2 + 1) * 1000);
        },
        signal,
      );
    },
  };
}
