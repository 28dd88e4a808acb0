// The scheduler core's public surface: a library over a snapshot and a binder (see README.md).
export { Scheduler } from './scheduler.ts';
export type { Evictor, Recorder, SchedulerEvent, SchedulerOptions, StatusUpdater } from './scheduler.ts';
export { Cache } from './cache/cache.ts';
export { NodeInfo } from './cache/node-info.ts';
export { Snapshot } from './cache/snapshot.ts';
export { podInfoOf } from './cache/pod-info.ts';
export type { PodInfo, AffinityTerm } from './cache/pod-info.ts';
export { Resource, podRequests } from './cache/resource.ts';
export { SchedulingQueue } from './queue/scheduling-queue.ts';
export { Framework } from './framework/runtime.ts';
export { CycleState } from './framework/cycle-state.ts';
export type { StateData } from './framework/cycle-state.ts';
export { FitError, fitErrorMessage } from './framework/fit-error.ts';
export { numFeasibleNodesToFind, resolveProfile, defaultMultiPoint } from './framework/config.ts';
export type {
  KubeSchedulerConfiguration,
  KubeSchedulerProfile,
  PluginConfig,
  Plugins,
  PluginSet,
} from './framework/config.ts';
export * from './framework/status.ts';
export * from './framework/interface.ts';
export { inTreeRegistry } from './plugins/registry.ts';
export { schedulePod, selectHost } from './schedule-one.ts';
export * from './types.ts';
export { FakeClock, makeNode, makePod } from './testing.ts';
export { eventComponent, leaseName, leaseNamespace, runScheduler } from './run.ts';
export type { RunSchedulerOptions } from './run.ts';
