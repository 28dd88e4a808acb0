// SelectVictimsOnNode and pickOneNodeForPreemption (defaultpreemption/default_preemption.go,
// preemption/preemption.go): remove every lower-priority pod, check the preemptor fits, then
// reprieve as many as possible (PDB-violating ones first, most important first).
import { selectorToString } from '../../../api/labels.ts';
import type { NodeInfo } from '../../cache/node-info.ts';
import { type PodInfo, safeSelector } from '../../cache/pod-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import type { Handle } from '../../framework/interface.ts';
import { type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import { type Pod, type PodDisruptionBudget, podPriority } from '../../types.ts';

export interface Candidate {
  readonly nodeName: string;
  /** Most important first. */
  readonly victims: Pod[];
  readonly numPDBViolations: number;
}

const startTime = (p: Pod): number => {
  const t = p.status?.startTime ?? p.metadata.creationTimestamp;
  return t ? Date.parse(t) : Number.MAX_SAFE_INTEGER;
};

/** util.MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a) < startTime(b);
}

/** filterPodsWithPDBViolation: stable split into victims that would break a PDB and those that would not. */
export function splitByPDBViolation(
  pods: PodInfo[],
  pdbs: readonly PodDisruptionBudget[],
): [PodInfo[], PodInfo[]] {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => safeSelector(p.spec?.selector));
  const violating: PodInfo[] = [];
  const ok: PodInfo[] = [];
  for (const pi of pods) {
    const m = pi.pod.metadata;
    let violated = false;
    if (Object.keys(m.labels ?? {}).length > 0) {
      pdbs.forEach((pdb, i) => {
        const sel = selectors[i]!;
        if ((pdb.metadata.namespace ?? 'default') !== (m.namespace ?? 'default')) return;
        if (sel.matchesNothing || selectorToString(sel) === '' || !sel.matches(m.labels)) return;
        if (pdb.status?.disruptedPods?.[m.name ?? ''] !== undefined) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : ok).push(pi);
  }
  return [violating, ok];
}

export function selectVictimsOnNode(options: {
  handle: Handle;
  state: CycleState;
  pod: Pod;
  nodeInfo: NodeInfo;
  pdbs: readonly PodDisruptionBudget[];
}): { victims: Pod[]; numViolating: number; status: Status } {
  const { handle, state, pod, nodeInfo } = options;
  const priority = podPriority(pod);
  const remove = (pi: PodInfo): Status => {
    nodeInfo.removePod(pi.pod);
    return handle.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
  };
  const add = (pi: PodInfo): Status => {
    nodeInfo.addPodInfo(pi);
    return handle.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
  };
  const potential = nodeInfo.pods.filter((pi) => pi.priority < priority);
  for (const pi of potential) {
    const s = remove(pi);
    if (s.code !== 'Success') return { victims: [], numViolating: 0, status: s };
  }
  if (potential.length === 0) {
    return {
      victims: [],
      numViolating: 0,
      status: unresolvable('No preemption victims found for incoming pod'),
    };
  }
  const fits = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (fits.code !== 'Success') return { victims: [], numViolating: 0, status: fits };
  potential.sort((a, b) => (moreImportantPod(a.pod, b.pod) ? -1 : moreImportantPod(b.pod, a.pod) ? 1 : 0));
  const [violating, nonViolating] = splitByPDBViolation(potential, options.pdbs);
  const victims: PodInfo[] = [];
  let numViolating = 0;
  const reprieve = (pi: PodInfo): boolean => {
    add(pi);
    const ok = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).code === 'Success';
    if (!ok) {
      remove(pi);
      victims.push(pi);
    }
    return ok;
  };
  for (const pi of violating) if (!reprieve(pi)) numViolating++;
  for (const pi of nonViolating) reprieve(pi);
  if (violating.length > 0 && nonViolating.length > 0) {
    victims.sort((a, b) => (moreImportantPod(a.pod, b.pod) ? -1 : moreImportantPod(b.pod, a.pod) ? 1 : 0));
  }
  return { victims: victims.map((v) => v.pod), numViolating, status: SUCCESS };
}

/**
 * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim, then
 * the smallest sum of priorities, then the fewest victims, then the latest start among the
 * highest-priority victims, then the first.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  let rest = candidates.slice();
  const keepMin = (f: (c: Candidate) => number): void => {
    if (rest.length <= 1) return;
    const min = Math.min(...rest.map(f));
    rest = rest.filter((c) => f(c) === min);
  };
  keepMin((c) => c.numPDBViolations);
  keepMin((c) => (c.victims[0] === undefined ? -Infinity : podPriority(c.victims[0])));
  keepMin((c) => c.victims.reduce((s, v) => s + podPriority(v) + 2 ** 31, 0));
  keepMin((c) => c.victims.length);
  keepMin((c) => {
    const top = c.victims[0] === undefined ? 0 : podPriority(c.victims[0]);
    const earliest = Math.min(...c.victims.filter((v) => podPriority(v) === top).map(startTime));
    return -earliest; // latest earliest-start wins
  });
  return rest[0];
}
