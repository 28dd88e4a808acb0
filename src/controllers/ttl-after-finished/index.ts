// The TTL-after-finished controller (pkg/controller/ttlafterfinished).
export { TtlAfterFinishedController } from './controller.ts';
export { ttlLeftMs } from './ttl.ts';
