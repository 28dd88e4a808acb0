// The scheduling algorithm of one cycle (pkg/scheduler/schedule_one.go: schedulePod,
// findNodesThatFitPod, findNodesThatPassFilters, prioritizeNodes, selectHost), over a snapshot.
// It only reads; the caller assumes the result in the cache.
import type { NodeInfo } from './cache/node-info.ts';
import type { Snapshot } from './cache/snapshot.ts';
import { numFeasibleNodesToFind } from './framework/config.ts';
import type { CycleState } from './framework/cycle-state.ts';
import { type Diagnosis, FitError, newDiagnosis } from './framework/fit-error.ts';
import type { Framework, NodePluginScores } from './framework/runtime.ts';
import { isRejected, StatusError, statusMessage } from './framework/status.ts';
import type { Pod } from './types.ts';

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export const errNoNodesAvailable = 'no nodes available to schedule pods';

export interface AlgorithmOptions {
  fwk: Framework;
  state: CycleState;
  pod: Pod;
  snapshot: Snapshot;
  /** nextStartNodeIndex, carried across cycles so successive pods start at different nodes. */
  cursor: { nextStartNodeIndex: number };
  /** A number in [0, 1), for the tie break. */
  random: () => number;
}

/** schedulePod: throws a FitError when no node fits, a StatusError on a plugin error. */
export function schedulePod(o: AlgorithmOptions): ScheduleResult {
  if (o.snapshot.numNodes === 0) throw new StatusError({ code: 'Error', reasons: [errNoNodesAvailable] });
  const { feasible, diagnosis } = findNodesThatFitPod(o);
  if (feasible.length === 0) throw new FitError({ pod: o.pod, numAllNodes: o.snapshot.numNodes, diagnosis });
  const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.map.size;
  if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1 };
  const scores = prioritizeNodes(o, feasible);
  return { suggestedHost: selectHost(scores, o.random), evaluatedNodes, feasibleNodes: feasible.length };
}

function findNodesThatFitPod(o: AlgorithmOptions): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
  const { fwk, state, pod, snapshot } = o;
  const diagnosis = newDiagnosis();
  const all = snapshot.nodeInfoList;
  const pre = fwk.runPreFilterPlugins(state, pod, all);
  if (pre.status.code !== 'Success') {
    if (!isRejected(pre.status)) throw new StatusError(pre.status);
    // Every node gets the PreFilter verdict; the message is PreFilter's alone.
    diagnosis.nodeToStatus.absentNodesStatus = pre.status;
    diagnosis.preFilterMsg = statusMessage(pre.status);
    for (const p of (pre.status.plugin ?? '').split(',')) if (p !== '') diagnosis.unschedulablePlugins.add(p);
    return { feasible: [], diagnosis };
  }
  // A nominated node (from an earlier preemption) is tried first, alone.
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = snapshot.get(nominated);
    if (ni !== undefined && (pre.result?.nodeNames === undefined || pre.result.nodeNames.has(nominated))) {
      const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (s.code === 'Error') throw new StatusError(s);
      if (s.code === 'Success') return { feasible: [ni], diagnosis };
    }
  }
  let nodes = all;
  if (pre.result?.nodeNames !== undefined) {
    nodes = [...pre.result.nodeNames].flatMap((n) => snapshot.get(n) ?? []);
    diagnosis.nodeToStatus.absentNodesStatus = {
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't satisfy plugin(s) PreFilter result"],
    };
  }
  return { feasible: findNodesThatPassFilters(o, nodes, diagnosis), diagnosis };
}

/** Filters from nextStartNodeIndex round the list until enough feasible nodes are found. */
function findNodesThatPassFilters(
  o: AlgorithmOptions,
  nodes: readonly NodeInfo[],
  diagnosis: Diagnosis,
): NodeInfo[] {
  const { fwk, state, pod, cursor } = o;
  const n = nodes.length;
  if (n === 0) return [];
  const want = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, n);
  const start = cursor.nextStartNodeIndex % n;
  const feasible: NodeInfo[] = [];
  let processed = 0;
  const filters = fwk.filterPlugins.length > 0;
  for (let i = 0; i < n && feasible.length < want; i++) {
    const ni = nodes[(start + i) % n]!;
    processed++;
    if (!filters) {
      feasible.push(ni);
      continue;
    }
    const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
    if (s.code === 'Success') feasible.push(ni);
    else if (s.code === 'Error') throw new StatusError(s);
    else {
      diagnosis.nodeToStatus.map.set(ni.name, s);
      if (s.plugin !== undefined) diagnosis.unschedulablePlugins.add(s.plugin);
    }
  }
  cursor.nextStartNodeIndex = (start + processed) % n;
  return feasible;
}

function prioritizeNodes(o: AlgorithmOptions, feasible: readonly NodeInfo[]): NodePluginScores[] {
  const { fwk, state, pod } = o;
  if (fwk.scorePlugins.length === 0) return feasible.map((n) => ({ name: n.name, totalScore: 1 }));
  const pre = fwk.runPreScorePlugins(state, pod, feasible);
  if (pre.code !== 'Success') throw new StatusError(pre);
  const r = fwk.runScorePlugins(state, pod, feasible);
  if (r.status.code !== 'Success') throw new StatusError(r.status);
  return r.scores;
}

/** selectHost: the highest total; ties broken by reservoir sampling so each tied node is equally likely. */
export function selectHost(scores: readonly NodePluginScores[], random: () => number): string {
  let selected = scores[0]!;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i]!;
    if (s.totalScore > selected.totalScore) {
      selected = s;
      ties = 1;
    } else if (s.totalScore === selected.totalScore) {
      ties++;
      if (Math.floor(random() * ties) === 0) selected = s;
    }
  }
  return selected.name;
}
