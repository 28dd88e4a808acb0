// The service account controller (upstream's pkg/controller/serviceaccount
// serviceaccounts_controller.go): every active namespace has the managed service accounts
// (`default`), made again when deleted. Keys are namespace names.
import type { KubeObject } from '../../api/meta.ts';
import {
  isAlreadyExists,
  isNotFound,
  isTombstone,
  type Lister,
  reasonOf,
  resources,
  WorkQueue,
} from '../../client/index.ts';
import type { Controller, ControllerContext } from '../types.ts';

export interface ServiceAccountsOptions {
  /** upstream's ServiceAccountsControllerOptions.ServiceAccounts */
  readonly serviceAccounts?: readonly string[];
  readonly workers?: number;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly namespaces: Lister<KubeObject>;
  readonly serviceAccounts: Lister<KubeObject>;
}

export function isActive(ns: KubeObject): boolean {
  const status = ns['status'] as { phase?: string } | undefined;
  return ns.metadata.deletionTimestamp === undefined && (status?.phase ?? 'Active') === 'Active';
}

/** A create refused because the namespace is gone or terminating: nothing to retry. */
export function namespaceGoneOrTerminating(e: unknown): boolean {
  if (isNotFound(e)) return true;
  if (reasonOf(e) !== 'Forbidden') return false;
  const message = e instanceof Error ? e.message : '';
  const causes = (e as { details?: { causes?: Array<{ type?: string }> } }).details?.causes ?? [];
  return causes.some((c) => c.type === 'NamespaceTerminating') || message.includes('being terminated');
}

export function serviceAccountsController(options: ServiceAccountsOptions = {}): Controller {
  const managed = options.serviceAccounts ?? ['default'];
  const running = new WeakMap<ControllerContext, Running>();
  return {
    name: 'serviceaccount',
    register(ctx) {
      const log = ctx.log.with({ controller: 'serviceaccount' });
      const queue = new WorkQueue<string>({ name: 'serviceaccount', clock: ctx.clock, log });
      const nsInformer = ctx.informers.informerFor<KubeObject>(resources.namespaces);
      const saInformer = ctx.informers.informerFor<KubeObject>(resources.serviceaccounts);
      nsInformer.addEventHandler({
        onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
        onUpdate: (_, ns) => queue.add(ns.metadata.name ?? ''),
      });
      saInformer.addEventHandler({
        // serviceAccountDeleted: a managed account removed is made again.
        onDelete: (sa) => {
          const obj = isTombstone(sa) ? sa.obj : sa;
          if (managed.includes(obj.metadata.name ?? '')) queue.add(obj.metadata.namespace ?? '');
        },
      });
      running.set(ctx, { queue, namespaces: nsInformer.lister, serviceAccounts: saInformer.lister });
    },
    async run(ctx, signal) {
      const r = running.get(ctx);
      if (r === undefined) throw new Error('serviceaccount controller: run before register');
      const client = ctx.client.resource<KubeObject>(resources.serviceaccounts);
      await r.queue.run(
        options.workers ?? 1,
        async (namespace) => {
          const ns = r.namespaces.get('', namespace);
          if (ns === undefined || !isActive(ns)) return;
          for (const name of managed) {
            if (r.serviceAccounts.get(namespace, name) !== undefined) continue;
            try {
              await client.create({
                apiVersion: 'v1',
                kind: 'ServiceAccount',
                metadata: { name, namespace },
              });
              ctx.log.info('service account created', { controller: 'serviceaccount', namespace, name });
            } catch (e: unknown) {
              if (!isAlreadyExists(e) && !namespaceGoneOrTerminating(e)) throw e;
            }
          }
        },
        signal,
      );
    },
  };
}
