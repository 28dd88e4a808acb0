// Finding and creating ReplicaSets, scaling and cleaning them up, and writing status
// (pkg/controller/deployment/sync.go).
import { isAlreadyExists } from '../../client/index.ts';
import { controllerOf, newControllerRef, setCondition } from '../framework/index.ts';
import type { Deployment, ReplicaSet } from '../framework/index.ts';
import { equalIgnoreHash, replicasAnnotationsNeedUpdate, setDeploymentRevision } from './annotations.ts';
import { setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.ts';
import { deploymentKind, recordEvent, type SyncEnv, updateDeploymentStatus } from './env.ts';
import { computeHash } from './hash.ts';
import { calculateStatus, hasProgressDeadline, newCondition, reasons } from './status.ts';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  desiredReplicasOf,
  findActiveOrLatest,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  newRSNewReplicas,
  podTemplateHashLabel,
  proportionalSizes,
  replicasOf,
  revisionAnnotation,
  rsReplicas,
} from './util.ts';

/** FindNewReplicaSet: the oldest set whose template equals the deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** getAllReplicaSetsAndSyncRevision: the new set (created if asked) and all the others. */
export async function newAndOldReplicaSets(
  env: SyncEnv,
  d: Deployment,
  rss: readonly ReplicaSet[],
  create: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const found = findNewReplicaSet(d, rss);
  const oldRSs = rss.filter((rs) => rs !== found);
  const newRS = await getNewReplicaSet(env, d, rss, oldRSs, create);
  return { newRS, oldRSs };
}

/** getNewReplicaSet: syncs the existing new set's annotations, or creates it. */
async function getNewReplicaSet(
  env: SyncEnv,
  d: Deployment,
  rss: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
  create: boolean,
): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rss);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const now = env.now();
  if (existing !== undefined) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReadyNeedsUpdate = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadyNeedsUpdate) {
      copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return env.replicaSets.update(copy, { namespace: copy.metadata.namespace });
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[revisionAnnotation] ?? '');
    d.status ??= {};
    const cond = d.status.conditions?.find((c) => c.type === 'Progressing');
    if (hasProgressDeadline(d) && cond === undefined) {
      const msg = `Found new replica set "${copy.metadata.name ?? ''}"`;
      setCondition(d.status, newCondition('Progressing', 'True', reasons.foundNewRS, msg, now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(env, d);
    return copy;
  }
  if (!create) return undefined;

  const template = structuredClone(d.spec.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata ??= {};
  template.metadata.labels = { ...template.metadata.labels, [podTemplateHashLabel]: hash };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
  const name = `${d.metadata.name ?? ''}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, deploymentKind)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const newReplicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = newReplicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await env.replicaSets.create(rs, { namespace: d.metadata.namespace });
  } catch (e: unknown) {
    if (isAlreadyExists(e)) {
      // Ours from an earlier sync whose create the cache has not seen yet: use it. Otherwise a hash
      // collision: bump collisionCount so the next sync picks another name.
      const other = env.rsLister.get(d.metadata.namespace ?? '', name);
      if (
        other !== undefined &&
        controllerOf(other)?.uid === d.metadata.uid &&
        equalIgnoreHash(d.spec.template, other.spec.template)
      ) {
        created = other;
        alreadyExists = true;
      } else {
        d.status ??= {};
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
        try {
          await updateDeploymentStatus(env, d);
          env.log.info('found a hash collision, bumped collisionCount', {
            deployment: `${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`,
            collisionCount: d.status.collisionCount,
          });
        } catch {
          // The requeue below retries.
        }
        throw e;
      }
    } else {
      const msg = `Failed to create new replica set "${name}": ${e instanceof Error ? e.message : String(e)}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition('Progressing', 'False', reasons.failedRSCreate, msg, now));
        await updateDeploymentStatus(env, d).catch(() => undefined);
      }
      recordEvent(env, d, 'Warning', reasons.failedRSCreate, msg);
      throw e;
    }
  }
  const createdName = created.metadata.name ?? '';
  if (!alreadyExists && newReplicas > 0) {
    recordEvent(
      env,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${createdName} from 0 to ${newReplicas}`,
    );
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {};
    const msg = `Created new replica set "${createdName}"`;
    setCondition(d.status, newCondition('Progressing', 'True', reasons.newRSCreated, msg, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(env, d);
  return created;
}

/** scaleReplicaSet: writes the size and replica annotations; records ScalingReplicaSet. */
export async function scaleReplicaSet(
  env: SyncEnv,
  rs: ReplicaSet,
  size: number,
  d: Deployment,
  operation: string,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const sizeChanged = rsReplicas(rs) !== size;
  const desired = replicasOf(d);
  const max = desired + maxSurge(d);
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const oldSize = rsReplicas(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = size;
  setReplicasAnnotations(copy, desired, max);
  const updated = await env.replicaSets.update(copy, { namespace: copy.metadata.namespace });
  if (sizeChanged) {
    recordEvent(
      env,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${operation} replica set ${updated.metadata.name ?? ''} from ${oldSize} to ${size}`,
    );
  }
  return { scaled: sizeChanged, rs: updated };
}

/** scaleReplicaSetAndRecordEvent */
export async function scaleAndRecord(
  env: SyncEnv,
  rs: ReplicaSet,
  size: number,
  d: Deployment,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === size) return { scaled: false, rs };
  return scaleReplicaSet(env, rs, size, d, rsReplicas(rs) > size ? 'down' : 'up');
}

/** isScalingEvent: an active set's desired-replicas annotation differs from the deployment's size. */
export async function isScalingEvent(
  env: SyncEnv,
  d: Deployment,
  rss: readonly ReplicaSet[],
): Promise<boolean> {
  const { newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasOf(rs);
    return desired !== undefined && desired !== replicasOf(d);
  });
}

/** DeploymentController.scale: resize for a changed spec.replicas, proportionally mid-rollout. */
export async function scale(
  env: SyncEnv,
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): Promise<void> {
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only !== undefined) {
    if (rsReplicas(only) !== replicasOf(d)) await scaleAndRecord(env, only, replicasOf(d), d);
    return;
  }
  // A saturated new set: the old ones go to zero (e.g. after adopting a saturated set).
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleAndRecord(env, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const active = activeReplicaSets([...oldRSs, newRS]);
  const sizes = proportionalSizes(d, active);
  const total = sizes.reduce((n, s) => n + s.size, 0) - active.reduce((n, rs) => n + rsReplicas(rs), 0);
  const operation = total > 0 ? 'up' : total < 0 ? 'down' : '';
  for (const { rs, size } of sizes) await scaleReplicaSet(env, rs, size, d, operation);
}

/** cleanupDeployment: deletes the oldest scaled-down sets beyond revisionHistoryLimit. */
export async function cleanupDeployment(
  env: SyncEnv,
  oldRSs: readonly ReplicaSet[],
  d: Deployment,
): Promise<void> {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    // Never a set that still has pods, or whose latest spec its controller has not seen.
    if (
      (rs.status?.replicas ?? 0) !== 0 ||
      rsReplicas(rs) !== 0 ||
      (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)
    )
      continue;
    env.log.info('deleting old replica set', {
      replicaSet: `${rs.metadata.namespace ?? ''}/${rs.metadata.name ?? ''}`,
    });
    try {
      await env.replicaSets.delete(rs.metadata.name ?? '', { namespace: rs.metadata.namespace });
    } catch (e: unknown) {
      if ((e as { reason?: string }).reason !== 'NotFound') throw e;
    }
  }
}

/** syncDeploymentStatus: write calculateStatus when it differs. */
export async function syncDeploymentStatus(
  env: SyncEnv,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<void> {
  const status = calculateStatus(all, newRS, d, env.now());
  if (JSON.stringify(status) === JSON.stringify(d.status ?? {})) return;
  d.status = status;
  await updateDeploymentStatus(env, d);
}

/** sync: scaling and paused deployments — resize, clean up when paused, write status. */
export async function syncScaleOnly(env: SyncEnv, d: Deployment, rss: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await newAndOldReplicaSets(env, d, rss, false);
  await scale(env, d, newRS, oldRSs);
  if (d.spec.paused === true) await cleanupDeployment(env, oldRSs, d);
  const all = newRS === undefined ? oldRSs : [...oldRSs, newRS];
  await syncDeploymentStatus(env, all, newRS, d);
}

/** checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
export async function checkPausedConditions(env: SyncEnv, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (cond?.reason === reasons.timedOut) return;
  const pausedCondExists = cond?.reason === reasons.paused;
  const now = env.now();
  d.status ??= {};
  if (d.spec.paused === true && !pausedCondExists) {
    setCondition(
      d.status,
      newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now),
    );
  } else if (d.spec.paused !== true && pausedCondExists) {
    setCondition(
      d.status,
      newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now),
    );
  } else return;
  await updateDeploymentStatus(env, d);
}
