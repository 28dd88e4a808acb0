// The DaemonSet controller.
export { DaemonSetController, type DaemonSetControllerOptions } from './controller.ts';
export { nodeShouldRunDaemonPod, defaultDaemonTolerations } from './placement.ts';
export type { DaemonSet, Node } from './types.ts';
