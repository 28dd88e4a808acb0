// The controllers of issue 6, in the order upstream's controller manager lists them: garbage
// collector, namespace, service accounts and the root CA publisher, endpoints, endpoint slices.
import { endpointsController } from './endpoints/index.ts';
import { endpointSliceController } from './endpointslice/index.ts';
import { garbageCollectorController } from './garbage-collector/index.ts';
import { namespaceController } from './namespace/index.ts';
import { rootCACertPublisher, serviceAccountsController } from './serviceaccount/index.ts';
import type { Controller } from './types.ts';

export const moreControllers: Controller[] = [
  garbageCollectorController(),
  namespaceController(),
  serviceAccountsController(),
  // The CA defaults to the one the manager's client trusts (upstream's fallback to the client CA).
  rootCACertPublisher(),
  endpointsController(),
  endpointSliceController(),
];

/**
 * Fresh instances of the same controllers. Each instance keeps its state per ControllerContext (a
 * WeakMap), so sharing `moreControllers` across leadership terms or managers is safe too.
 */
export function newMoreControllers(): Controller[] {
  return [
    garbageCollectorController(),
    namespaceController(),
    serviceAccountsController(),
    rootCACertPublisher(),
    endpointsController(),
    endpointSliceController(),
  ];
}
