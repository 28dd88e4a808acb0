// The ownership graph (upstream's pkg/controller/garbagecollector graph.go + graph_builder.go
// processGraphChanges): one node per object uid seen by any monitor, edges from owner to
// dependents. An owner referenced before it is observed is a "virtual" node that the collector
// must verify against the API. Applying an event says which nodes the collector should look at:
// `attemptToDelete` (dependents of a vanished owner, owners waiting on dependents, virtual nodes)
// and `attemptToOrphan` (owners deleted with the orphan finalizer). Pure data: no I/O.
import type { KubeObject, OwnerReference } from '../../api/meta.ts';

export const finalizerOrphan = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

/** objectReference: an owner reference's coordinates plus the namespace. */
export interface Identity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
}

export interface GraphNode {
  identity: Identity;
  owners: readonly OwnerReference[];
  readonly dependents: Set<GraphNode>;
  /** Referenced as an owner but not yet observed through an informer. */
  virtual: boolean;
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;
}

export interface GraphEvent {
  readonly type: 'add' | 'update' | 'delete';
  /** The monitor's apiVersion and kind (list items may not carry their own). */
  readonly apiVersion: string;
  readonly kind: string;
  readonly obj: KubeObject;
  readonly oldObj?: KubeObject;
  /** A delete the collector made up after the API said the object is absent (virtual delete). */
  readonly virtual?: boolean;
}

export interface GraphActions {
  readonly attemptToDelete: Set<string>;
  readonly attemptToOrphan: Set<string>;
}

export function identityOf(e: Pick<GraphEvent, 'apiVersion' | 'kind' | 'obj'>): Identity {
  return {
    apiVersion: e.apiVersion,
    kind: e.kind,
    name: e.obj.metadata.name ?? '',
    uid: e.obj.metadata.uid ?? '',
    namespace: e.obj.metadata.namespace ?? '',
  };
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.apiVersion === b.apiVersion &&
    a.namespace === b.namespace
  );
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

function beingDeleted(obj: KubeObject | undefined): boolean {
  return obj?.metadata.deletionTimestamp !== undefined;
}

/** Deleted with `finalizer` now, and was not before (startsWaitingForDependents*). */
function startsWaiting(oldObj: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  return oldObj === undefined || !beingDeleted(oldObj) || !hasFinalizer(oldObj, finalizer);
}

/** referencesDiffs: owner references added, removed, or changed (same uid, other fields). */
export function referencesDiffs(
  old: readonly OwnerReference[],
  next: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: OwnerReference[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const nextByUid = new Map(next.map((r) => [r.uid, r]));
  const added = next.filter((r) => !oldByUid.has(r.uid));
  const removed = old.filter((r) => !nextByUid.has(r.uid));
  const changed = next.filter((r) => {
    const o = oldByUid.get(r.uid);
    return o !== undefined && JSON.stringify(o) !== JSON.stringify(r);
  });
  return { added, removed, changed };
}

export class Graph {
  private readonly nodes = new Map<string, GraphNode>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Dependents whose reference to `node` blocks its deletion (node.blockingDependents). */
  blockingDependents(node: GraphNode): GraphNode[] {
    return [...node.dependents].filter((d) =>
      d.owners.some((r) => r.uid === node.identity.uid && r.blockOwnerDeletion === true),
    );
  }

  /** Applies one informer (or virtual) event; returns the nodes the collector should process. */
  apply(event: GraphEvent): GraphActions {
    const actions: GraphActions = { attemptToDelete: new Set(), attemptToOrphan: new Set() };
    const obj = event.obj;
    const uid = obj.metadata.uid ?? '';
    if (uid === '') return actions;
    const identity = identityOf(event);
    let existing = this.nodes.get(uid);
    if (existing !== undefined && !event.virtual && existing.virtual) {
      // First sight of an owner that was only referenced: dependents that named it by other
      // coordinates may hold a bad reference, so they are checked again.
      if (!sameIdentity(existing.identity, identity)) {
        for (const dep of existing.dependents) actions.attemptToDelete.add(dep.identity.uid);
        existing.identity = identity;
      }
      existing.virtual = false;
    }
    if (event.type === 'delete') {
      if (existing === undefined) return actions;
      if (event.virtual && !existing.virtual && !sameIdentity(existing.identity, identity)) {
        // The object exists under the coordinates we observed; only the dependents that named it
        // otherwise are dangling.
        for (const dep of existing.dependents) actions.attemptToDelete.add(dep.identity.uid);
        return actions;
      }
      this.removeNode(existing);
      for (const dep of existing.dependents) actions.attemptToDelete.add(dep.identity.uid);
      for (const owner of existing.owners) {
        const ownerNode = this.nodes.get(owner.uid);
        if (ownerNode?.deletingDependents) actions.attemptToDelete.add(owner.uid);
      }
      return actions;
    }
    const owners = obj.metadata.ownerReferences ?? [];
    if (existing === undefined) {
      existing = {
        identity,
        owners,
        dependents: new Set(),
        virtual: false,
        beingDeleted: beingDeleted(obj),
        deletingDependents: beingDeleted(obj) && hasFinalizer(obj, finalizerDeleteDependents),
      };
      this.nodes.set(uid, existing);
      this.addDependentToOwners(existing, owners, actions);
    } else {
      const { added, removed, changed } = referencesDiffs(existing.owners, owners);
      if (added.length + removed.length + changed.length > 0) {
        // addUnblockedOwnersToDeleteQueue: an owner waiting on this dependent no longer has to.
        for (const ref of [...removed, ...changed]) {
          const ownerNode = this.nodes.get(ref.uid);
          if (ownerNode?.deletingDependents !== true) continue;
          const now = owners.find((r) => r.uid === ref.uid);
          if (ref.blockOwnerDeletion === true && now?.blockOwnerDeletion !== true) {
            actions.attemptToDelete.add(ref.uid);
          }
        }
        existing.owners = owners;
        this.addDependentToOwners(existing, added, actions);
        for (const ref of removed) this.nodes.get(ref.uid)?.dependents.delete(existing);
      }
      if (beingDeleted(obj)) existing.beingDeleted = true;
    }
    // processTransitions
    if (startsWaiting(event.oldObj, obj, finalizerOrphan)) {
      actions.attemptToOrphan.add(uid);
    } else if (
      startsWaiting(event.oldObj, obj, finalizerDeleteDependents) ||
      this.missedForeground(existing, obj)
    ) {
      existing.deletingDependents = true;
      for (const dep of existing.dependents) actions.attemptToDelete.add(dep.identity.uid);
      actions.attemptToDelete.add(uid);
    }
    return actions;
  }

  // A node first seen virtual and then observed already deleting in the foreground.
  private missedForeground(node: GraphNode, obj: KubeObject): boolean {
    return !node.deletingDependents && beingDeleted(obj) && hasFinalizer(obj, finalizerDeleteDependents);
  }

  private addDependentToOwners(
    node: GraphNode,
    owners: readonly OwnerReference[],
    actions: GraphActions,
  ): void {
    for (const ref of owners) {
      let ownerNode = this.nodes.get(ref.uid);
      if (ownerNode === undefined) {
        // A virtual owner: the collector asks the API whether it exists.
        ownerNode = {
          identity: {
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            name: ref.name,
            uid: ref.uid,
            namespace: node.identity.namespace,
          },
          owners: [],
          dependents: new Set(),
          virtual: true,
          beingDeleted: false,
          deletingDependents: false,
        };
        this.nodes.set(ref.uid, ownerNode);
        actions.attemptToDelete.add(ref.uid);
      }
      ownerNode.dependents.add(node);
    }
  }

  private removeNode(node: GraphNode): void {
    this.nodes.delete(node.identity.uid);
    for (const ref of node.owners) this.nodes.get(ref.uid)?.dependents.delete(node);
  }
}
