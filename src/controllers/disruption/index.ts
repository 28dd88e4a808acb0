// The disruption controller: PodDisruptionBudget status.
export {
  DisruptionController,
  type DisruptionControllerOptions,
  disruptionAllowedCondition,
} from './controller.ts';
export {
  countHealthy,
  deletionTimeoutMs,
  disruptedPodMap,
  disruptionsAllowed,
  expectedPodCount,
  type PDBStatus,
  type PodDisruptionBudget,
  scaledValue,
} from './budget.ts';
