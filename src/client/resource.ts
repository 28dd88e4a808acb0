// One resource's verbs over the REST client (client-go's dynamic client): get, list, create, update,
// updateStatus, patch, delete, watch and the subresources controllers use (scale, binding,
// eviction). Objects are plain JSON; `T` only types what the caller reads.
import type { KubeList } from '../api/meta.ts';
import { isRecord } from '../api/meta.ts';
import { ApiError } from './errors.ts';
import type { RestClient } from './rest.ts';

/** schema.GroupVersionResource plus its scope. */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long (and the caller re-watches). */
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface WriteOptions {
  readonly namespace?: string;
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
  /** Server-side apply: take ownership of conflicting fields. */
  readonly force?: boolean;
  readonly subresource?: string;
}

/** metav1.DeleteOptions */
export interface DeleteOptions {
  readonly namespace?: string;
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

interface Named {
  metadata?: { name?: string; namespace?: string };
}

export class ResourceClient<T extends object> {
  readonly descriptor: ResourceDescriptor;
  private readonly rest: RestClient;
  private readonly boundNamespace: string | undefined;

  constructor(rest: RestClient, descriptor: ResourceDescriptor, namespace?: string) {
    this.rest = rest;
    this.descriptor = descriptor;
    this.boundNamespace = namespace;
  }

  /** The same client bound to a namespace (`Resource(gvr).Namespace(ns)`). */
  namespace(namespace: string): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.descriptor, namespace);
  }

  /** `/api/v1/namespaces/ns/pods/name/sub`; no namespace on a namespaced resource means all of them. */
  path(options: { namespace?: string; name?: string; subresource?: string } = {}): string {
    const { group, version, resource, namespaced } = this.descriptor;
    let p = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const ns = options.namespace ?? this.boundNamespace;
    if (namespaced && ns !== undefined && ns !== '') p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${resource}`;
    if (options.name !== undefined) p += `/${encodeURIComponent(options.name)}`;
    if (options.subresource !== undefined) p += `/${options.subresource}`;
    return p;
  }

  get(
    name: string,
    options: { namespace?: string; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    return this.rest.request<T>({
      method: 'GET',
      path: this.path({ namespace: options.namespace, name }),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  list(options: ListOptions = {}): Promise<KubeList<T & { metadata: object }>> {
    const q = new URLSearchParams();
    if (options.labelSelector) q.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) q.set('fieldSelector', options.fieldSelector);
    if (options.limit !== undefined) q.set('limit', String(options.limit));
    if (options.continue) q.set('continue', options.continue);
    if (options.resourceVersion !== undefined) q.set('resourceVersion', options.resourceVersion);
    if (options.resourceVersionMatch) q.set('resourceVersionMatch', options.resourceVersionMatch);
    return this.rest.request({
      method: 'GET',
      path: this.path({ namespace: options.namespace }),
      query: q,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  create(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({
      method: 'POST',
      path: this.path({ namespace: options.namespace ?? namespaceOf(obj) }),
      query: writeQuery(options),
      body: obj,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /** PUT; the object's resourceVersion makes it a compare-and-swap (409 Conflict when stale). */
  update(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, options);
  }

  updateStatus(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(obj, 'status', options);
  }

  patch(name: string, patch: unknown, options: PatchOptions): Promise<T> {
    const q = writeQuery(options);
    if (options.force) q.set('force', 'true');
    return this.rest.request<T>({
      method: 'PATCH',
      path: this.path({ namespace: options.namespace, name, subresource: options.subresource }),
      query: q,
      body: patch,
      contentType: patchContentTypes[options.type],
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /** Resolves with what the server returns: the deleted object, the object still finalizing, or a Status. */
  delete(name: string, options: DeleteOptions = {}): Promise<T | Record<string, unknown>> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
    if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
    if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
    if (options.dryRun) body['dryRun'] = ['All'];
    return this.rest.request({
      method: 'DELETE',
      path: this.path({ namespace: options.namespace, name }),
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /**
   * A watch as an async iterable of events over the chunked JSON stream. An ERROR event (e.g. 410
   * Expired) is thrown as an ApiError; the iteration ends when the server closes the watch (its
   * timeout) or `signal` aborts.
   */
  async *watch(options: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const q = new URLSearchParams({ watch: 'true' });
    if (options.labelSelector) q.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) q.set('fieldSelector', options.fieldSelector);
    if (options.resourceVersion !== undefined) q.set('resourceVersion', options.resourceVersion);
    if (options.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
    if (options.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(options.timeoutSeconds));
    const lines = this.rest.lines({
      path: this.path({ namespace: options.namespace }),
      query: q,
      signal: options.signal,
    });
    for await (const line of lines) {
      const event: unknown = JSON.parse(line);
      if (!isRecord(event) || typeof event['type'] !== 'string' || !isRecord(event['object'])) {
        throw new Error(`malformed watch event: ${line.slice(0, 200)}`);
      }
      if (event['type'] === 'ERROR') {
        throw new ApiError(statusOf(event['object']));
      }
      yield { type: event['type'] as WatchEventType, object: event['object'] as T };
    }
  }

  /** GET of a subresource, e.g. `scale`. */
  getSubresource<S>(name: string, subresource: string, options: { namespace?: string } = {}): Promise<S> {
    return this.rest.request<S>({
      method: 'GET',
      path: this.path({ namespace: options.namespace, name, subresource }),
    });
  }

  /** POST (create) or PUT (update) of a subresource: `binding`, `eviction`, `scale`. */
  writeSubresource<S>(
    name: string,
    subresource: string,
    body: unknown,
    options: WriteOptions & { method?: 'POST' | 'PUT' } = {},
  ): Promise<S> {
    return this.rest.request<S>({
      method: options.method ?? 'POST',
      path: this.path({ namespace: options.namespace ?? namespaceOf(body), name, subresource }),
      query: writeQuery(options),
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /** autoscaling/v1 Scale of a scalable resource. */
  getScale<S = Record<string, unknown>>(name: string, options: { namespace?: string } = {}): Promise<S> {
    return this.getSubresource<S>(name, 'scale', options);
  }

  updateScale<S = Record<string, unknown>>(name: string, scale: S, options: WriteOptions = {}): Promise<S> {
    return this.writeSubresource<S>(name, 'scale', scale, { ...options, method: 'PUT' });
  }

  /** pods/binding: the scheduler's write (a core/v1 Binding with `target` the node). */
  bind(name: string, binding: unknown, options: WriteOptions = {}): Promise<unknown> {
    return this.writeSubresource(name, 'binding', binding, options);
  }

  /** pods/eviction: a policy/v1 Eviction, refused with 429 while a PodDisruptionBudget forbids it. */
  evict(name: string, eviction: unknown, options: WriteOptions = {}): Promise<unknown> {
    return this.writeSubresource(name, 'eviction', eviction, options);
  }

  private put(obj: T, subresource: string | undefined, options: WriteOptions): Promise<T> {
    const name = (obj as Named).metadata?.name;
    if (name === undefined || name === '') throw new Error('update needs metadata.name');
    return this.rest.request<T>({
      method: 'PUT',
      path: this.path({ namespace: options.namespace ?? namespaceOf(obj), name, subresource }),
      query: writeQuery(options),
      body: obj,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }
}

function namespaceOf(obj: unknown): string | undefined {
  const ns = (obj as Named | undefined)?.metadata?.namespace;
  return ns === '' ? undefined : ns;
}

function writeQuery(options: WriteOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (options.dryRun) q.set('dryRun', 'All');
  if (options.fieldManager !== undefined) q.set('fieldManager', options.fieldManager);
  return q;
}

function statusOf(obj: Record<string, unknown>): ConstructorParameters<typeof ApiError>[0] {
  if (obj['kind'] === 'Status' && typeof obj['reason'] === 'string') {
    return obj as unknown as ConstructorParameters<typeof ApiError>[0];
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `watch error: ${JSON.stringify(obj).slice(0, 200)}`,
    reason: 'InternalError',
    code: 500,
  };
}
