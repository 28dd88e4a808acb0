// The ControllerRef manager (pkg/controller/controller_ref_manager.go): an owner claims the objects
// its selector matches. An orphan that matches is adopted (a patch adding a controller
// ownerReference), an owned object that stops matching is released (a patch removing it), and an
// object another controller owns is left alone.
import type { Selector } from '../../api/labels.ts';
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import { isNotFound, type ResourceClient, type SharedInformer } from '../../client/index.ts';
import type { Logger } from '../../log.ts';

/** metav1.GetControllerOf: the ownerReference with controller: true. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The group/version and kind a controller writes into the references it sets. */
export interface ControllerKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KubeObject, kind: ControllerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface ControllerRefManagerOptions<T extends KubeObject> {
  /** The owner doing the claiming, as read from the cache. */
  readonly owner: KubeObject;
  readonly kind: ControllerKind;
  readonly selector: Selector;
  /** The children's resource client (pods, replicasets…). */
  readonly children: ResourceClient<T>;
  /**
   * Throws when the owner may not adopt (RecheckDeletionTimestamp: re-read it from the API and check
   * that it is the same object and not being deleted). Called at most once per manager.
   */
  readonly canAdopt: () => Promise<void>;
  readonly log?: Logger;
}

/** BaseControllerRefManager + PodControllerRefManager / ReplicaSetControllerRefManager. */
export class ControllerRefManager<T extends KubeObject> {
  private readonly o: ControllerRefManagerOptions<T>;
  private adoptCheck: Promise<void> | undefined;

  constructor(options: ControllerRefManagerOptions<T>) {
    this.o = options;
  }

  /**
   * ClaimObjects: returns the objects this owner now owns (already owned and matching, or just
   * adopted). Objects that vanish meanwhile are skipped; other errors are thrown after trying all.
   */
  async claim(objs: readonly T[], extraMatch?: (obj: T) => boolean): Promise<T[]> {
    const claimed: T[] = [];
    const errors: unknown[] = [];
    const match = (obj: T): boolean =>
      this.o.selector.matches(obj.metadata.labels) && (extraMatch === undefined || extraMatch(obj));
    for (const obj of objs) {
      try {
        const owned = await this.claimOne(obj, match);
        if (owned !== undefined) claimed.push(owned);
      } catch (e: unknown) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  /** ClaimObject */
  private async claimOne(obj: T, match: (obj: T) => boolean): Promise<T | undefined> {
    const owner = this.o.owner;
    const ref = controllerOf(obj);
    if (ref !== undefined) {
      if (ref.uid !== owner.metadata.uid) return undefined;
      if (match(obj)) return obj;
      // Owned by us but the selector no longer matches: release, unless we are being deleted.
      if (owner.metadata.deletionTimestamp !== undefined) return undefined;
      await this.ignoreNotFound(this.release(obj));
      return undefined;
    }
    // An orphan: adopt it if we are alive, it matches, it is alive and in our namespace.
    if (owner.metadata.deletionTimestamp !== undefined || !match(obj)) return undefined;
    if (obj.metadata.deletionTimestamp !== undefined) return undefined;
    if ((owner.metadata.namespace ?? '') !== '' && owner.metadata.namespace !== obj.metadata.namespace)
      return undefined;
    const adopted = await this.ignoreNotFound(this.adopt(obj));
    return adopted === undefined ? undefined : (adopted as T);
  }

  private async adopt(obj: T): Promise<T> {
    this.adoptCheck ??= this.o.canAdopt();
    await this.adoptCheck;
    this.o.log?.info('adopting', { object: key(obj), owner: key(this.o.owner), kind: this.o.kind.kind });
    const patch = {
      metadata: {
        ownerReferences: [newControllerRef(this.o.owner, this.o.kind)],
        uid: obj.metadata.uid,
      },
    };
    return this.o.children.patch(obj.metadata.name ?? '', patch, {
      type: 'strategic',
      namespace: obj.metadata.namespace,
    });
  }

  private async release(obj: T): Promise<T> {
    this.o.log?.info('releasing', { object: key(obj), owner: key(this.o.owner), kind: this.o.kind.kind });
    const patch = {
      metadata: {
        ownerReferences: [{ $patch: 'delete', uid: this.o.owner.metadata.uid }],
        uid: obj.metadata.uid,
      },
    };
    return this.o.children.patch(obj.metadata.name ?? '', patch, {
      type: 'strategic',
      namespace: obj.metadata.namespace,
    });
  }

  private async ignoreNotFound<R>(p: Promise<R>): Promise<R | undefined> {
    try {
      return await p;
    } catch (e: unknown) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}

/**
 * RecheckDeletionTimestamp: re-reads the owner (uncached) before the first adoption, so a stale
 * cache never lets a deleted or re-created owner adopt.
 */
export function recheckDeletionTimestamp(
  get: () => Promise<KubeObject>,
  owner: KubeObject,
): () => Promise<void> {
  return async () => {
    const fresh = await get();
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(
        `original ${key(owner)} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${owner.metadata.uid ?? ''}`,
      );
    }
    if (fresh.metadata.deletionTimestamp !== undefined) {
      throw new Error(`${key(owner)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}

function key(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** An informer index of objects by the UID of their controller, orphans under `orphan/<namespace>`. */
export const controllerUidIndex = 'controller-uid';

function controllerUidKeys(obj: KubeObject): string[] {
  const ref = controllerOf(obj);
  return [ref !== undefined ? ref.uid : `orphan/${obj.metadata.namespace ?? ''}`];
}

/** Adds the controller-UID index to a (shared) informer, once. */
export function withControllerIndex<T extends KubeObject>(informer: SharedInformer<T>): SharedInformer<T> {
  if (!informer.indexer.hasIndex(controllerUidIndex)) {
    informer.indexer.addIndexers({ [controllerUidIndex]: controllerUidKeys });
  }
  return informer;
}

/**
 * What ClaimObjects needs to look at: the objects `owner` controls and the orphans of its namespace.
 * Objects another controller owns are never claimed, so a sync does not scan the whole namespace.
 */
export function claimCandidates<T extends KubeObject>(informer: SharedInformer<T>, owner: KubeObject): T[] {
  return [
    ...informer.indexer.byIndex(controllerUidIndex, owner.metadata.uid ?? ''),
    ...informer.indexer.byIndex(controllerUidIndex, `orphan/${owner.metadata.namespace ?? ''}`),
  ];
}
