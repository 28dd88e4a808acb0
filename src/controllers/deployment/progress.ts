// Rollout progress (pkg/controller/deployment/progress.go): the Progressing condition moves through
// NewReplicaSetCreated / FoundNewReplicaSet → ReplicaSetUpdated (on any progress) →
// NewReplicaSetAvailable, or ProgressDeadlineExceeded after progressDeadlineSeconds without progress;
// a deployment that may still time out is requeued for the moment it would.
import {
  type Deployment,
  type DeploymentStatus,
  getCondition,
  parseTime,
  removeCondition,
  type ReplicaSet,
  setCondition,
} from '../framework/index.ts';
import { type SyncEnv, updateDeploymentStatus } from './env.ts';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  newCondition,
  reasons,
  replicaFailures,
} from './status.ts';

/** syncRolloutStatus */
export async function syncRolloutStatus(
  env: SyncEnv,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<void> {
  const now = env.now();
  const status = calculateStatus(all, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status?.conditions, 'Progressing');
  const isComplete =
    status.replicas === status.updatedReplicas &&
    current !== undefined &&
    current.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const rsName = newRS?.metadata.name;
    const subject = rsName !== undefined ? `ReplicaSet "${rsName}"` : `Deployment "${d.metadata.name ?? ''}"`;
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          reasons.newRSAvailable,
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with an unchanged reason, so handle it here rather than
      // through setCondition (which ignores a same-reason update).
      const condition = newCondition(
        'Progressing',
        'True',
        reasons.rsUpdated,
        `${subject} is progressing.`,
        now,
      );
      if (current !== undefined) {
        if (current.status === 'True' && current.lastTransitionTime !== undefined)
          condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition('Progressing', 'False', reasons.timedOut, `${subject} has timed out progressing.`, now),
      );
    }
  }
  const failures = replicaFailures(all, newRS);
  if (failures[0] !== undefined) setCondition(status, failures[0]);
  else removeCondition(status, 'ReplicaFailure');

  if (JSON.stringify(status) === JSON.stringify(d.status ?? {})) {
    requeueStuckDeployment(env, d, status);
    return;
  }
  d.status = status;
  await updateDeploymentStatus(env, d);
}

/**
 * requeueStuckDeployment: with no progress now, look again when the deadline would pass (rate
 * limited when it is less than a second away); -1 when there is nothing to wait for.
 */
export function requeueStuckDeployment(env: SyncEnv, d: Deployment, status: DeploymentStatus): number {
  const current = getCondition(d.status?.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || current === undefined) return -1;
  if (deploymentComplete(d, status) || current.reason === reasons.timedOut) return -1;
  const from = parseTime(current.lastUpdateTime) ?? env.now();
  const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - env.now();
  if (after < 1000) {
    env.enqueueRateLimited(d);
    return 0;
  }
  env.enqueueAfter(d, after);
  return after;
}
