// The pod garbage collector.
export { PodGCController, type PodGCControllerOptions } from './controller.ts';
export {
  defaultGCCheckPeriodMs,
  defaultQuarantineMs,
  defaultTerminatedPodGCThreshold,
  orphanedCandidates,
  terminatedToDelete,
  unscheduledTerminating,
  withDisruptionTarget,
} from './gc.ts';
