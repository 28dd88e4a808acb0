// InterPodAffinity (framework/plugins/interpodaffinity): required pod affinity and anti-affinity
// of the incoming pod, and the required anti-affinity of pods already placed, counted per topology
// pair in PreFilter; preferred terms (both ways) and existing pods' required affinity (with
// hardPodAffinityWeight) scored per topology pair in PreScore.
import type { NodeInfo } from '../../cache/node-info.ts';
import type { Snapshot } from '../../cache/snapshot.ts';
import {
  type AffinityTerm,
  podInfoOf,
  type PodInfo,
  termMatches,
  type WeightedAffinityTerm,
} from '../../cache/pod-info.ts';
import type { CycleState, StateData } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeScore,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface.ts';
import {
  maxNodeScore,
  SKIP,
  type Status,
  SUCCESS,
  unresolvable,
  unschedulable,
} from '../../framework/status.ts';
import type { Node, Pod } from '../../types.ts';

export const errReasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

const preFilterKey = 'PreFilterInterPodAffinity';
const preScoreKey = 'PreScoreInterPodAffinity';

/** topologyToMatchedTermCount: topology key → value → count; zero entries are deleted. */
class Counts {
  private readonly byKey = new Map<string, Map<string, number>>();
  size = 0;
  bump(node: Node, key: string, delta: number): void {
    const v = node.metadata.labels?.[key];
    if (v === undefined) return;
    let m = this.byKey.get(key);
    if (m === undefined) this.byKey.set(key, (m = new Map()));
    const old = m.get(v);
    const n = (old ?? 0) + delta;
    if (n === 0) {
      if (old !== undefined) {
        m.delete(v);
        this.size--;
        if (m.size === 0) this.byKey.delete(key);
      }
    } else {
      if (old === undefined) this.size++;
      m.set(v, n);
    }
  }
  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }
  /** Whether any label of the node has a positive count. */
  anyPositive(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, m] of this.byKey) {
      const v = labels[key];
      if (v !== undefined && (m.get(v) ?? 0) > 0) return true;
    }
    return false;
  }
  clone(): Counts {
    const c = new Counts();
    for (const [k, m] of this.byKey) c.byKey.set(k, new Map(m));
    c.size = this.size;
    return c;
  }
}

const podMatchesAll = (terms: readonly AffinityTerm[], pod: Pod): boolean =>
  terms.length > 0 && terms.every((t) => termMatches(t, pod));

class FilterState implements StateData {
  existingAntiAffinityCounts = new Counts();
  affinityCounts = new Counts();
  antiAffinityCounts = new Counts();
  readonly podInfo: PodInfo;
  constructor(podInfo: PodInfo) {
    this.podInfo = podInfo;
  }
  clone(): FilterState {
    const c = new FilterState(this.podInfo);
    c.existingAntiAffinityCounts = this.existingAntiAffinityCounts.clone();
    c.affinityCounts = this.affinityCounts.clone();
    c.antiAffinityCounts = this.antiAffinityCounts.clone();
    return c;
  }
  /** updateWithPod: account an existing pod on a node, added (+1) or removed (−1). */
  updateWithPod(existing: PodInfo, node: Node | undefined, delta: number): void {
    if (node === undefined) return;
    const incoming = this.podInfo;
    for (const t of existing.requiredAntiAffinityTerms) {
      if (termMatches(t, incoming.pod)) this.existingAntiAffinityCounts.bump(node, t.topologyKey, delta);
    }
    if (podMatchesAll(incoming.requiredAffinityTerms, existing.pod)) {
      for (const t of incoming.requiredAffinityTerms) this.affinityCounts.bump(node, t.topologyKey, delta);
    }
    for (const t of incoming.requiredAntiAffinityTerms) {
      if (termMatches(t, existing.pod)) this.antiAffinityCounts.bump(node, t.topologyKey, delta);
    }
  }
}

class ScoreState implements StateData {
  readonly topologyScore = new Map<string, Map<string, number>>();
  clone(): ScoreState {
    return this; // read-only after PreScore
  }
  add(term: AffinityTerm, weight: number, pod: Pod, node: Node): void {
    if (!termMatches(term, pod)) return;
    const v = node.metadata.labels?.[term.topologyKey];
    if (v === undefined) return;
    let m = this.topologyScore.get(term.topologyKey);
    if (m === undefined) this.topologyScore.set(term.topologyKey, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + weight);
  }
}

function hasLabels(node: Node): boolean {
  const labels = node.metadata.labels;
  if (labels !== undefined) for (const _ in labels) return true;
  return false;
}

type Visit = (existing: PodInfo, node: Node) => void;

/**
 * Visits the placed pods that can match all of `terms`: from the snapshot's pod index when one
 * term's selector has an equality key and `nodes` are the snapshot's, else every pod of `nodes`.
 */
function podVisitor(
  snapshot: Snapshot,
  nodes: readonly NodeInfo[],
): (terms: readonly AffinityTerm[], fn: Visit) => void {
  return (terms, fn) => {
    if (nodes === snapshot.nodeInfoList) {
      for (const t of terms) {
        const candidates = snapshot.pods.candidates(t.selector);
        if (candidates === undefined) continue;
        for (const [existing, ni] of candidates) if (ni.node !== undefined) fn(existing, ni.node);
        return;
      }
    }
    for (const ni of nodes) {
      const node = ni.node;
      if (node !== undefined) for (const existing of ni.pods) fn(existing, node);
    }
  };
}

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
}

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = 'InterPodAffinity';
  private readonly handle: Handle;
  private readonly hardPodAffinityWeight: number;

  constructor(args: InterPodAffinityArgs | undefined, handle: Handle) {
    this.handle = handle;
    this.hardPodAffinityWeight = args?.hardPodAffinityWeight ?? 1;
  }

  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status } {
    const pi = podInfoOf(pod);
    const withAnti = this.handle.snapshot().havePodsWithRequiredAntiAffinityList;
    const hasTerms = pi.requiredAffinityTerms.length > 0 || pi.requiredAntiAffinityTerms.length > 0;
    if (!hasTerms && withAnti.length === 0) return { status: SKIP };
    const s = new FilterState(pi);
    if (withAnti.length > 0) {
      // Only the pods whose anti-affinity selector can match this pod's labels.
      for (const [existing, ni] of this.handle.snapshot().pods.antiAffinityCandidates(pod.metadata.labels)) {
        for (const t of existing.requiredAntiAffinityTerms) {
          if (ni.node !== undefined && termMatches(t, pod))
            s.existingAntiAffinityCounts.bump(ni.node, t.topologyKey, 1);
        }
      }
    }
    if (hasTerms) {
      const each = podVisitor(this.handle.snapshot(), nodes);
      const affinity = pi.requiredAffinityTerms;
      if (affinity.length > 0) {
        each(affinity, (existing, node) => {
          if (podMatchesAll(affinity, existing.pod)) {
            for (const t of affinity) s.affinityCounts.bump(node, t.topologyKey, 1);
          }
        });
      }
      for (const t of pi.requiredAntiAffinityTerms) {
        each([t], (existing, node) => {
          if (termMatches(t, existing.pod)) s.antiAffinityCounts.bump(node, t.topologyKey, 1);
        });
      }
    }
    state.write(preFilterKey, s);
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pi: PodInfo, ni: NodeInfo, delta: number): Status => {
      state.read<FilterState>(preFilterKey)?.updateWithPod(pi, ni.node, delta);
      return SUCCESS;
    };
    return {
      addPod: (state, _pod, pi, ni) => update(state, pi, ni, 1),
      removePod: (state, _pod, pi, ni) => update(state, pi, ni, -1),
    };
  }

  filter(state: CycleState, _pod: Pod, ni: NodeInfo): Status {
    const s = state.read<FilterState>(preFilterKey);
    const labels = ni.node?.metadata.labels ?? {};
    if (s === undefined) return SUCCESS;
    // satisfyPodAffinity: every term's topology key on the node and a matching pod in its domain,
    // unless no pod matches anywhere and the pod matches its own terms (the first of a group).
    let podsExist = true;
    for (const t of s.podInfo.requiredAffinityTerms) {
      const v = labels[t.topologyKey];
      if (v === undefined) return unresolvable(errReasonAffinityRulesNotMatch);
      if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
    }
    if (
      !podsExist &&
      !(s.affinityCounts.size === 0 && podMatchesAll(s.podInfo.requiredAffinityTerms, s.podInfo.pod))
    ) {
      return unresolvable(errReasonAffinityRulesNotMatch);
    }
    for (const t of s.podInfo.requiredAntiAffinityTerms) {
      const v = labels[t.topologyKey];
      if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) {
        return unschedulable(errReasonAntiAffinityRulesNotMatch);
      }
    }
    if (s.existingAntiAffinityCounts.size > 0 && s.existingAntiAffinityCounts.anyPositive(labels)) {
      return unschedulable(errReasonExistingAntiAffinityRulesNotMatch);
    }
    return SUCCESS;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return SKIP;
    const pi = podInfoOf(pod);
    const hasConstraints = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    const snapshot = this.handle.snapshot();
    // Without preferred terms of its own, only existing pods with terms that score others count.
    const scoring = snapshot.pods.podsScoringOthers;
    if (!hasConstraints && scoring.size === 0) return SKIP;
    const s = new ScoreState();
    const terms = (list: readonly WeightedAffinityTerm[], target: Pod, node: Node, sign: number): void => {
      for (const t of list) s.add(t, t.weight * sign, target, node);
    };
    const visit = (existing: PodInfo, node: Node | undefined): void => {
      if (node === undefined || !hasLabels(node)) return;
      terms(pi.preferredAffinityTerms, existing.pod, node, 1);
      terms(pi.preferredAntiAffinityTerms, existing.pod, node, -1);
      if (this.hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) s.add(t, this.hardPodAffinityWeight, pod, node);
      }
      terms(existing.preferredAffinityTerms, pod, node, 1);
      terms(existing.preferredAntiAffinityTerms, pod, node, -1);
    };
    if (hasConstraints) {
      for (const ni of snapshot.nodeInfoList) for (const existing of ni.pods) visit(existing, ni.node);
    } else {
      for (const [existing, ni] of scoring) visit(existing, ni.node);
    }
    if (s.topologyScore.size === 0) return SKIP;
    state.write(preScoreKey, s);
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, ni: NodeInfo): number {
    const s = state.read<ScoreState>(preScoreKey);
    const labels = ni.node?.metadata.labels ?? {};
    let score = 0;
    for (const [key, values] of s?.topologyScore ?? []) {
      const v = labels[key];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  /** NormalizeScore: min-max scaling of the (possibly negative) sums to [0, 100]. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    if (state.read<ScoreState>(preScoreKey) === undefined) return SUCCESS;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc(maxNodeScore * ((s.score - min) / diff)) : 0;
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: {
          resource: 'Pod',
          actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
    ];
  }
}
