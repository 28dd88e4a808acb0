// What the DaemonSet controller's sync reads and writes, set up once by register().
import type {
  ControllerExpectations,
  EventRecorder,
  ResourceClient,
  SharedInformer,
  WorkQueue,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { ControllerKind, Pod, PodControl } from '../framework/index.ts';
import type { ControllerHistory, ControllerRevision } from '../history/index.ts';
import type { ControllerContext } from '../types.ts';
import type { DaemonSet, Node } from './types.ts';

/** controllerKind: apps/v1 DaemonSet. */
export const daemonSetKind: ControllerKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

export interface DaemonSetState {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly sets: SharedInformer<DaemonSet>;
  readonly pods: SharedInformer<Pod>;
  readonly nodes: SharedInformer<Node>;
  readonly revisions: SharedInformer<ControllerRevision>;
  readonly setClient: ResourceClient<DaemonSet>;
  readonly podClient: ResourceClient<Pod>;
  readonly revisionClient: ResourceClient<ControllerRevision>;
  readonly queue: WorkQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly recorder: EventRecorder;
  readonly podControl: PodControl;
  readonly history: ControllerHistory;
  /** BurstReplicas: at most this many creates or deletes per sync. */
  readonly burst: number;
}
