// realHistory (pkg/controller/history/controller_history.go): listing an owner's revisions through
// the shared cache (adopting orphans that match and releasing ones that stop matching, as
// ControllerRevisionControllerRefManager), creating with hash-collision probing, renumbering and
// deleting; plus the truncation both controllers apply to keep revisionHistoryLimit revisions.
import type { Selector } from '../../api/labels.ts';
import type { KubeObject } from '../../api/meta.ts';
import { isAlreadyExists, isNotFound, type ResourceClient, type SharedInformer } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import { type ControllerKind, ControllerRefManager } from '../framework/index.ts';
import {
  type ControllerRevision,
  controllerRevisionName,
  hashControllerRevision,
  stableJson,
} from './revision.ts';

export interface ControllerHistoryOptions {
  readonly client: ResourceClient<ControllerRevision>;
  readonly informer: SharedInformer<ControllerRevision>;
  readonly kind: ControllerKind;
  readonly log?: Logger;
}

export class ControllerHistory {
  private readonly o: ControllerHistoryOptions;

  constructor(options: ControllerHistoryOptions) {
    this.o = options;
  }

  /** ListControllerRevisions + ClaimControllerRevisions: the owner's revisions, claimed. */
  async list(
    owner: KubeObject,
    selector: Selector,
    canAdopt: () => Promise<void>,
  ): Promise<ControllerRevision[]> {
    const all = this.o.informer.lister.namespace(owner.metadata.namespace ?? '').list();
    const manager = new ControllerRefManager<ControllerRevision>({
      owner,
      kind: this.o.kind,
      selector,
      children: this.o.client,
      canAdopt,
      log: this.o.log,
    });
    return manager.claim(all);
  }

  /**
   * CreateControllerRevision: names the revision by its hash and `collision.count`; a name taken by
   * different data counts a collision and tries again; taken by the same data returns that one.
   */
  async create(
    parent: KubeObject,
    revision: ControllerRevision,
    collision: { count: number },
  ): Promise<ControllerRevision> {
    const namespace = parent.metadata.namespace;
    for (;;) {
      const hash = hashControllerRevision(revision.data, collision.count);
      const clone = structuredClone(revision);
      clone.metadata.name = controllerRevisionName(parent.metadata.name ?? '', hash);
      clone.metadata.labels = { ...clone.metadata.labels, 'controller-revision-hash': hash };
      try {
        return await this.o.client.create(clone, { namespace });
      } catch (e: unknown) {
        if (!isAlreadyExists(e)) throw e;
        const exists = await this.o.client.get(clone.metadata.name, { namespace });
        if (stableJson(exists.data) === stableJson(clone.data)) return exists;
        collision.count++;
      }
    }
  }

  /** UpdateControllerRevision: only the revision number changes (data is immutable). */
  async updateRevision(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    if (rev.revision === revision) return rev;
    let current = rev;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.client.update(
          { ...structuredClone(current), revision },
          { namespace: rev.metadata.namespace },
        );
      } catch (e: unknown) {
        if (attempt >= 2 || isNotFound(e)) throw e;
        current = await this.o.client.get(rev.metadata.name ?? '', { namespace: rev.metadata.namespace });
      }
    }
  }

  /** Relabels a revision (DaemonSet histories written before the hash label existed). */
  async update(rev: ControllerRevision): Promise<ControllerRevision> {
    return this.o.client.update(rev, { namespace: rev.metadata.namespace });
  }

  async delete(rev: ControllerRevision): Promise<void> {
    try {
      await this.o.client.delete(rev.metadata.name ?? '', { namespace: rev.metadata.namespace });
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/**
 * truncateHistory / cleanupHistory: of the revisions (sorted oldest first) that no live pod and
 * neither the current nor the update revision use, delete the oldest beyond `limit`.
 */
export function revisionsToTruncate<R extends ControllerRevision>(
  sorted: readonly R[],
  live: ReadonlySet<string>,
  limit: number,
): R[] {
  const history = sorted.filter((r) => !live.has(r.metadata.name ?? ''));
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}
