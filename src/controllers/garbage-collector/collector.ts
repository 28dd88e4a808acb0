// The garbage collector (upstream's pkg/controller/garbagecollector garbagecollector.go): monitors
// over every deletable resource feed the ownership graph; `attemptToDelete` deletes dependents
// whose owners the API says are gone, and completes foreground deletions; `attemptToOrphan`
// strips owner references for orphaning deletes. Every decision to delete is taken on objects read
// live from the API (owners by name, checked by uid), never on the informer caches alone.
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import { isConflict, isNotFound, WorkQueue } from '../../client/index.ts';
import type { DeleteOptions } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { ControllerContext } from '../types.ts';
import { type DiscoveredResource, discover, type Discovery, resourceName } from './discovery.ts';
import {
  finalizerDeleteDependents,
  finalizerOrphan,
  Graph,
  type GraphEvent,
  type GraphNode,
  hasFinalizer,
  type Identity,
} from './graph.ts';
import { Monitors } from './monitors.ts';

export interface GarbageCollectorOptions {
  /** How often discovery is re-read for resources added or removed (upstream: 30 s). */
  readonly resyncMs?: number;
  readonly deleteWorkers?: number;
  readonly orphanWorkers?: number;
}

type Policy = NonNullable<DeleteOptions['propagationPolicy']>;

class RestMappingError extends Error {}

const maxAbsent = 10_000;

export class GarbageCollector {
  private readonly ctx: ControllerContext;
  private readonly options: GarbageCollectorOptions;
  private readonly log: Logger;
  private readonly graph = new Graph();
  private readonly monitors: Monitors;
  private readonly changes: GraphEvent[] = [];
  private wake: (() => void) | undefined;
  private readonly attemptToDelete: WorkQueue<string>;
  private readonly attemptToOrphan: WorkQueue<string>;
  /** Owners (namespace/uid) the API confirmed absent: a uid never comes back. */
  private readonly absentOwners = new Set<string>();
  /** Backoff of virtual nodes requeued until an informer observes them. */
  private readonly requeues = new Map<string, number>();
  private discovery: Discovery | undefined;

  constructor(ctx: ControllerContext, options: GarbageCollectorOptions = {}) {
    this.ctx = ctx;
    this.options = options;
    this.log = ctx.log.with({ controller: 'garbage-collector' });
    this.attemptToDelete = new WorkQueue({ name: 'garbage_collector_attempt_to_delete', clock: ctx.clock });
    this.attemptToOrphan = new WorkQueue({ name: 'garbage_collector_attempt_to_orphan', clock: ctx.clock });
    this.monitors = new Monitors(ctx.informers, (e) => this.enqueueChange(e));
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.resync(signal);
        break;
      } catch (e: unknown) {
        this.log.warn('discovery failed, retrying', { error: errorText(e) });
        await this.ctx.clock.sleep(1000, signal);
      }
    }
    if (signal.aborted) return;
    await this.monitors.waitForSync(signal);
    this.log.info('garbage collector synced', { monitors: this.monitors.size, nodes: this.graph.size });
    const resyncMs = this.options.resyncMs ?? 30_000;
    await Promise.all([
      this.processGraphChanges(signal),
      this.attemptToDelete.run(
        this.options.deleteWorkers ?? 4,
        (uid) => this.attemptToDeleteWorker(uid),
        signal,
      ),
      this.attemptToOrphan.run(
        this.options.orphanWorkers ?? 2,
        (uid) => this.attemptToOrphanWorker(uid),
        signal,
      ),
      (async () => {
        while (!signal.aborted) {
          await this.ctx.clock.sleep(resyncMs, signal);
          if (signal.aborted) break;
          await this.resync(signal).catch((e: unknown) =>
            this.log.warn('discovery failed', { error: errorText(e) }),
          );
        }
      })(),
    ]);
  }

  /** Re-reads discovery and starts monitors for new deletable resources (GetDeletableResources). */
  private async resync(signal: AbortSignal): Promise<void> {
    const d = await discover(this.ctx.client, signal);
    this.discovery = d;
    const deletable = d.preferred.filter(
      (r) =>
        ['delete', 'list', 'watch'].every((v) => r.verbs.includes(v)) &&
        // upstream's ignoredResources: events are never owners nor collected
        !(r.resource === 'events' && (r.group === '' || r.group === 'events.k8s.io')),
    );
    const changed = this.monitors.sync(deletable);
    if (changed.added.length + changed.removed.length > 0) {
      this.log.info('monitors changed', {
        added: changed.added.map(resourceName),
        removed: changed.removed.map(resourceName),
      });
    }
  }

  private enqueueChange(event: GraphEvent): void {
    this.changes.push(event);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The graph builder's single loop over the change queue (processGraphChanges). */
  private async processGraphChanges(signal: AbortSignal): Promise<void> {
    const onAbort = (): void => this.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const event = this.changes.shift();
        if (event === undefined) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const actions = this.graph.apply(event);
        for (const uid of actions.attemptToDelete) this.attemptToDelete.add(uid);
        for (const uid of actions.attemptToOrphan) this.attemptToOrphan.add(uid);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private virtualDelete(identity: Identity): void {
    this.enqueueChange({
      type: 'delete',
      virtual: true,
      apiVersion: identity.apiVersion,
      kind: identity.kind,
      obj: { metadata: { name: identity.name, namespace: identity.namespace, uid: identity.uid } },
    });
  }

  private async attemptToDeleteWorker(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (node === undefined) return;
    const outcome = await this.attemptToDeleteItem(node);
    if (outcome === 'requeue' || this.graph.get(uid)?.virtual === true) {
      // Not yet observed by an informer: look again later (upstream's requeue of virtual nodes).
      const n = this.requeues.get(uid) ?? 0;
      this.requeues.set(uid, n + 1);
      this.attemptToDelete.addAfter(uid, Math.min(500 * 2 ** n, 300_000));
    } else this.requeues.delete(uid);
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<'done' | 'requeue'> {
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const latest = await this.getObject(item.identity);
    if (latest === undefined || latest.metadata.uid !== item.identity.uid) {
      this.virtualDelete(item.identity);
      return 'done';
    }
    if (item.deletingDependents) return this.processDeletingDependents(item);
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return 'done';
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerOf(ref, item.identity);
      if (owner === 'invalid') return 'done';
      if (owner === undefined) dangling.push(ref);
      else if (
        owner.metadata.deletionTimestamp !== undefined &&
        hasFinalizer(owner, finalizerDeleteDependents)
      )
        waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return 'done';
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.log.info('removing dangling owner references', {
        item: describe(item.identity),
        owners: [...gone],
      });
      await this.patchOwnerRefs(item.identity, (rs) => rs.filter((r) => !gone.has(r.uid)));
      return 'done';
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      if ([...item.dependents].some((d) => d.deletingDependents)) {
        // A possible cycle of foreground deletions: stop blocking the owners (upstream does too).
        await this.patchOwnerRefs(item.identity, (rs) =>
          rs.map((r) => ({ ...r, blockOwnerDeletion: false })),
        );
      }
      await this.deleteObject(item.identity, 'Foreground');
      return 'done';
    }
    const policy: Policy = hasFinalizer(latest, finalizerOrphan)
      ? 'Orphan'
      : hasFinalizer(latest, finalizerDeleteDependents)
        ? 'Foreground'
        : 'Background';
    await this.deleteObject(item.identity, policy);
    return 'done';
  }

  /** An owner deleting in the foreground: once no dependent blocks it, drop its finalizer. */
  private async processDeletingDependents(item: GraphNode): Promise<'done'> {
    const blocking = this.graph.blockingDependents(item);
    if (blocking.length === 0) {
      await this.removeFinalizer(item.identity, finalizerDeleteDependents);
      return 'done';
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
    return 'done';
  }

  private async attemptToOrphanWorker(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (owner === undefined) return;
    for (const dep of [...owner.dependents]) {
      await this.patchOwnerRefs(dep.identity, (rs) => rs.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(owner.identity, finalizerOrphan);
  }

  private resourceOf(identity: Pick<Identity, 'apiVersion' | 'kind'>): DiscoveredResource {
    const r = this.discovery?.resourceFor(identity.apiVersion, identity.kind);
    if (r === undefined)
      throw new RestMappingError(`no resource for ${identity.apiVersion} ${identity.kind}`);
    return r;
  }

  /** The object named by `identity`, live from the API; undefined when it does not exist. */
  private async getObject(identity: Identity): Promise<KubeObject | undefined> {
    const r = this.resourceOf(identity);
    try {
      return await this.ctx.client
        .resource<KubeObject>(r)
        .get(identity.name, { namespace: r.namespaced ? identity.namespace : undefined });
    } catch (e: unknown) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** isDangling: the live owner, undefined when absent (or another uid), 'invalid' when unresolvable. */
  private async ownerOf(ref: OwnerReference, item: Identity): Promise<KubeObject | undefined | 'invalid'> {
    if (this.absentOwners.has(`/${ref.uid}`) || this.absentOwners.has(`${item.namespace}/${ref.uid}`))
      return undefined;
    const r = this.resourceOf(ref);
    // A cluster-scoped object cannot be owned by a namespaced one; retrying would not help.
    if (item.namespace === '' && r.namespaced) return 'invalid';
    const namespace = r.namespaced ? item.namespace : '';
    const owner = await this.getObject({ ...ref, namespace });
    if (owner === undefined || owner.metadata.uid !== ref.uid) {
      if (this.absentOwners.size >= maxAbsent) this.absentOwners.clear();
      this.absentOwners.add(`${namespace}/${ref.uid}`);
      return undefined;
    }
    return owner;
  }

  private async deleteObject(identity: Identity, policy: Policy): Promise<void> {
    const r = this.resourceOf(identity);
    this.log.info('deleting object', { object: describe(identity), propagationPolicy: policy });
    try {
      await this.ctx.client.resource(r).delete(identity.name, {
        namespace: r.namespaced ? identity.namespace : undefined,
        propagationPolicy: policy,
        preconditions: { uid: identity.uid },
      });
    } catch (e: unknown) {
      // Gone already, or a new object under the same name (the uid precondition): nothing to do.
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** Rewrites the owner references of the live object, guarded by its resourceVersion. */
  private async patchOwnerRefs(
    identity: Identity,
    change: (refs: readonly OwnerReference[]) => OwnerReference[],
  ): Promise<void> {
    await this.patchMeta(identity, (obj) => {
      const refs = obj.metadata.ownerReferences ?? [];
      const next = change(refs);
      if (JSON.stringify(next) === JSON.stringify(refs)) return undefined;
      return { ownerReferences: next.length === 0 ? null : next };
    });
  }

  private async removeFinalizer(identity: Identity, finalizer: string): Promise<void> {
    await this.patchMeta(identity, (obj) => {
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const next = finalizers.filter((f) => f !== finalizer);
      return { finalizers: next.length === 0 ? null : next };
    });
  }

  /** A JSON merge patch of metadata computed from the live object; retried on conflicts. */
  private async patchMeta(
    identity: Identity,
    change: (obj: KubeObject) => Record<string, unknown> | undefined,
  ): Promise<void> {
    const r = this.resourceOf(identity);
    const client = this.ctx.client.resource<KubeObject>(r);
    const namespace = r.namespaced ? identity.namespace : undefined;
    for (let attempt = 0; ; attempt++) {
      const obj = await this.getObject(identity);
      if (obj === undefined || obj.metadata.uid !== identity.uid) return;
      const meta = change(obj);
      if (meta === undefined) return;
      try {
        await client.patch(
          identity.name,
          { metadata: { ...meta, resourceVersion: obj.metadata.resourceVersion } },
          { type: 'merge', namespace },
        );
        return;
      } catch (e: unknown) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= 4) throw e;
      }
    }
  }
}

function describe(identity: Identity): string {
  const name = identity.namespace === '' ? identity.name : `${identity.namespace}/${identity.name}`;
  return `${identity.kind} ${name} (${identity.uid})`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
