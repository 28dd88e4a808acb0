// ReplicaSet status (pkg/controller/replicaset/replica_set_utils.go): counts of the active pods
// the set owns, and the ReplicaFailure condition while creating or deleting pods fails.
import { nowTimestamp } from '../../api/meta.ts';
import { selectorFromSet } from '../../api/labels.ts';
import {
  errorText,
  getCondition,
  isPodAvailable,
  isPodReady,
  msUntilAvailable,
  removeCondition,
  setCondition,
  type Pod,
  type ReplicaSet,
  type ReplicaSetStatus,
} from '../framework/index.ts';

/** calculateStatus */
export function calculateStatus(
  rs: ReplicaSet,
  pods: readonly Pod[],
  manageError: unknown,
  nowMs: number,
): ReplicaSetStatus {
  const status: ReplicaSetStatus = structuredClone(rs.status ?? {});
  const templateLabels = selectorFromSet(rs.spec.template?.metadata?.labels);
  const minReady = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const failure = getCondition(status.conditions, 'ReplicaFailure');
  if (manageError !== undefined && failure === undefined) {
    const diff = pods.length - (rs.spec.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setCondition(status, {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: nowTimestamp(new Date(nowMs)),
      reason,
      message: errorText(manageError),
    });
  } else if (manageError === undefined && failure !== undefined) {
    removeCondition(status, 'ReplicaFailure');
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/** The steady state of updateReplicaSetStatus: nothing to write. */
export function statusUpToDate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  return (
    (cur.replicas ?? 0) === next.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === next.fullyLabeledReplicas &&
    (cur.readyReplicas ?? 0) === next.readyReplicas &&
    (cur.availableReplicas ?? 0) === next.availableReplicas &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}

/** The soonest a ready pod becomes available (to requeue then), or undefined. */
export function nextAvailableCheck(
  pods: readonly Pod[],
  minReadySeconds: number,
  nowMs: number,
): number | undefined {
  let soonest: number | undefined;
  for (const p of pods) {
    const ms = msUntilAvailable(p, minReadySeconds, nowMs);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest;
}
