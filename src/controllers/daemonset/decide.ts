// The DaemonSet controller's decisions as pure functions over a node → daemon pods map
// (pkg/controller/daemon daemon_controller.go podsShouldBeOnNode and update.go rollingUpdate,
// updatedDesiredNodeCounts, findUpdatedPodsOnNode): which nodes need a pod, which pods go, and how
// far a rolling update may go within maxUnavailable / maxSurge.
import { isPodAvailable, isPodReady, parseTime, type Pod } from '../framework/index.ts';
import { scaledValue } from '../history/index.ts';
import { nodeShouldRunDaemonPod, templateGeneration, templateGenerationLabel } from './placement.ts';
import type { DaemonSet, Node } from './types.ts';

/** util.IsPodUpdated: the pod carries the current hash or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[templateGenerationLabel] === generation;
  const hashMatches = hash !== '' && labels['controller-revision-hash'] === hash;
  return hashMatches || templateMatches;
}

/** util.AllowsSurge: a RollingUpdate with a non-zero maxSurge. */
export function allowsSurge(ds: DaemonSet): boolean {
  const s = ds.spec.updateStrategy;
  if (s?.type !== 'RollingUpdate') return false;
  const surge = s.rollingUpdate?.maxSurge;
  return surge !== undefined && surge !== 0 && surge !== '0' && surge !== '0%';
}

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** podByCreationTimestampAndPhase: oldest first, then by phase, then by name. */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const pa = phaseOrder[a.status?.phase ?? ''] ?? 0;
  const pb = phaseOrder[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pb - pa;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export interface NodePlan {
  /** Nodes that need a new daemon pod. */
  readonly create: string[];
  /** Names of daemon pods to delete. */
  readonly delete: string[];
  /** Failed pods being deleted, as (pod, node), for the FailedDaemonPod event. */
  readonly failed: { pod: string; node: string }[];
}

/** podsShouldBeOnNode for every node, plus getUnscheduledPodsWithoutNode. */
export function planNodes(o: {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  nowMs: number;
}): NodePlan {
  const plan: NodePlan = { create: [], delete: [], failed: [] };
  const minReady = o.ds.spec.minReadySeconds ?? 0;
  for (const node of o.nodes) {
    const name = node.metadata.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, o.ds);
    const pods = o.nodeToPods.get(name);
    if (shouldRun && pods === undefined) {
      plan.create.push(name);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of pods ?? []) {
        if (pod.metadata.deletionTimestamp !== undefined) continue;
        if (pod.status?.phase === 'Failed') {
          plan.failed.push({ pod: pod.metadata.name ?? '', node: name });
          plan.delete.push(pod.metadata.name ?? '');
        } else if (pod.status?.phase === 'Succeeded') plan.delete.push(pod.metadata.name ?? '');
        else running.push(pod);
      }
      running.sort(byCreationAndPhase);
      if (!allowsSurge(o.ds)) {
        // More than one running pod: keep the oldest.
        for (const extra of running.slice(1)) plan.delete.push(extra.metadata.name ?? '');
        continue;
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) plan.create.push(name);
        continue;
      }
      // Surging: keep two only while the oldest new pod is not yet available and the oldest old one ready.
      let oldestNew: Pod | undefined;
      let oldestOld: Pod | undefined;
      for (const pod of running) {
        const isNew = pod.metadata.labels?.['controller-revision-hash'] === o.hash;
        if (isNew && oldestNew === undefined) oldestNew = pod;
        else if (!isNew && oldestOld === undefined) oldestOld = pod;
        else plan.delete.push(pod.metadata.name ?? '');
      }
      if (oldestNew !== undefined && oldestOld !== undefined) {
        if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, o.nowMs)) {
          plan.delete.push(oldestOld.metadata.name ?? '');
        }
      }
    } else if (pods !== undefined) {
      for (const pod of pods)
        if (pod.metadata.deletionTimestamp === undefined) plan.delete.push(pod.metadata.name ?? '');
    }
  }
  // Unbound pods aimed at nodes that no longer exist: nothing else would ever remove them.
  const known = new Set(o.nodes.map((n) => n.metadata.name ?? ''));
  for (const [node, pods] of o.nodeToPods) {
    if (known.has(node)) continue;
    for (const pod of pods) {
      if ((pod.spec?.nodeName ?? '') === '' && pod.metadata.deletionTimestamp === undefined)
        plan.delete.push(pod.metadata.name ?? '');
    }
  }
  return plan;
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, or not ok. */
export function findUpdatedPodsOnNode(
  pods: readonly Pod[],
  hash: string,
  generation: string | undefined,
): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod !== undefined) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod !== undefined) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** updatedDesiredNodeCounts: the budgets scaled against the nodes that should run a pod. */
export function rollingBudgets(
  ds: DaemonSet,
  nodes: readonly Node[],
): { maxSurge: number; maxUnavailable: number; desired: number } {
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, true);
  const maxSurge = allowsSurge(ds) ? scaledValue(ru?.maxSurge, desired, true) : 0;
  // A zero budget on both sides would never make progress.
  if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

/**
 * rollingUpdate: old pods to delete and nodes to surge onto this round. (Upstream's extra rule for
 * surging away from nodes that stopped fitting, shouldNotRunPodsToDelete, is left out.)
 */
export function planRollingUpdate(o: {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  nowMs: number;
}): { delete: string[]; create: string[] } {
  const { maxSurge, maxUnavailable } = rollingBudgets(o.ds, o.nodes);
  const minReady = o.ds.spec.minReadySeconds ?? 0;
  const generation = templateGeneration(o.ds);
  const available = (p: Pod): boolean => isPodAvailable(p, minReady, o.nowMs);
  const nodeByName = new Map(o.nodes.map((n) => [n.metadata.name ?? '', n]));
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: string[] = [];
    const candidates: string[] = [];
    for (const pods of o.nodeToPods.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, o.hash, generation);
      if (!ok || (oldPod === undefined) === (newPod === undefined)) {
        // The manage loop settles this node first; count it unavailable.
        unavailable++;
      } else if (newPod !== undefined) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod !== undefined) {
        if (!available(oldPod)) replace.push(oldPod.metadata.name ?? '');
        else if (unavailable < maxUnavailable) candidates.push(oldPod.metadata.name ?? '');
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
    return { delete: [...replace, ...candidates.slice(0, remaining)], create: [] };
  }
  const toDelete: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let surge = 0;
  for (const [nodeName, pods] of o.nodeToPods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, o.hash, generation);
    if (!ok) {
      surge++;
      continue;
    }
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!available(oldPod)) {
        const node = nodeByName.get(nodeName);
        if (node === undefined || !nodeShouldRunDaemonPod(node, o.ds).shouldRun) {
          toDelete.push(oldPod.metadata.name ?? '');
          continue;
        }
        allowedNodes.push(nodeName);
      } else if (surge < maxSurge) candidateNodes.push(nodeName);
      continue;
    }
    if (!available(newPod)) {
      surge++;
      continue;
    }
    toDelete.push(oldPod.metadata.name ?? '');
  }
  const remaining = Math.min(Math.max(maxSurge - surge, 0), candidateNodes.length);
  return { delete: toDelete, create: [...allowedNodes, ...candidateNodes.slice(0, remaining)] };
}
