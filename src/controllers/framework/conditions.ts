// Status conditions of ReplicaSets and Deployments (pkg/controller/replicaset/replica_set_utils.go,
// pkg/controller/deployment/util SetDeploymentCondition): one condition per type; setting one with
// the same status and reason is a no-op, and the transition time survives a same-status update.
import type { Condition } from './types.ts';

export function getCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition / SetCondition: replaces the condition of the same type, keeping its
 * lastTransitionTime when the status is unchanged; nothing changes when status and reason match.
 */
export function setCondition(status: { conditions?: Condition[] }, condition: Condition): void {
  const current = getCondition(status.conditions, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason)
    return;
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status && current.lastTransitionTime) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: { conditions?: Condition[] }, type: string): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}
