// Test support for the allocator tests: a registry serving Services (and the kubernetes
// Service's Endpoints and EndpointSlice) on a memory store, with writes run the way the generic
// handlers run them around the storage hooks (src/apiserver/handlers/objects.ts).
import type { KubeObject } from '../../api/meta.ts';
import { openStore, type Store } from '../../storage/index.ts';
import { Registry, type ServedResource } from '../registry/registry.ts';
import type { ResourceDefinition } from '../registry/types.ts';
import { installServiceAllocators } from './index.ts';

const def = (group: string, kind: string, resource: string): ResourceDefinition => ({
  group,
  version: 'v1',
  kind,
  resource,
  singular: kind.toLowerCase(),
  namespaced: true,
});

export const services = def('', 'Service', 'services');
export const endpoints = def('', 'Endpoints', 'endpoints');
export const endpointslices = def('discovery.k8s.io', 'EndpointSlice', 'endpointslices');

export interface Harness {
  readonly store: Store;
  readonly registry: Registry;
  readonly services: ServedResource;
  /** Installs the allocators on this store (10.43.0.0/16, 30000-32767 unless told). */
  install(cidr?: string, ports?: string): Promise<void>;
  create(obj: KubeObject, dryRun?: boolean): Promise<KubeObject>;
  update(next: KubeObject, old: KubeObject, dryRun?: boolean): Promise<KubeObject>;
  remove(obj: KubeObject): Promise<void>;
  close(): Promise<void>;
}

/** A registry on `shared` (a second API server on one store), or on a store of its own. */
export function harness(definitions: readonly ResourceDefinition[] = [services], shared?: Store): Harness {
  const store = shared ?? openStore('memory://', { dataDir: '/tmp/unused' });
  const registry = new Registry(store, definitions);
  const served = registry.storage('', 'services')!;
  const around = async (
    hook: { commit?(): Promise<void>; undo?(): Promise<void> } | undefined,
    write: () => Promise<KubeObject>,
  ): Promise<KubeObject> => {
    let result: KubeObject;
    try {
      result = await write();
    } catch (e: unknown) {
      await hook?.undo?.();
      throw e;
    }
    await hook?.commit?.();
    return result;
  };
  return {
    store,
    registry,
    services: served,
    install: (cidr = '10.43.0.0/16', ports = '30000-32767') =>
      installServiceAllocators({
        registry,
        store,
        serviceCidr: cidr,
        nodePortRange: ports,
        repairInterval: 0,
      }),
    async create(obj, dryRun = false) {
      const hook = await served.hooks.beforeCreate?.(obj, { dryRun });
      return dryRun ? obj : around(hook, () => served.objects.create(obj));
    },
    async update(next, old, dryRun = false) {
      const hook = await served.hooks.beforeUpdate?.(next, old, { dryRun });
      return dryRun
        ? next
        : around(hook, () => served.objects.update(next, Number(old.metadata.resourceVersion)));
    },
    async remove(obj) {
      const deleted = await served.objects.delete(obj.metadata.namespace, obj.metadata.name ?? '');
      await served.hooks.afterDelete?.(deleted);
    },
    async close() {
      registry.close();
      if (shared === undefined) await store.close();
    },
  };
}

export function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

export function specOf(obj: KubeObject): Record<string, unknown> {
  return obj['spec'] as Record<string, unknown>;
}
