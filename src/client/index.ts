// The public surface of src/client: the REST client, informers and listers, the work queue,
// expectations, the event recorder and leader election (ARCHITECTURE.md: everything but the API
// server talks to the API through here).
export { type ClientConfig, configFromKubeconfig, KubeconfigError, loadKubeconfig } from './kubeconfig.ts';
export { type RequestOptions, RestClient, type RestClientOptions } from './rest.ts';
export {
  type DeleteOptions,
  type ListOptions,
  patchContentTypes,
  type PatchOptions,
  type PatchType,
  ResourceClient,
  type ResourceDescriptor,
  type WatchEvent,
  type WatchEventType,
  type WatchOptions,
  type WriteOptions,
} from './resource.ts';
export { resources } from './resources.ts';
export {
  ApiError,
  isAlreadyExists,
  isConflict,
  isExpired,
  isNotFound,
  reasonOf,
  statusFromResponse,
} from './errors.ts';
export { type Clock, FakeClock, flushMicrotasks, realClock } from './clock.ts';
export {
  byNamespace,
  type IndexFunc,
  Indexer,
  indexOnField,
  Lister,
  namespaceIndex,
  objectKey,
  splitKey,
} from './cache.ts';
export {
  type DeletedFinalStateUnknown,
  type EventHandler,
  type InformerOptions,
  isTombstone,
  type ListerWatcher,
  SharedInformer,
} from './informer.ts';
export {
  type InformerScope,
  listerWatcherFor,
  SharedInformerFactory,
  type SharedInformerFactoryOptions,
} from './informer-factory.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './rate-limiter.ts';
export { WorkQueue, type WorkQueueOptions } from './workqueue.ts';
export { ControllerExpectations, type Expectation, expectationsTimeoutMs } from './expectations.ts';
export {
  EventRecorder,
  type EventRecorderOptions,
  type EventType,
  type ObjectReference,
  referenceOf,
} from './events.ts';
export {
  type Lease,
  type LeaseSpec,
  LeaderElector,
  type LeaderElectionOptions,
  microTime,
} from './leader-election.ts';
