// The resource quota controller: ResourceQuota status (hard and used).
export { ResourceQuotaController, type ResourceQuotaControllerOptions } from './controller.ts';
export {
  calculateUsage,
  isBestEffort,
  isQuotaPod,
  objectUsage,
  podLimits,
  podMatchesScope,
  podRequests,
  podUsage,
  type QuotaPod,
  type ResourceList,
  type ResourceQuota,
  type ScopedRequirement,
  sourceOf,
} from './usage.ts';
