// The scheduler's writes through the API: the Binder (pods/binding), the Recorder (core/v1 Events
// from `default-scheduler`), the StatusUpdater (pods/status: PodScheduled and nominatedNodeName) and
// the Evictor (preemption victims). The core decides; these only translate its decisions into
// requests (pkg/scheduler: framework/plugins/defaultbinder, schedule_one.go's updatePod,
// framework/preemption's prepareCandidate).
import { type EventRecorder, isNotFound, type Lister, type ResourceClient } from '../../client/index.ts';
import { nowTimestamp } from '../../api/meta.ts';
import type { Logger } from '../../log.ts';
import type { Evictor, Recorder, SchedulerEvent, StatusUpdater } from '../scheduler.ts';
import type { Binder } from '../framework/interface.ts';
import { defaultSchedulerName, type Pod, type PodCondition, podKey } from '../types.ts';

/** DefaultBinder: POST pods/<name>/binding with the node as target (the API server sets nodeName). */
export function apiBinder(pods: ResourceClient<Pod>): Binder {
  return {
    bind: async (pod, nodeName) => {
      const { name, namespace, uid } = pod.metadata;
      await pods.bind(
        name!,
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, ...(uid === undefined ? {} : { uid }) },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        },
        { namespace: namespace ?? 'default' },
      );
    },
  };
}

/** The core's events as core/v1 Events; the EventRecorder writes them in the background. */
export function apiRecorder(recorder: EventRecorder): Recorder {
  return {
    event: (e: SchedulerEvent) => recorder.event(e.object, e.type, e.reason, e.message),
  };
}

/** The latest copy of a pod from the informer, when it is still the same pod (same uid). */
function latest(lister: Lister<Pod>, pod: Pod): Pod {
  const current = lister.get(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  return current !== undefined && current.metadata.uid === pod.metadata.uid ? current : pod;
}

/**
 * updatePod (schedule_one.go): a strategic merge patch of pods/status, only when the PodScheduled
 * condition or the nominated node would change — a pod failing for the same reason again writes
 * nothing. lastTransitionTime moves only when the condition's status does (podutil.UpdatePodCondition).
 */
export function apiStatusUpdater(o: {
  pods: ResourceClient<Pod>;
  lister: Lister<Pod>;
  now: () => number;
}): StatusUpdater {
  return {
    updatePodStatus: async (pod, update) => {
      const current = latest(o.lister, pod);
      const cond = update.condition;
      const old = current.status?.conditions?.find((c) => c.type === cond.type);
      const conditionChanged =
        old === undefined ||
        old.status !== cond.status ||
        old.reason !== cond.reason ||
        old.message !== cond.message;
      const nominated = update.nominatedNodeName;
      const nominationChanged =
        nominated !== undefined && (current.status?.nominatedNodeName ?? '') !== nominated;
      if (!conditionChanged && !nominationChanged) return;
      const condition: PodCondition = {
        ...cond,
        lastProbeTime: null,
        lastTransitionTime:
          old !== undefined && old.status === cond.status && old.lastTransitionTime !== undefined
            ? old.lastTransitionTime
            : nowTimestamp(new Date(o.now())),
      };
      const status: Record<string, unknown> = { conditions: [condition] };
      // null removes the field in a merge patch: the nomination is cleared.
      if (nominationChanged) status['nominatedNodeName'] = nominated === '' ? null : nominated;
      try {
        await o.pods.patch(
          current.metadata.name!,
          { status },
          { type: 'strategic', subresource: 'status', namespace: current.metadata.namespace ?? 'default' },
        );
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e; // deleted meanwhile: nothing to tell
      }
    },
  };
}

/**
 * Preemption (framework/preemption's prepareCandidate): mark the victim with a DisruptionTarget
 * condition, then delete it with its own grace period (upstream's DeleteOptions{}), as a uid
 * precondition so a recreated pod of the same name is left alone. A victim on a node stays
 * Terminating until its node agent stops it; the preemptor is nominated to the node meanwhile.
 */
export function apiEvictor(o: {
  pods: ResourceClient<Pod>;
  now: () => number;
  log: Logger;
  schedulerName?: string;
}): Evictor {
  return {
    evict: async (victim, preemptor) => {
      const namespace = victim.metadata.namespace ?? 'default';
      const name = victim.metadata.name!;
      const uid = victim.metadata.uid;
      try {
        await o.pods.patch(
          name,
          {
            status: {
              conditions: [
                {
                  type: 'DisruptionTarget',
                  status: 'True',
                  reason: 'PreemptionByScheduler',
                  message: `${o.schedulerName ?? defaultSchedulerName}: preempting to accommodate a higher priority pod`,
                  lastProbeTime: null,
                  lastTransitionTime: nowTimestamp(new Date(o.now())),
                },
              ],
            },
          },
          { type: 'strategic', subresource: 'status', namespace },
        );
        await o.pods.delete(name, { namespace, ...(uid === undefined ? {} : { preconditions: { uid } }) });
        o.log.info('preempted pod', { pod: podKey(victim), preemptor: podKey(preemptor) });
      } catch (e: unknown) {
        if (isNotFound(e)) return; // already gone
        throw e;
      }
    },
  };
}
