// NodeUnschedulable (framework/plugins/nodeunschedulable).
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
} from '../../framework/interface.ts';
import { type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import type { NodeInfo } from '../../cache/node-info.ts';
import type { Node, Pod } from '../../types.ts';
import { toleratesTaint } from '../helper/helper.ts';

export const errReasonUnknownCondition = 'node(s) had unknown conditions';
export const errReasonUnschedulable = 'node(s) were unschedulable';
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

/** NodeUnschedulable: spec.unschedulable, unless the pod tolerates node.kubernetes.io/unschedulable. */
export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = 'NodeUnschedulable';
  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    if (ni.node === undefined) return unresolvable(errReasonUnknownCondition);
    if (!ni.node.spec?.unschedulable) return SUCCESS;
    if ((pod.spec.tolerations ?? []).some((t) => toleratesTaint(t, unschedulableTaint))) return SUCCESS;
    return unresolvable(errReasonUnschedulable);
  }
  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (_p: Pod, _o: unknown, n: unknown): 'Queue' | 'QueueSkip' =>
      (n as Node | undefined)?.spec?.unschedulable ? 'QueueSkip' : 'Queue';
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, hint }];
  }
}
