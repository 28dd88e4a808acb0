// What every controller is to the controller manager (upstream's controller descriptors in
// cmd/kube-controller-manager/app): a name, and a start that registers its informers and work,
// then runs until the signal aborts. Controllers are clients of the API like any other.
import type { Clock, EventRecorder, RestClient, SharedInformerFactory } from '../client/index.ts';
import type { Logger } from '../log.ts';

export interface ControllerContext {
  readonly client: RestClient;
  /** Shared by every controller of the manager: one informer per resource per process. */
  readonly informers: SharedInformerFactory;
  /** An event recorder reporting as `component` (e.g. `deployment-controller`). */
  recorder(component: string): EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
}

export interface Controller {
  /** Upstream's controller name, e.g. `deployment`, `replicaset`, `garbage-collector`. */
  readonly name: string;
  /**
   * Called before the informers start: ask `ctx.informers` for every informer the controller uses
   * and add its event handlers (they only compute a key and enqueue it).
   */
  register(ctx: ControllerContext): void;
  /** Called once the informers have synced: run the workers until `signal` aborts. */
  run(ctx: ControllerContext, signal: AbortSignal): Promise<void>;
}
