// Deployment status and conditions (pkg/controller/deployment/sync.go calculateStatus,
// progress.go and util's DeploymentComplete / DeploymentProgressing / DeploymentTimedOut).
import { nowTimestamp } from '../../api/meta.ts';
import {
  type Condition,
  type Deployment,
  type DeploymentStatus,
  getCondition,
  parseTime,
  type ReplicaSet,
  setCondition,
} from '../framework/index.ts';
import {
  actualReplicaSum,
  availableReplicaSum,
  maxInt32,
  maxUnavailable,
  readyReplicaSum,
  replicasOf,
  specReplicaSum,
} from './util.ts';

/** Condition reasons (deployment_util.go). */
export const reasons = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  rsUpdated: 'ReplicaSetUpdated',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** NewDeploymentCondition */
export function newCondition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  nowMs: number,
): Condition {
  const t = nowTimestamp(new Date(nowMs));
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** HasProgressDeadline */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== maxInt32;
}

/** calculateStatus: counts over every set, and the Available condition. */
export function calculateStatus(
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  nowMs: number,
): DeploymentStatus {
  const available = availableReplicaSum(all);
  const unavailable = Math.max(0, specReplicaSum(all) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaSum(all),
    updatedReplicas: actualReplicaSum(newRS === undefined ? [] : [newRS]),
    readyReplicas: readyReplicaSum(all),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  status.conditions = structuredClone(d.status?.conditions ?? []);
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        'Available',
        'True',
        reasons.minimumReplicasAvailable,
        'Deployment has minimum availability.',
        nowMs,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        reasons.minimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        nowMs,
      ),
    );
  }
  return status;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (
    (s.updatedReplicas ?? 0) === r &&
    (s.replicas ?? 0) === r &&
    (s.availableReplicas ?? 0) === r &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's last update. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s.conditions, 'Progressing');
  if (c === undefined || c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = parseTime(c.lastUpdateTime);
  return from !== undefined && from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** ReplicaSetToDeploymentCondition */
export function replicaSetToDeploymentCondition(c: Condition): Condition {
  const out: Condition = { type: c.type, status: c.status };
  if (c.lastTransitionTime !== undefined) {
    out.lastTransitionTime = c.lastTransitionTime;
    out.lastUpdateTime = c.lastTransitionTime;
  }
  if (c.reason !== undefined) out.reason = c.reason;
  if (c.message !== undefined) out.message = c.message;
  return out;
}

/** getReplicaFailures: the new set's ReplicaFailure conditions first, else any old set's. */
export function replicaFailures(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Condition[] {
  const of = (rs: ReplicaSet): Condition[] =>
    (rs.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map(replicaSetToDeploymentCondition);
  const fromNew = newRS === undefined ? [] : of(newRS);
  return fromNew.length > 0 ? fromNew : all.flatMap(of);
}
