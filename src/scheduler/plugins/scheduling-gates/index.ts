// SchedulingGates (framework/plugins/schedulinggates): PreEnqueue holds gated pods.
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type PreEnqueuePlugin,
} from '../../framework/interface.ts';
import { type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import { type Pod } from '../../types.ts';

/** SchedulingGates: a pod with spec.schedulingGates waits outside activeQ. */
export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = 'SchedulingGates';
  preEnqueue(pod: Pod): Status {
    const gates = pod.spec.schedulingGates ?? [];
    if (gates.length === 0) return SUCCESS;
    return unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Pod', actionType: ActionType.UpdatePodSchedulingGatesEliminated } }];
  }
}
