// The informer's local cache (client-go's tools/cache thread_safe_store.go + index.go + listers):
// objects keyed by `namespace/name` (MetaNamespaceKeyFunc), secondary indexes computed by index
// functions (`namespace` built in; e.g. pods by `spec.nodeName`), and listers that read it.
//
// Objects in the cache are shared with every handler and lister caller: treat them as readonly and
// `structuredClone` one before changing it (CONVENTIONS.md).
import type { KubeObject } from '../api/meta.ts';
import { parseSelector, type Selector } from '../api/labels.ts';

/** Values under which an object is indexed (cache.IndexFunc). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export const namespaceIndex = 'namespace';

/** cache.MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  return ns === '' ? name : `${ns}/${name}`;
}

/** cache.SplitMetaNamespaceKey */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** cache.MetaNamespaceIndexFunc */
export function byNamespace(obj: KubeObject): readonly string[] {
  return [obj.metadata.namespace ?? ''];
}

/** An index on a field path, e.g. `indexOnField('spec.nodeName')` for pods by node. */
export function indexOnField<T extends KubeObject>(path: string): IndexFunc<T> {
  const parts = path.split('.');
  return (obj) => {
    let v: unknown = obj;
    for (const p of parts)
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
    return typeof v === 'string' && v !== '' ? [v] : [];
  };
}

/** cache.Indexer: the keyed store plus its indexes. */
export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.addIndexers({ [namespaceIndex]: byNamespace, ...indexers });
  }

  /** Adds index functions; existing objects are indexed at once (AddIndexers). */
  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, fn);
      this.indices.set(name, new Map());
      for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
    }
  }

  hasIndex(indexName: string): boolean {
    return this.indexers.has(indexName);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  /** Adds or replaces; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, obj);
    return old;
  }

  /** Removes by key; returns what was there. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Keys of the objects indexed under `value` (IndexKeys). */
  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (index === undefined) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** Objects indexed under `value` (ByIndex). */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  /** The values an index holds (ListIndexFuncValues). */
  indexValues(indexName: string): string[] {
    return [...(this.indices.get(indexName)?.keys() ?? [])];
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const value of new Set(fn(obj))) {
      let keys = index.get(value);
      if (keys === undefined) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function toSelector(selector: Selector | string | undefined): Selector | undefined {
  if (selector === undefined || selector === '') return undefined;
  return typeof selector === 'string' ? parseSelector(selector) : selector;
}

/** A generated lister (e.g. listers/core/v1 PodLister) over an informer's cache. */
export class Lister<T extends KubeObject> {
  private readonly indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.indexer = indexer;
  }

  /** Every object whose labels match (all of them without a selector). */
  list(selector?: Selector | string): T[] {
    const s = toSelector(selector);
    const all = this.indexer.list();
    return s === undefined ? all : all.filter((o) => s.matches(o.metadata.labels));
  }

  /** By namespace and name; `''` as the namespace for cluster-scoped objects. */
  get(namespace: string, name: string): T | undefined {
    return this.indexer.get(namespace === '' ? name : `${namespace}/${name}`);
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }

  /** The lister of one namespace (PodLister.Pods(ns)). */
  namespace(namespace: string): {
    list(selector?: Selector | string): T[];
    get(name: string): T | undefined;
  } {
    return {
      list: (selector) => {
        const s = toSelector(selector);
        const items = this.indexer.byIndex(namespaceIndex, namespace);
        return s === undefined ? items : items.filter((o) => s.matches(o.metadata.labels));
      },
      get: (name) => this.get(namespace, name),
    };
  }
}
