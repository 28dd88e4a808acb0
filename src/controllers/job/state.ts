// What the Job controller's sync functions share: caches, clients, queue and expectations.
import type { EventRecorder, ResourceClient, SharedInformer, WorkQueue } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Pod, PodControl, UidTrackingExpectations } from '../framework/index.ts';
import type { ControllerContext } from '../types.ts';
import type { BackoffRecord } from './backoff.ts';
import type { Job } from './types.ts';

export interface JobControllerOptions {
  readonly workers?: number;
  /** The first pod-recreation backoff after a failure (upstream 10 s); doubles per failure. */
  readonly podFailureBackoffMs?: number;
  /** The backoff's cap (upstream 6 min). */
  readonly maxPodFailureBackoffMs?: number;
}

export interface JobState {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly jobs: SharedInformer<Job>;
  readonly pods: SharedInformer<Pod>;
  readonly jobClient: ResourceClient<Job>;
  readonly podClient: ResourceClient<Pod>;
  readonly queue: WorkQueue<string>;
  /** Keys `namespace/name` of orphan pods whose tracking finalizer must go. */
  readonly orphanQueue: WorkQueue<string>;
  readonly expectations: UidTrackingExpectations;
  /** finalizerExpectations: per job, the pod UIDs whose finalizer removal is not yet observed. */
  readonly finalizerExpectations: Map<string, Set<string>>;
  /** podBackoffStore */
  readonly backoff: Map<string, BackoffRecord>;
  readonly recorder: EventRecorder;
  readonly podControl: PodControl;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}
