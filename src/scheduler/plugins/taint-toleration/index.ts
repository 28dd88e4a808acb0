// TaintToleration (framework/plugins/tainttoleration): NoSchedule/NoExecute taints filter, and
// PreferNoSchedule taints the pod does not tolerate lower the score (normalized in reverse).
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
import type { Node, Pod, Taint } from '../../types.ts';
import { defaultNormalizeScore, findUntoleratedTaint, toleratesTaint } from '../helper/helper.ts';

const hardEffect = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

export function errReasonUntoleratedTaint(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

export class TaintToleration implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = 'TaintToleration';

  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    const taint = findUntoleratedTaint(ni.node?.spec?.taints, pod.spec.tolerations, hardEffect);
    return taint === undefined ? SUCCESS : unresolvable(errReasonUntoleratedTaint(taint));
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    const tolerations = (pod.spec.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    let n = 0;
    for (const taint of ni.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint))) n++;
    }
    return n;
  }

  normalizeScore(_s: CycleState, _p: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(maxNodeScore, true, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // isSchedulableAfterNodeChange: only when the node's taints went from untolerated to tolerated.
    const hint = (pod: Pod, oldObj: unknown, newObj: unknown): 'Queue' | 'QueueSkip' => {
      const tolerated = (n: Node | undefined): boolean =>
        n !== undefined &&
        findUntoleratedTaint(n.spec?.taints, pod.spec.tolerations, hardEffect) === undefined;
      return tolerated(newObj as Node | undefined) && !(oldObj !== undefined && tolerated(oldObj as Node))
        ? 'Queue'
        : 'QueueSkip';
    };
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, hint }];
  }
}
