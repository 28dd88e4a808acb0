// The public surface of src/controllers: the controller manager and the controllers it runs
// (cmd/kube-controller-manager's list of controller descriptors). A new controller is a folder plus
// one line in `allControllers`.
import type { Clock, RestClient } from '../client/index.ts';
import type { Logger } from '../log.ts';
import { DeploymentController } from './deployment/index.ts';
import { runControllerManager as runManager } from './manager.ts';
import { ReplicaSetController, replicationControllerKind } from './replicaset/index.ts';
import type { Controller } from './types.ts';
import { JobController } from './job/index.ts';
import { CronJobController } from './cronjob/index.ts';
import { TtlAfterFinishedController } from './ttl-after-finished/index.ts';
import { DaemonSetController } from './daemonset/index.ts';
import { StatefulSetController } from './statefulset/index.ts';
import { NodeLifecycleController } from './nodelifecycle/index.ts';
import { PodGCController } from './podgc/index.ts';
import { DisruptionController } from './disruption/index.ts';
import { ResourceQuotaController } from './resourcequota/index.ts';
// The other controllers (garbage collector, namespace, serviceaccounts, endpoints, endpointslices).
import { newMoreControllers } from './more.ts';

export type { Controller, ControllerContext } from './types.ts';
export { leaseName, leaseNamespace, runControllers } from './manager.ts';
export { DeploymentController } from './deployment/index.ts';
export { ReplicaSetController } from './replicaset/index.ts';

/** A fresh instance of every controller (controllers keep per-term state, so never share them). */
export function allControllers(): Controller[] {
  return [
    new DeploymentController(),
    new ReplicaSetController(),
    new ReplicaSetController({ set: replicationControllerKind }),
    new JobController(),
    new CronJobController(),
    new TtlAfterFinishedController(),
    new DaemonSetController(),
    new StatefulSetController(),
    new NodeLifecycleController(),
    new PodGCController(),
    new DisruptionController(),
    new ResourceQuotaController(),
    ...newMoreControllers(),
  ];
}

/**
 * The controllers a `--controllers` list selects, as kube-controller-manager reads it: `*` turns
 * on every controller, `name` turns one on, `-name` turns one off.
 */
export function selectControllers(all: Controller[], list: readonly string[]): Controller[] {
  const star = list.includes('*');
  return all.filter((c) => !list.includes(`-${c.name}`) && (star || list.includes(c.name)));
}

/**
 * Leader election on Lease kube-system/kube-controller-manager; while leading, registers every
 * controller, starts the shared informers, waits for them to sync and runs the controllers. Resolves
 * once `signal` has aborted and everything has stopped.
 */
export function runControllerManager(options: {
  client: RestClient;
  log: Logger;
  identity: string;
  signal: AbortSignal;
  clock?: Clock;
  controllers?: Controller[];
}): Promise<void> {
  return runManager({ ...options, controllers: options.controllers ?? allControllers() });
}
