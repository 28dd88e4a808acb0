// updateStatefulSet (pkg/controller/statefulset/stateful_set_control.go): converge the pods of one
// StatefulSet given its current and update revisions.
//
//   replicas[ordinal - start] (missing ones made at the revision the partition says), condemned
//   (ordinals out of range, highest first)
//   ├─ each replica in order: replace Failed/Succeeded, create (claims first), wait for Running +
//   │   Ready (+ available) before the next when OrderedReady, fix identity / storage / claim owners
//   ├─ each condemned pod, highest ordinal first: delete, one at a time when OrderedReady
//   └─ RollingUpdate: delete the highest-ordinal pods ≥ partition not at the update revision,
//      at most maxUnavailable unhealthy at once (OnDelete: pods change only when deleted by hand)
import type { Pod, PodTemplateSpec } from '../framework/index.ts';
import {
  allowsBurst,
  claimOwners,
  identityMatches,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  maxUnavailable,
  newVersionedPod,
  ordinalOf,
  podInOrdinalRange,
  podRevision,
  startOrdinal,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './identity.ts';
import type { StatefulSet, StatefulSetStatus } from './types.ts';

/** StatefulPodControl: the writes, with their events. */
export interface StatefulPodOps {
  /** CreateStatefulPod: the pod's claims first, then the pod. */
  createPod(set: StatefulSet, pod: Pod): Promise<void>;
  deletePod(set: StatefulSet, pod: Pod): Promise<void>;
  /** UpdateStatefulPod: identity and storage restored, missing claims created. */
  updatePod(set: StatefulSet, pod: Pod): Promise<void>;
  /** createMissingPersistentVolumeClaims */
  createMissingClaims(set: StatefulSet, pod: Pod): Promise<void>;
  /** ClaimsMatchRetentionPolicy / UpdatePodClaimForRetentionPolicy: false when claims were fixed. */
  fixClaimOwners(set: StatefulSet, pod: Pod): Promise<void>;
}

export interface Revisions {
  readonly currentRevision: string;
  readonly updateRevision: string;
  readonly currentTemplate: PodTemplateSpec | undefined;
  readonly updateTemplate: PodTemplateSpec | undefined;
}

/** computeReplicaStatus */
export function replicaStatus(
  pods: readonly Pod[],
  minReadySeconds: number,
  rev: { currentRevision: string; updateRevision: string },
  nowMs: number,
): Required<
  Pick<
    StatefulSetStatus,
    'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'
  >
> {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) s.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (podRevision(pod) === rev.currentRevision) s.currentReplicas++;
      if (podRevision(pod) === rev.updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/** Splits pods into the replicas slots (filled with new pods where missing) and the condemned. */
export function partitionPods(
  set: StatefulSet,
  pods: readonly Pod[],
  rev: Revisions,
): { replicas: Pod[]; condemned: Pod[] } {
  const start = startOrdinal(set);
  const count = set.spec.replicas ?? 1;
  const replicas: (Pod | undefined)[] = new Array<Pod | undefined>(count).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  const filled = replicas.map((p, i) => p ?? newVersionedPod({ set, ...rev, ordinal: start + i }));
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  return { replicas: filled, condemned };
}

/** runForAll: in order stopping at the first `true` (monotonic), or all at once (burst). */
async function runForAll(
  pods: readonly Pod[],
  fn: (pod: Pod) => Promise<boolean>,
  monotonic: boolean,
): Promise<boolean> {
  if (monotonic) {
    for (const pod of pods) if (await fn(pod)) return true;
    return false;
  }
  const results = await Promise.allSettled(pods.map(fn));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return false;
}

export async function updateStatefulSet(o: {
  set: StatefulSet;
  pods: readonly Pod[];
  rev: Revisions;
  ops: StatefulPodOps;
  nowMs: number;
}): Promise<ReturnType<typeof replicaStatus>> {
  const { set, rev, ops } = o;
  const minReady = set.spec.minReadySeconds ?? 0;
  const status = replicaStatus(o.pods, minReady, rev, o.nowMs);
  const { replicas, condemned } = partitionPods(set, o.pods, rev);
  if (set.metadata.deletionTimestamp !== undefined) return status;
  const monotonic = !allowsBurst(set);
  const unhealthy = [...replicas, ...condemned].find((p) => !isHealthy(p));
  const countDeleted = (pod: Pod): void => {
    if (podRevision(pod) === rev.currentRevision) status.currentReplicas--;
    if (podRevision(pod) === rev.updateRevision) status.updatedReplicas--;
  };

  const processReplica = async (replica: Pod): Promise<boolean> => {
    // Failed or Succeeded: delete it; the next sync makes it again once it is gone.
    if (isFailed(replica) || isSucceeded(replica)) {
      if (!isTerminating(replica)) {
        await ops.deletePod(set, replica);
        countDeleted(replica);
        status.replicas--;
      }
      return true;
    }
    if (!isCreated(replica)) {
      await ops.createPod(set, replica);
      status.replicas++;
      if (podRevision(replica) === rev.currentRevision) status.currentReplicas++;
      if (podRevision(replica) === rev.updateRevision) status.updatedReplicas++;
      return monotonic;
    }
    if (isPending(replica)) await ops.createMissingClaims(set, replica);
    if (isTerminating(replica) && monotonic) return true;
    if (!isRunningAndReady(replica) && monotonic) return true;
    if (!isRunningAndAvailable(replica, minReady, o.nowMs) && monotonic) return true;
    if (!identityMatches(set, replica) || !storageMatches(set, replica)) {
      const fixed = structuredClone(replica);
      updateIdentity(set, fixed);
      updateStorage(set, fixed);
      await ops.updatePod(set, fixed);
    }
    await ops.fixClaimOwners(set, replica);
    return false;
  };
  if (await runForAll(replicas, processReplica, monotonic)) return status;

  // Claims of scaled-down pods pass to the pods (whenScaled: Delete) before the pods go.
  for (const pod of condemned) if (claimOwners(set, pod).pod) await ops.fixClaimOwners(set, pod);

  const processCondemned = async (pod: Pod): Promise<boolean> => {
    if (isTerminating(pod)) return monotonic;
    if (monotonic && pod !== unhealthy) {
      if (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, o.nowMs)) return true;
    }
    await ops.deletePod(set, pod);
    countDeleted(pod);
    return monotonic;
  };
  if (await runForAll(condemned, processCondemned, monotonic)) return status;

  if (set.spec.updateStrategy?.type === 'OnDelete') return status;
  const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  const updateMin = partition;
  if (set.spec.updateStrategy?.rollingUpdate?.maxUnavailable === undefined) {
    // The classic rolling update: one pod at a time, highest ordinal first.
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== rev.updateRevision && !isTerminating(pod)) {
        await ops.deletePod(set, pod);
        countDeleted(pod);
        return status;
      }
      if (!isHealthy(pod)) return status;
    }
    return status;
  }
  // updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet).
  const budget = maxUnavailable(set);
  const unavailable = replicas.filter((p) => !isHealthy(p)).length;
  if (unavailable >= budget) return status;
  let toDelete = budget - unavailable;
  for (let target = replicas.length - 1; target >= updateMin && toDelete > 0; target--) {
    const pod = replicas[target]!;
    if (podRevision(pod) !== rev.updateRevision && !isTerminating(pod)) {
      await ops.deletePod(set, pod);
      countDeleted(pod);
      toDelete--;
    }
  }
  return status;
}
