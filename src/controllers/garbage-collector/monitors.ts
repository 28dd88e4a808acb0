// The collector's monitors (upstream's GraphBuilder.syncMonitors): one shared informer per deletable
// resource, whose handlers only turn each event into a GraphEvent on the graph-change queue.
// Resources that appear in discovery later get a monitor on the next sync; resources that
// disappear stop feeding the graph (the shared informer itself belongs to the factory).
import type { KubeObject } from '../../api/meta.ts';
import { isTombstone, type SharedInformer, type SharedInformerFactory } from '../../client/index.ts';
import { type DiscoveredResource, resourceName } from './discovery.ts';
import type { GraphEvent } from './graph.ts';

interface Monitor {
  readonly resource: DiscoveredResource;
  readonly informer: SharedInformer<KubeObject>;
  readonly stop: () => void;
}

function keyOf(r: DiscoveredResource): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

export class Monitors {
  private readonly informers: SharedInformerFactory;
  private readonly emit: (event: GraphEvent) => void;
  private readonly monitors = new Map<string, Monitor>();

  constructor(informers: SharedInformerFactory, emit: (event: GraphEvent) => void) {
    this.informers = informers;
    this.emit = emit;
  }

  get size(): number {
    return this.monitors.size;
  }

  /** Makes the monitored set equal to `resources`; reports what changed. */
  sync(resources: readonly DiscoveredResource[]): {
    added: DiscoveredResource[];
    removed: DiscoveredResource[];
  } {
    const wanted = new Map(resources.map((r) => [keyOf(r), r]));
    const added: DiscoveredResource[] = [];
    const removed: DiscoveredResource[] = [];
    for (const [key, m] of this.monitors) {
      if (wanted.has(key)) continue;
      m.stop();
      this.monitors.delete(key);
      removed.push(m.resource);
    }
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      this.monitors.set(key, this.start(r));
      added.push(r);
    }
    return { added, removed };
  }

  /** Resolves once every monitor's informer has listed (false if `signal` aborts first). */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  names(): string[] {
    return [...this.monitors.values()].map((m) => resourceName(m.resource));
  }

  private start(r: DiscoveredResource): Monitor {
    const informer = this.informers.informerFor<KubeObject>(r);
    const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
    const kind = r.kind;
    const stop = informer.addEventHandler({
      onAdd: (obj) => this.emit({ type: 'add', apiVersion, kind, obj }),
      onUpdate: (oldObj, obj) => this.emit({ type: 'update', apiVersion, kind, obj, oldObj }),
      onDelete: (obj) =>
        this.emit({ type: 'delete', apiVersion, kind, obj: isTombstone(obj) ? obj.obj : obj }),
    });
    return { resource: r, informer, stop };
  }
}
