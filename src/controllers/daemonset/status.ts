// updateDaemonSetStatus (pkg/controller/daemon/daemon_controller.go): per node that should run a
// daemon pod, whether one is scheduled, ready, available and updated (judged by the oldest pod on
// the node); pods on nodes that should not run one count as misscheduled.
import { isPodAvailable, isPodReady, type Pod } from '../framework/index.ts';
import { byCreationAndPhase, isPodUpdated } from './decide.ts';
import { nodeShouldRunDaemonPod, templateGeneration } from './placement.ts';
import type { DaemonSet, DaemonSetStatus, Node } from './types.ts';

export type DaemonSetCounts = Required<
  Pick<
    DaemonSetStatus,
    | 'desiredNumberScheduled'
    | 'currentNumberScheduled'
    | 'numberMisscheduled'
    | 'numberReady'
    | 'updatedNumberScheduled'
    | 'numberAvailable'
    | 'numberUnavailable'
  >
>;

export function computeStatus(o: {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  nowMs: number;
}): DaemonSetCounts {
  const c: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const generation = templateGeneration(o.ds);
  const minReady = o.ds.spec.minReadySeconds ?? 0;
  for (const node of o.nodes) {
    const pods = o.nodeToPods.get(node.metadata.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, o.ds).shouldRun) {
      if (scheduled) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!scheduled) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(byCreationAndPhase)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, minReady, o.nowMs)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, o.hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/** storeDaemonSetStatus's early return: nothing to write. */
export function statusUpToDate(ds: DaemonSet, c: DaemonSetCounts, observe: boolean): boolean {
  const s = ds.status ?? {};
  for (const [k, v] of Object.entries(c)) if ((s[k as keyof DaemonSetCounts] ?? 0) !== v) return false;
  return !observe || (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
}
