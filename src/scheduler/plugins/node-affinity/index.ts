// NodeAffinity (framework/plugins/nodeaffinity): spec.nodeSelector and required node affinity
// filter (plus the profile's addedAffinity); preferred terms score by summed weight.
import type { NodeInfo } from '../../cache/node-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type ScorePlugin,
} from '../../framework/interface.ts';
import { maxNodeScore, type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import type { Affinity, Node, Pod } from '../../types.ts';
import {
  defaultNormalizeScore,
  nodeSelectorTermsMatch,
  podMatchesNodeSelectorAndAffinity,
  termMatchesNode,
} from '../helper/helper.ts';

export const errReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";

export interface NodeAffinityArgs {
  addedAffinity?: Affinity['nodeAffinity'];
}

export class NodeAffinity implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = 'NodeAffinity';
  private readonly added: Affinity['nodeAffinity'];

  constructor(args: NodeAffinityArgs | undefined) {
    this.added = args?.addedAffinity;
  }

  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    const node = ni.node;
    if (node === undefined) return unresolvable('node not found');
    const addedTerms = this.added?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (addedTerms !== undefined && !nodeSelectorTermsMatch(addedTerms, node))
      return unresolvable(errReasonEnforced);
    return podMatchesNodeSelectorAndAffinity(pod, node) ? SUCCESS : unresolvable(errReasonPod);
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    const node = ni.node;
    if (node === undefined) return 0;
    let total = 0;
    const terms = [
      ...(this.added?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ];
    for (const t of terms) if (t.weight !== 0 && termMatchesNode(t.preference, node)) total += t.weight;
    return total;
  }

  normalizeScore(_s: CycleState, _p: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(maxNodeScore, false, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (pod: Pod, oldObj: unknown, newObj: unknown): 'Queue' | 'QueueSkip' => {
      const n = newObj as Node | undefined;
      if (n === undefined || !podMatchesNodeSelectorAndAffinity(pod, n)) return 'QueueSkip';
      const o = oldObj as Node | undefined;
      return o !== undefined && podMatchesNodeSelectorAndAffinity(pod, o) ? 'QueueSkip' : 'Queue';
    };
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel }, hint }];
  }
}
