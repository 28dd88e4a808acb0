// NodeName (framework/plugins/nodename).
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
} from '../../framework/interface.ts';
import { type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import type { NodeInfo } from '../../cache/node-info.ts';
import type { Pod } from '../../types.ts';

export const errReasonNodeName = "node(s) didn't match the requested node name";

/** NodeName: spec.nodeName, when a pod names its node but still goes through the scheduler. */
export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = 'NodeName';
  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    const want = pod.spec.nodeName;
    return want === undefined || want === '' || want === ni.name ? SUCCESS : unresolvable(errReasonNodeName);
  }
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add } }];
  }
}
