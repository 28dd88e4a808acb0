// The two strategies (pkg/controller/deployment/rolling.go and recreate.go).
//
// RollingUpdate: grow the new set while the total stays ≤ replicas + maxSurge, shrink old sets while
// the available pods stay ≥ replicas − maxUnavailable (unhealthy old pods go first).
// Recreate: scale every old set to 0, wait for their pods to be gone, then scale the new set up.
import type { Deployment, Pod, ReplicaSet } from '../framework/index.ts';
import type { SyncEnv } from './env.ts';
import { syncRolloutStatus } from './progress.ts';
import { deploymentComplete } from './status.ts';
import { cleanupDeployment, newAndOldReplicaSets, scaleAndRecord } from './sync.ts';
import {
  actualReplicaSum,
  activeReplicaSets,
  availableReplicaSum,
  byCreation,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  rsReplicas,
  specReplicaSum,
} from './util.ts';

/** rolloutRolling */
export async function rolloutRolling(env: SyncEnv, d: Deployment, rss: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, true);
  if (newRS === undefined) throw new Error('new replica set was not created');
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(env, all, newRS, d)) return syncRolloutStatus(env, all, newRS, d);
  if (await reconcileOldReplicaSets(env, all, activeReplicaSets(oldRSs), newRS, d))
    return syncRolloutStatus(env, all, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(env, oldRSs, d);
  return syncRolloutStatus(env, all, newRS, d);
}

/** reconcileNewReplicaSet: true when the new set was scaled. */
async function reconcileNewReplicaSet(
  env: SyncEnv,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  const replicas = replicasOf(d);
  if (rsReplicas(newRS) === replicas) return false;
  if (rsReplicas(newRS) > replicas) return (await scaleAndRecord(env, newRS, replicas, d)).scaled;
  return (await scaleAndRecord(env, newRS, newRSNewReplicas(d, all, newRS), d)).scaled;
}

/** The rolling-update scale-down arithmetic, pure for tests. */
export function maxScaledDown(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  return specReplicaSum(all) - minAvailable - newUnavailable;
}

/** reconcileOldReplicaSets: true when any old set was scaled down. */
async function reconcileOldReplicaSets(
  env: SyncEnv,
  all: readonly ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  if (specReplicaSum(oldRSs) === 0) return false;
  const max = maxScaledDown(d, all, newRS);
  if (max <= 0) return false;
  // Unhealthy old pods go first: they cost no availability.
  const { sets, count: cleaned } = await cleanupUnhealthyReplicas(env, oldRSs, d, max);
  const scaled = await scaleDownOldForRollingUpdate(env, [...sets, newRS], sets, d);
  return cleaned + scaled > 0;
}

/** cleanupUnhealthyReplicas: scale old sets down by their unavailable pods, oldest first. */
async function cleanupUnhealthyReplicas(
  env: SyncEnv,
  oldRSs: ReplicaSet[],
  d: Deployment,
  maxCleanup: number,
): Promise<{ sets: ReplicaSet[]; count: number }> {
  const sets = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sets.length; i++) {
    const rs = sets[i]!;
    if (total >= maxCleanup) break;
    const available = rs.status?.availableReplicas ?? 0;
    if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
    const down = Math.min(maxCleanup - total, rsReplicas(rs) - available);
    const { rs: updated } = await scaleAndRecord(env, rs, rsReplicas(rs) - down, d);
    total += down;
    sets[i] = updated;
  }
  return { sets, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: remove available old pods down to minAvailable. */
async function scaleDownOldForRollingUpdate(
  env: SyncEnv,
  all: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
  d: Deployment,
): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicaSum(all);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), target - total);
    await scaleAndRecord(env, rs, rsReplicas(rs) - down, d);
    total += down;
  }
  return total;
}

/** rolloutRecreate */
export async function rolloutRecreate(
  env: SyncEnv,
  d: Deployment,
  rss: readonly ReplicaSet[],
  podsBySet: ReadonlyMap<string, readonly Pod[]>,
): Promise<void> {
  let { newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, false);
  let all = newRS === undefined ? oldRSs : [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs))
    if ((await scaleAndRecord(env, rs, 0, d)).scaled) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(env, all, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podsBySet)) return syncRolloutStatus(env, all, newRS, d);
  if (newRS === undefined) {
    ({ newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, true));
    if (newRS === undefined) throw new Error('new replica set was not created');
    all = [...oldRSs, newRS];
  }
  await scaleAndRecord(env, newRS, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(env, oldRSs, d);
  return syncRolloutStatus(env, all, newRS, d);
}

/** oldPodsRunning: any old set still reports pods, or any non-terminal pod of an old set exists. */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
  podsBySet: ReadonlyMap<string, readonly Pod[]>,
): boolean {
  if (actualReplicaSum(oldRSs) > 0) return true;
  for (const [uid, pods] of podsBySet) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
