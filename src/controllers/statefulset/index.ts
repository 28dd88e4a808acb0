// The StatefulSet controller.
export { StatefulSetController, type StatefulSetControllerOptions } from './controller.ts';
export type { PersistentVolumeClaim, StatefulSet } from './types.ts';
