// Every served resource, looked up by group/version/resource, each with the object store and
// watch cache of its storage (shared by the group-versions that serve the same objects).
import type { Store } from '../../storage/index.ts';
import { ObjectStore } from '../rest/object-store.ts';
import { WatchCache } from '../rest/watch-cache.ts';
import type { HookResult, ResourceDefinition, StorageHooks } from './types.ts';

export interface ServedResource {
  readonly def: ResourceDefinition;
  /**
   * The definition of the stored version, whose strategy, table and field selectors apply to the
   * objects (the same as `def` unless `def` serves another version's storage).
   */
  readonly storageDef: ResourceDefinition;
  readonly objects: ObjectStore;
  readonly cache: WatchCache;
  /** Filled by `setHooks`; shared by every version of the storage. */
  readonly hooks: StorageHooks;
}

/** Two hooks' results as one: both commit, both undo. */
function both(a: HookResult | undefined, b: HookResult | undefined): HookResult | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return {
    commit: async () => {
      await a.commit?.();
      await b.commit?.();
    },
    undo: async () => {
      await b.undo?.();
      await a.undo?.();
    },
  };
}

export interface GroupVersions {
  readonly group: string;
  /** Served versions, preferred first. */
  readonly versions: string[];
}

export class Registry {
  private readonly byPath = new Map<string, ServedResource>();
  private readonly storages = new Map<
    string,
    { objects: ObjectStore; cache: WatchCache; hooks: StorageHooks }
  >();
  readonly definitions: readonly ResourceDefinition[];

  constructor(store: Store, definitions: readonly ResourceDefinition[]) {
    this.definitions = definitions;
    for (const def of definitions) {
      const storage = def.storage ?? { group: def.group, resource: def.resource };
      const storageKey = `${storage.group}/${storage.resource}`;
      let shared = this.storages.get(storageKey);
      if (shared === undefined) {
        const objects = new ObjectStore({ store, ...storage, namespaced: def.namespaced });
        shared = { objects, cache: new WatchCache(objects), hooks: {} };
        this.storages.set(storageKey, shared);
      }
      const storageDef =
        definitions.find(
          (d) => d.storage === undefined && d.group === storage.group && d.resource === storage.resource,
        ) ?? def;
      this.byPath.set(`${def.group}/${def.version}/${def.resource}`, { def, storageDef, ...shared });
    }
  }

  /** Installs the storage hooks of a resource (all its versions). */
  setHooks(group: string, resource: string, hooks: StorageHooks): void {
    const shared = this.storages.get(`${group}/${resource}`);
    if (shared === undefined) throw new Error(`no storage for ${resource}.${group}`);
    const h = shared.hooks as { -readonly [K in keyof StorageHooks]: StorageHooks[K] };
    // Several installers may hook one resource (admission plugins, allocators): run them in order.
    const before = h.beforeCreate;
    if (hooks.beforeCreate !== undefined) {
      const next = hooks.beforeCreate;
      h.beforeCreate =
        before === undefined ? next : async (obj, o) => both(await before(obj, o), await next(obj, o));
    }
    const beforeUpdate = h.beforeUpdate;
    if (hooks.beforeUpdate !== undefined) {
      const next = hooks.beforeUpdate;
      h.beforeUpdate =
        beforeUpdate === undefined
          ? next
          : async (obj, old, o) => both(await beforeUpdate(obj, old, o), await next(obj, old, o));
    }
    const after = h.afterDelete;
    if (hooks.afterDelete !== undefined) {
      const next = hooks.afterDelete;
      h.afterDelete =
        after === undefined
          ? next
          : async (obj) => {
              await after(obj);
              await next(obj);
            };
    }
  }

  lookup(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  /** The storage of a resource by group and resource, whatever version serves it. */
  storage(group: string, resource: string): ServedResource | undefined {
    return this.definitions
      .filter((d) => d.group === group && d.resource === resource)
      .map((d) => this.byPath.get(`${d.group}/${d.version}/${d.resource}`))
      .find((r) => r !== undefined);
  }

  /** Groups in the order discovery lists them (core first), with versions in the order given. */
  groups(): GroupVersions[] {
    const out = new Map<string, string[]>();
    for (const d of this.definitions) {
      const versions = out.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      out.set(d.group, versions);
    }
    return [...out].map(([group, versions]) => ({ group, versions }));
  }

  resources(group: string, version: string): ResourceDefinition[] {
    return this.definitions.filter((d) => d.group === group && d.version === version);
  }

  close(): void {
    for (const s of this.storages.values()) s.cache.stop();
  }
}
