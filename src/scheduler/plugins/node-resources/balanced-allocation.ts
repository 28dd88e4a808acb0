// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): prefer nodes whose cpu and
// memory would be used in equal shares after placing the pod.
import type { NodeInfo } from '../../cache/node-info.ts';
import { podInfoOf } from '../../cache/pod-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import type { PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { SKIP, type Status, SUCCESS } from '../../framework/status.ts';
import type { Pod } from '../../types.ts';
import { balancedScore, defaultResources, type ResourceSpec, Vectors } from './scorer.ts';

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly resources: readonly ResourceSpec[];
  private readonly vectors: Vectors;

  constructor(args: { resources?: ResourceSpec[] } | undefined) {
    this.resources = args?.resources ?? defaultResources;
    this.vectors = new Vectors(this.resources, true);
  }

  /** A pod that requests none of the resources has nothing to balance (BestEffort): Skip. */
  preScore(_s: CycleState, pod: Pod): Status {
    const req = podInfoOf(pod).requests;
    return this.resources.some((r) => req.get(r.name) > 0) ? SUCCESS : SKIP;
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    const v = this.vectors;
    v.fill(ni, podInfoOf(pod));
    return balancedScore(v.requested, v.allocatable);
  }
}
