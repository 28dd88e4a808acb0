// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): prefer nodes whose cpu and
// memory would be used in equal shares after placing the pod.
import type { NodeInfo } from '../../cache/node-info.ts';
import { podInfoOf } from '../../cache/pod-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import type { PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { SKIP, type Status, SUCCESS } from '../../framework/status.ts';
import type { Pod } from '../../types.ts';
import { balancedScore, defaultResources, type ResourceSpec, vectors } from './scorer.ts';

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly resources: readonly ResourceSpec[];

  constructor(args: { resources?: ResourceSpec[] } | undefined) {
    this.resources = args?.resources ?? defaultResources;
  }

  /** A pod that requests none of the resources has nothing to balance (BestEffort): Skip. */
  preScore(_s: CycleState, pod: Pod): Status {
    const req = podInfoOf(pod).requests;
    return this.resources.some((r) => req.get(r.name) > 0) ? SUCCESS : SKIP;
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    const [req, alloc] = vectors(ni, podInfoOf(pod), this.resources, true);
    return balancedScore(req, alloc);
  }
}
