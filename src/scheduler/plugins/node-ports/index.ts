// NodePorts (framework/plugins/nodeports): host ports must be free.
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
} from '../../framework/interface.ts';
import { type Status, SUCCESS, unschedulable } from '../../framework/status.ts';
import type { NodeInfo } from '../../cache/node-info.ts';
import { podInfoOf } from '../../cache/pod-info.ts';
import type { Pod } from '../../types.ts';

export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

/** NodePorts: the pod's host ports must be free on the node. */
export class NodePorts implements FilterPlugin, EnqueueExtensions {
  readonly name = 'NodePorts';
  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    const ports = podInfoOf(pod).hostPorts;
    if (ports.length === 0 || ni.usedPorts.size === 0) return SUCCESS;
    return ports.some((p) => ni.usedPorts.conflicts(p)) ? unschedulable(errReasonNodePorts) : SUCCESS;
  }
  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (pod: Pod, old: unknown): 'Queue' | 'QueueSkip' => {
      const deleted = old as Pod | undefined;
      if (deleted === undefined) return 'Queue';
      const mine = podInfoOf(pod).hostPorts;
      return podInfoOf(deleted).hostPorts.some((p) =>
        mine.some((q) => q.port === p.port && q.protocol === p.protocol),
      )
        ? 'Queue'
        : 'QueueSkip';
    };
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update } },
    ];
  }
}
