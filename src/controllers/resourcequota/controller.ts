// The resource quota controller (pkg/controller/resourcequota): keeps every ResourceQuota's
// status.hard (= spec.hard) and status.used current. Enforcement is the API server's admission.
//
//   quota events ───────────────────────────────────────────────┐
//   object events (pods, services, PVCs, configmaps, count/*) ──┴► every quota of the namespace
//   resync every resyncPeriodMs ─► every quota                       tracking it ─► WorkQueue
//   sync(key): informers of the charged resources (count/<r>.<g> found through discovery, started
//              on first use) ─► calculateUsage ─► status write when hard or used changed
import type { KubeObject } from '../../api/meta.ts';
import {
  isNotFound,
  type ResourceClient,
  type ResourceDescriptor,
  resources,
  type SharedInformer,
  splitKey,
  WorkQueue,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import { keyOf, runWorkers, unwrapDeleted } from '../framework/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { calculateUsage, type ResourceList, type ResourceQuota, sourceOf } from './usage.ts';

export interface ResourceQuotaControllerOptions {
  readonly workers?: number;
  /** Upstream's --resource-quota-sync-period: every quota is recalculated this often (5 min). */
  readonly resyncPeriodMs?: number;
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly quotas: SharedInformer<ResourceQuota>;
  readonly client: ResourceClient<ResourceQuota>;
  readonly queue: WorkQueue<string>;
  /** `resource.group` → the informer of its objects (started on first use). */
  readonly monitors: Map<string, SharedInformer<KubeObject>>;
  /** `resource.group` → the resource found through discovery (undefined: not served). */
  readonly discovered: Map<string, ResourceDescriptor | undefined>;
}

/** The resources watched from the start: the ones upstream's evaluators and counts know. */
const known: ResourceDescriptor[] = [
  resources.pods,
  resources.services,
  resources.persistentvolumeclaims,
  resources.configmaps,
  resources.secrets,
  resources.replicationcontrollers,
  resources.resourcequotas,
];

const grKey = (resource: string, group: string) => `${resource}.${group}`;

// Updates that may change what an object charges (counts change only on add and delete).
const chargesChanged = (resource: string, old: KubeObject, cur: KubeObject): boolean => {
  if (resource !== 'pods' && resource !== 'services' && resource !== 'persistentvolumeclaims') return false;
  const rec = (o: KubeObject) => o as KubeObject & { spec?: unknown; status?: { phase?: unknown } };
  return (
    JSON.stringify(rec(old).spec) !== JSON.stringify(rec(cur).spec) ||
    rec(old).status?.phase !== rec(cur).status?.phase ||
    old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp
  );
};

const sameList = (a: ResourceList | undefined, b: ResourceList | undefined): boolean => {
  const x = Object.entries(a ?? {}).sort(([k], [l]) => (k < l ? -1 : k > l ? 1 : 0));
  const y = Object.entries(b ?? {}).sort(([k], [l]) => (k < l ? -1 : k > l ? 1 : 0));
  return JSON.stringify(x) === JSON.stringify(y);
};

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota';
  private readonly workers: number;
  private readonly resyncPeriodMs: number;
  private s: State | undefined;

  constructor(options: ResourceQuotaControllerOptions = {}) {
    this.workers = options.workers ?? 5;
    this.resyncPeriodMs = options.resyncPeriodMs ?? 5 * 60_000;
  }

  register(ctx: ControllerContext): void {
    const log = ctx.log.with({ controller: this.name });
    const s: State = {
      ctx,
      log,
      quotas: ctx.informers.informerFor<ResourceQuota>(resources.resourcequotas),
      client: ctx.client.resource<ResourceQuota>(resources.resourcequotas),
      queue: new WorkQueue<string>({ name: this.name, clock: ctx.clock, log }),
      monitors: new Map(),
      discovered: new Map(),
    };
    this.s = s;
    s.quotas.addEventHandler({
      onAdd: (q) => s.queue.add(keyOf(q)),
      onUpdate: (_, q) => s.queue.add(keyOf(q)),
      onDelete: (q) => s.queue.forget(keyOf(unwrapDeleted(q))),
    });
    for (const d of known) this.monitor(s, d);
  }

  /** A quota-replenishment informer on one resource: its changes enqueue the quotas tracking it. */
  private monitor(s: State, d: ResourceDescriptor): SharedInformer<KubeObject> {
    const key = grKey(d.resource, d.group);
    const existing = s.monitors.get(key);
    if (existing !== undefined) return existing;
    const informer = s.ctx.informers.informerFor<KubeObject>(d);
    s.monitors.set(key, informer);
    const enqueue = (obj: KubeObject): void => {
      for (const q of s.quotas.lister.namespace(obj.metadata.namespace ?? '').list()) {
        const tracks = Object.keys(q.spec?.hard ?? {}).some((n) => {
          const src = sourceOf(n);
          return src?.resource === d.resource && src.group === d.group;
        });
        if (tracks) s.queue.add(keyOf(q));
      }
    };
    informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (old, cur) => {
        if (chargesChanged(d.resource, old, cur)) enqueue(cur);
      },
      onDelete: (obj) => enqueue(unwrapDeleted(obj)),
    });
    return informer;
  }

  /** The served, namespaced resource of a group resource, through discovery (cached). */
  private async discover(s: State, resource: string, group: string): Promise<ResourceDescriptor | undefined> {
    const key = grKey(resource, group);
    if (s.discovered.has(key)) return s.discovered.get(key);
    let found: ResourceDescriptor | undefined;
    try {
      const path = group === '' ? '/api' : `/apis/${group}`;
      let version = 'v1';
      if (group !== '') {
        const g = await s.ctx.client.request<{ preferredVersion?: { version?: string } }>({
          method: 'GET',
          path,
        });
        version = g.preferredVersion?.version ?? 'v1';
      }
      const list = await s.ctx.client.request<{ resources?: { name: string; namespaced?: boolean }[] }>({
        method: 'GET',
        path: group === '' ? '/api/v1' : `/apis/${group}/${version}`,
      });
      const r = list.resources?.find((x) => x.name === resource);
      if (r?.namespaced === true) found = { group, version, resource, namespaced: true };
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
    }
    s.discovered.set(key, found);
    return found;
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.s;
    if (s === undefined) throw new Error('resourcequota: run before register');
    const resync = setInterval(() => {
      for (const q of s.quotas.lister.list()) s.queue.add(keyOf(q));
    }, this.resyncPeriodMs);
    try {
      await runWorkers({
        queue: s.queue,
        workers: this.workers,
        sync: (k) => this.sync(k),
        signal,
        log: s.log,
      });
    } finally {
      clearInterval(resync);
    }
  }

  private async sync(key: string): Promise<void> {
    const s = this.s;
    if (s === undefined) return;
    const { namespace, name } = splitKey(key);
    const quota = s.quotas.lister.get(namespace, name);
    if (quota === undefined) return;
    // Start the informers of count/<resource>.<group> names not watched yet, and wait for them.
    for (const n of Object.keys(quota.spec?.hard ?? {})) {
      const src = sourceOf(n);
      if (src === undefined || s.monitors.has(grKey(src.resource, src.group))) continue;
      const d = await this.discover(s, src.resource, src.group);
      if (d !== undefined) this.monitor(s, d);
    }
    const objectsOf = (resource: string, group: string): readonly KubeObject[] | undefined => {
      const informer = s.monitors.get(grKey(resource, group));
      if (informer === undefined) return undefined;
      return informer.lister.namespace(namespace).list();
    };
    for (const src of Object.keys(quota.spec?.hard ?? {}).map(sourceOf)) {
      const informer = src === undefined ? undefined : s.monitors.get(grKey(src.resource, src.group));
      if (informer !== undefined && !informer.hasSynced()) await informer.waitForSync();
    }
    const hard: ResourceList = { ...(quota.spec?.hard ?? {}) };
    const computed = calculateUsage(quota, objectsOf, s.ctx.clock.now());
    // Keep the recorded usage of hard names nothing here tracks; drop names no longer hard.
    const used: ResourceList = {};
    for (const n of Object.keys(hard)) {
      const v = computed[n] ?? quota.status?.used?.[n];
      if (v !== undefined) used[n] = v;
    }
    if (sameList(hard, quota.status?.hard) && sameList(used, quota.status?.used)) return;
    const next = structuredClone(quota);
    next.status = { hard, used };
    try {
      await s.client.updateStatus(next, { namespace });
    } catch (e: unknown) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}
