// resourceAllocationScorer (framework/plugins/noderesources/resource_allocation.go) and the three
// scoring strategies of NodeResourcesFit, plus BalancedAllocation's standard deviation.
import type { NodeInfo } from '../../cache/node-info.ts';
import type { PodInfo } from '../../cache/pod-info.ts';
import { type Resource, resourceCPU, resourceMemory } from '../../cache/resource.ts';
import { maxNodeScore } from '../../framework/status.ts';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const defaultResources: readonly ResourceSpec[] = [
  { name: resourceCPU, weight: 1 },
  { name: resourceMemory, weight: 1 },
];

const isScalar = (name: string): boolean =>
  name !== resourceCPU && name !== resourceMemory && name !== 'ephemeral-storage' && name !== 'pods';

/**
 * calculateResourceAllocatableRequest: allocatable and requested-after-placing-the-pod. Fit scoring
 * uses the non-zero requests (defaults for missing cpu/memory); BalancedAllocation the real ones.
 * An extended resource the pod does not request is left out (0, 0).
 */
export function allocatableRequest(
  ni: NodeInfo,
  pi: PodInfo,
  name: string,
  useRequested: boolean,
): [allocatable: number, requested: number] {
  const podReq = useRequested ? pi.requests.get(name) : pi.nonZeroRequests.get(name);
  if (podReq === 0 && isScalar(name)) return [0, 0];
  const nodeReq =
    !useRequested && (name === resourceCPU || name === resourceMemory)
      ? ni.nonZeroRequested.get(name)
      : ni.requested.get(name);
  return [ni.allocatable.get(name), nodeReq + podReq];
}

export type Strategy = (
  requested: number[],
  allocatable: number[],
  resources: readonly ResourceSpec[],
) => number;

function weighted(perResource: (req: number, alloc: number) => number, round: boolean): Strategy {
  return (requested, allocatable, resources) => {
    let score = 0;
    let weights = 0;
    for (let i = 0; i < resources.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      score += perResource(requested[i]!, allocatable[i]!) * w;
      weights += w;
    }
    if (weights === 0) return 0;
    return round ? Math.round(score / weights) : Math.trunc(score / weights);
  };
}

/** leastRequestedScore: free share of the node, 0 when over capacity. */
export const leastAllocated = weighted((req, cap) => {
  if (cap === 0 || req > cap) return 0;
  return Math.trunc(((cap - req) * maxNodeScore) / cap);
}, false);

/** mostRequestedScore: used share of the node, capped at capacity. */
export const mostAllocated = weighted((req, cap) => {
  if (cap === 0) return 0;
  return Math.trunc((Math.min(req, cap) * maxNodeScore) / cap);
}, false);

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** RequestedToCapacityRatio: a piecewise-linear function of utilization; shape scores are 0–10. */
export function requestedToCapacityRatio(shape: readonly UtilizationShapePoint[]): Strategy {
  const points = shape.map((p) => ({ utilization: p.utilization, score: p.score * (maxNodeScore / 10) }));
  const raw = (p: number): number => {
    for (let i = 0; i < points.length; i++) {
      const cur = points[i]!;
      if (p <= cur.utilization) {
        if (i === 0) return cur.score;
        const prev = points[i - 1]!;
        return (
          prev.score +
          Math.trunc(
            ((cur.score - prev.score) * (p - prev.utilization)) / (cur.utilization - prev.utilization),
          )
        );
      }
    }
    return points[points.length - 1]?.score ?? 0;
  };
  return weighted((req, cap) => {
    if (cap === 0 || req > cap) return raw(100);
    return raw(Math.trunc((req * 100) / cap));
  }, true);
}

/** balancedResourceScorer: 1 − standard deviation of the requested fractions, scaled to 100. */
export function balancedScore(requested: readonly number[], allocatable: readonly number[]): number {
  // Two passes over the inputs instead of a fractions array; same operations in the same order.
  let total = 0;
  let count = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    if (count === 0) first = f;
    else if (count === 1) second = f;
    count++;
  }
  let std = 0;
  if (count === 2) std = Math.abs((first - second) / 2);
  else if (count > 2) {
    const mean = total / count;
    let sq = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sq += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sq / count);
  }
  return Math.trunc((1 - std) * maxNodeScore);
}

type Getter = (r: Resource) => number;

function getter(name: string): Getter {
  switch (name) {
    case resourceCPU:
      return (r) => r.milliCPU;
    case resourceMemory:
      return (r) => r.memory;
    case 'ephemeral-storage':
      return (r) => r.ephemeralStorage;
    case 'pods':
      return (r) => r.allowedPodNumber;
    default:
      return (r) => r.scalar.get(name) ?? 0;
  }
}

/**
 * Reusable requested/allocatable vectors for one plugin (scoring is synchronous, so one pair of
 * arrays serves every node): the resource names are resolved to field getters once, and each node's
 * sums come straight from its NodeInfo, which keeps them up to date as pods come and go.
 */
export class Vectors {
  readonly requested: number[];
  readonly allocatable: number[];
  private readonly get: Getter[];
  private readonly scalar: boolean[];
  /** Fit scoring: the non-zero sums for cpu and memory (which the defaults apply to). */
  private readonly nonZero: boolean[];
  private readonly useRequested: boolean;

  constructor(resources: readonly ResourceSpec[], useRequested: boolean) {
    this.useRequested = useRequested;
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
    this.get = resources.map((r) => getter(r.name));
    this.scalar = resources.map((r) => isScalar(r.name));
    this.nonZero = resources.map(
      (r) => !useRequested && (r.name === resourceCPU || r.name === resourceMemory),
    );
  }

  /** allocatableRequest for every resource, in place. */
  fill(ni: NodeInfo, pi: PodInfo): void {
    const podRes = this.useRequested ? pi.requests : pi.nonZeroRequests;
    for (let i = 0; i < this.get.length; i++) {
      const get = this.get[i]!;
      const podReq = get(podRes);
      if (podReq === 0 && this.scalar[i]!) {
        this.allocatable[i] = 0;
        this.requested[i] = 0;
        continue;
      }
      const a = get(ni.allocatable);
      this.allocatable[i] = a;
      this.requested[i] = a === 0 ? 0 : get(this.nonZero[i]! ? ni.nonZeroRequested : ni.requested) + podReq;
    }
  }
}
