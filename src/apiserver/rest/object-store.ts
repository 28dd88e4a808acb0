// The generic registry store (upstream's staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
// and storage/etcd3/store.go): objects of one resource to keys and values of the revisioned store,
// resourceVersion from the store revision, optimistic concurrency on mod revisions.
import type { KubeObject } from '../../api/meta.ts';
import { isStorageError, prefixEnd, type KeyValue, type Store } from '../../storage/index.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  notFound,
  StatusError,
  timeout,
} from '../../api/status.ts';

export interface ObjectStoreOptions {
  readonly store: Store;
  /** Group and resource of the storage (`''`, `pods`); keys are `/registry/<group or core>/<resource>/...`. */
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly limit?: number;
  readonly continueToken?: string;
  /** Read at exactly this revision (resourceVersionMatch=Exact); otherwise the latest. */
  readonly revision?: number;
  readonly filter?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly revision: number;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Stored bytes never carry a resourceVersion: it is the key's mod revision, set on the way out.
 * apiVersion, kind and metadata come first, so a read can answer with the stored text itself.
 */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  const { apiVersion, kind, metadata: _m, ...rest } = obj;
  return encoder.encode(JSON.stringify({ apiVersion, kind, metadata, ...rest }));
}

/**
 * The object's JSON as served, straight from the stored text: the resourceVersion spliced into
 * metadata, no parse and no re-encode. Only for text that starts exactly with this apiVersion,
 * kind and a non-empty metadata (as `encodeObject` writes it); otherwise undefined.
 */
export function servedText(kv: KeyValue, apiVersion: string, kind: string): string | undefined {
  const text = decoder.decode(kv.value);
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":{`;
  if (!text.startsWith(head) || text[head.length] === '}') return undefined;
  return `${head}"resourceVersion":"${kv.modRevision}",${text.slice(head.length)}`;
}

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The continue token, as upstream encodes it: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"..."}. */
function encodeContinue(revision: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start })).toString('base64url');
}

function decodeContinue(token: string): { revision: number; start: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { v, rv, start } = parsed as Record<string, unknown>;
      if (v === 'meta.k8s.io/v1' && typeof rv === 'number' && rv > 0 && typeof start === 'string') {
        return { revision: rv, start };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new StatusError(
    badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'),
  );
}

export class ObjectStore {
  readonly store: Store;
  private readonly root: string;
  private readonly namespaced: boolean;
  private readonly resource: { group: string; resource: string };

  constructor(options: ObjectStoreOptions) {
    this.store = options.store;
    this.root = `/registry/${options.group === '' ? 'core' : options.group}/${options.resource}/`;
    this.namespaced = options.namespaced;
    this.resource = { group: options.group, resource: options.resource };
  }

  key(namespace: string | undefined, name: string): string {
    return this.namespaced ? `${this.root}${namespace ?? ''}/${name}` : `${this.root}${name}`;
  }

  /** The key prefix of a namespace's objects, or of all of them. */
  prefix(namespace?: string): string {
    return this.namespaced && namespace !== undefined && namespace !== ''
      ? `${this.root}${namespace}/`
      : this.root;
  }

  async get(namespace: string | undefined, name: string, revision?: number): Promise<KubeObject> {
    return decodeObject(await this.getStored(namespace, name, revision));
  }

  /** The stored key-value of an object, not decoded. */
  async getStored(namespace: string | undefined, name: string, revision?: number): Promise<KeyValue> {
    const { kv } = await this.read(() => this.store.get(this.key(namespace, name), { revision }));
    if (kv === undefined) throw new StatusError(notFound(this.resource, name));
    return kv;
  }

  /** Lists in key order, paging through the store until `limit` objects pass the filter. */
  async list(options: ListOptions): Promise<ListResult> {
    const prefix = this.prefix(options.namespace);
    const end = prefixEnd(prefix);
    let start = prefix;
    let revision = options.revision;
    if (options.continueToken !== undefined && options.continueToken !== '') {
      const token = decodeContinue(options.continueToken);
      start = prefix + token.start;
      revision = token.revision;
    }
    const limit = options.limit ?? 0;
    const items: KubeObject[] = [];
    for (;;) {
      const page = await this.read(() =>
        this.store.range(
          { key: start, rangeEnd: end },
          { revision, limit: limit > 0 ? Math.max(limit - items.length, 100) : 0 },
        ),
      );
      revision = page.revision;
      for (let i = 0; i < page.kvs.length; i++) {
        const kv = page.kvs[i]!;
        const obj = decodeObject(kv);
        if (options.filter !== undefined && !options.filter(obj)) continue;
        items.push(obj);
        if (limit > 0 && items.length === limit) {
          const hasMore = i < page.kvs.length - 1 || page.more;
          if (!hasMore) return { items, revision };
          const next = `${kv.key.slice(prefix.length)}\0`;
          // Upstream reports the remaining count only when no filter makes it a guess.
          const remaining = options.filter === undefined ? page.count - i - 1 : undefined;
          return {
            items,
            revision,
            continueToken: encodeContinue(revision, next),
            remainingItemCount: remaining,
          };
        }
      }
      if (!page.more) return { items, revision };
      start = `${page.kvs[page.kvs.length - 1]!.key}\0`;
    }
  }

  /**
   * Every object (passing the filter) at one revision, a page of the store at a time, so a list of
   * 100,000 objects never holds them all. The first page fixes the revision.
   */
  async *scan(options: {
    namespace?: string;
    filter?: (obj: KubeObject) => boolean;
    pageSize?: number;
  }): AsyncGenerator<{ items: KubeObject[]; revision: number }> {
    const prefix = this.prefix(options.namespace);
    const end = prefixEnd(prefix);
    let start = prefix;
    let revision: number | undefined;
    for (;;) {
      const page = await this.read(() =>
        this.store.range(
          { key: start, rangeEnd: end },
          { revision, limit: options.pageSize ?? 1000, skipCount: true },
        ),
      );
      revision = page.revision;
      const items: KubeObject[] = [];
      for (const kv of page.kvs) {
        const obj = decodeObject(kv);
        if (options.filter === undefined || options.filter(obj)) items.push(obj);
      }
      yield { items, revision };
      if (!page.more || page.kvs.length === 0) return;
      start = `${page.kvs[page.kvs.length - 1]!.key}\0`;
    }
  }

  async create(obj: KubeObject, lease?: number): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    const r = await this.store.create(this.key(obj.metadata.namespace, name), encodeObject(obj), { lease });
    if (!r.succeeded) throw new StatusError(alreadyExists(this.resource, name));
    return decodeObject(r.kv!);
  }

  /**
   * Writes `obj` over the stored version it was read at (its resourceVersion). A stale version
   * fails with 409 Conflict, as upstream's GuaranteedUpdate does when the precondition fails.
   */
  async update(obj: KubeObject, expectedRevision: number, lease?: number): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    const r = await this.store.update(
      this.key(obj.metadata.namespace, name),
      encodeObject(obj),
      expectedRevision,
      {
        lease,
      },
    );
    if (!r.succeeded) {
      if (r.kv === undefined) throw new StatusError(notFound(this.resource, name));
      throw new StatusError(conflict(this.resource, name));
    }
    return decodeObject(r.kv!);
  }

  /** Deletes the version read at `expectedRevision`; returns the deleted object at the delete's revision. */
  async delete(namespace: string | undefined, name: string, expectedRevision?: number): Promise<KubeObject> {
    const r = await this.store.delete(this.key(namespace, name), expectedRevision);
    if (!r.succeeded) {
      if (r.kv === undefined) throw new StatusError(notFound(this.resource, name));
      throw new StatusError(conflict(this.resource, name));
    }
    const obj = decodeObject(r.kv!);
    obj.metadata.resourceVersion = String(r.revision);
    return obj;
  }

  /** Store reads translate "compacted" into 410 Expired, the one place that happens. */
  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e: unknown) {
      if (isStorageError(e, 'compacted')) throw new StatusError(expired(e.message));
      if (isStorageError(e, 'future-revision'))
        throw new StatusError(timeout(`Too large resource version: ${e.message}`));
      throw e;
    }
  }
}
