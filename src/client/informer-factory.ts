// SharedInformerFactory (client-go's informers/factory.go): one informer per resource (and
// namespace and selectors) per process, however many controllers ask for it, so a process holds
// one cache and one watch per resource.
import type { KubeObject } from '../api/meta.ts';
import type { Logger } from '../log.ts';
import type { IndexFunc } from './cache.ts';
import type { Clock } from './clock.ts';
import { type ListerWatcher, SharedInformer } from './informer.ts';
import type { ResourceClient, ResourceDescriptor } from './resource.ts';
import type { RestClient } from './rest.ts';

export interface InformerScope {
  /** Only this namespace; all namespaces when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** The ListerWatcher of a resource client, scoped (cache.NewFilteredListWatchFromClient). */
export function listerWatcherFor<T extends KubeObject>(
  client: ResourceClient<T>,
  scope: InformerScope = {},
): ListerWatcher<T> {
  const { namespace, labelSelector, fieldSelector } = scope;
  return {
    list: (o) =>
      client.list({ ...o, namespace, labelSelector, fieldSelector }) as ReturnType<ListerWatcher<T>['list']>,
    watch: (o) => client.watch({ ...o, namespace, labelSelector, fieldSelector }),
  };
}

export interface SharedInformerFactoryOptions {
  readonly client: RestClient;
  /** The default scope of every informer (informers.WithNamespace). */
  readonly namespace?: string;
  readonly log?: Logger;
  readonly clock?: Clock;
  readonly watchTimeoutSeconds?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export class SharedInformerFactory {
  private readonly options: SharedInformerFactoryOptions;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly running = new Map<string, Promise<void>>();
  private signal: AbortSignal | undefined;

  constructor(options: SharedInformerFactoryOptions) {
    this.options = options;
  }

  /**
   * The informer of a resource in a scope, made on first request. Indexers are added to the shared
   * informer (a name already there must not be registered twice).
   */
  informerFor<T extends KubeObject>(
    resource: ResourceDescriptor,
    options: InformerScope & { indexers?: Readonly<Record<string, IndexFunc<T>>> } = {},
  ): SharedInformer<T> {
    const scope: InformerScope = {
      namespace: options.namespace ?? this.options.namespace,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    };
    const key = JSON.stringify([
      resource.group,
      resource.version,
      resource.resource,
      scope.namespace ?? '',
      scope.labelSelector ?? '',
      scope.fieldSelector ?? '',
    ]);
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (informer === undefined) {
      const name = resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
      informer = new SharedInformer<T>({
        source: listerWatcherFor(this.options.client.resource<T>(resource), scope),
        name,
        log: this.options.log,
        clock: this.options.clock,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        backoff: this.options.backoff,
      });
      this.informers.set(key, informer as unknown as SharedInformer<KubeObject>);
      // Asked for after start: start it now rather than leaving it silently idle.
      if (this.signal !== undefined) this.startOne(key);
    }
    if (options.indexers !== undefined) {
      const fresh = Object.entries(options.indexers).filter(([n]) => !informer.indexer.hasIndex(n));
      if (fresh.length > 0) informer.addIndexers(Object.fromEntries(fresh));
    }
    return informer;
  }

  /** Starts every informer not yet running; they stop when `signal` aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const key of this.informers.keys()) this.startOne(key);
  }

  /** Resolves true when every informer has synced, false if `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every started informer has stopped (after the start signal aborted). */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private startOne(key: string): void {
    const signal = this.signal;
    if (signal === undefined || this.running.has(key)) return;
    const informer = this.informers.get(key)!;
    const run = informer.run(signal).catch((e: unknown) => {
      this.options.log?.error('informer stopped', { informer: key, error: String(e) });
    });
    this.running.set(key, run);
  }
}
