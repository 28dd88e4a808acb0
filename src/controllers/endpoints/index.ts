// The endpoints controller, and the pod/service helpers the endpointslice controller shares.
export { endpointsController, type EndpointsControllerOptions, podHandlers } from './controller.ts';
export * from './pods.ts';
export {
  computeSubsets,
  desiredEndpoints,
  type EndpointAddress,
  type EndpointPort,
  type Endpoints,
  type EndpointSubset,
  podAddress,
} from './subsets.ts';
export { formatTriggerTime, TriggerTimeTracker } from './trigger-time.ts';
