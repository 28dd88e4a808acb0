// The last-change-trigger-time of an Endpoints (or EndpointSlice) object (upstream's
// pkg/controller/util/endpoint trigger_time_tracker.go): for a new service its creation time;
// afterwards the earliest of the trigger times that changed since the previous sync — a pod's Ready
// condition lastTransitionTime, the service's creation time. Exported as the
// `endpoints.kubernetes.io/last-change-trigger-time` annotation for latency measurements.
import { podReadyCondition, type Pod, type Service } from './pods.ts';

interface ServiceState {
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time to export (ms since the epoch), or undefined when none should be. */
  compute(service: Service, pods: readonly Pod[]): number | undefined {
    const key = `${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = Date.parse(podReadyCondition(pod)?.lastTransitionTime ?? '');
      if (!Number.isFinite(t)) continue;
      const name = pod.metadata.name ?? '';
      podTimes.set(name, t);
      if (t > (state?.podTriggerTimes.get(name) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const created = Date.parse(service.metadata.creationTimestamp ?? '');
    const serviceTime = Number.isFinite(created) ? created : 0;
    if (serviceTime > (state?.serviceTriggerTime ?? -Infinity)) {
      min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    }
    this.states.set(key, { podTriggerTimes: podTimes, serviceTriggerTime: serviceTime });
    if (state === undefined) return Number.isFinite(created) ? created : undefined;
    return min;
  }

  /** DeleteService */
  forget(key: string): void {
    this.states.delete(key);
  }
}

/** RFC 3339 with fractional seconds, as metav1.Time.Format(time.RFC3339Nano) writes. */
export function formatTriggerTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
