// The node lifecycle controller (node health, unreachable / not-ready taints, NoExecute eviction).
export {
  NodeLifecycleController,
  type NodeLifecycleControllerOptions,
  nodeLeaseNamespace,
} from './controller.ts';
export {
  defaultNodeMonitorGracePeriodMs,
  defaultNodeMonitorPeriodMs,
  desiredTaints,
  evictionTimeMs,
  notReadyTaintKey,
  readyCondition,
  reconcileTaints,
  tolerates,
  tolerationTimeMs,
  unknownConditions,
  unreachableTaintKey,
} from './health.ts';
export type { Lease, Node, NodeCondition, Taint, TaintEffect, Toleration } from './types.ts';
