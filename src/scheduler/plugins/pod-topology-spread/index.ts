// PodTopologySpread (framework/plugins/podtopologyspread): DoNotSchedule constraints filter on
// skew = matching pods in the node's domain + self − the smallest domain's count (0 while there are
// fewer domains than minDomains); ScheduleAnyway constraints (or the system defaults) score.
import type { NodeInfo } from '../../cache/node-info.ts';
import type { PodInfo } from '../../cache/pod-info.ts';
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
import { labelHostname, type Pod } from '../../types.ts';
import {
  type Constraint,
  countMatching,
  defaultSelectorConstraints,
  nodeHasAllKeys,
  nodeIncluded,
  podConstraints,
} from './constraints.ts';
import { countPairs, indexedCounts, walkCounts } from './counting.ts';

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;

const preFilterKey = 'PreFilterPodTopologySpread';
const preScoreKey = 'PreScorePodTopologySpread';

class FilterState implements StateData {
  constraints: Constraint[] = [];
  /** Per constraint: topology value → matching pods. */
  counts: Map<string, number>[] = [];
  /** Per constraint: the smallest count, computed on first use after a change. */
  private mins: (number | undefined)[] = [];
  clone(): FilterState {
    const c = new FilterState();
    c.constraints = this.constraints;
    c.counts = this.counts.map((m) => new Map(m));
    return c;
  }
  minMatch(i: number): number {
    let min = this.mins[i];
    if (min !== undefined) return min;
    const m = this.counts[i]!;
    if (m.size < this.constraints[i]!.minDomains) min = 0;
    else {
      min = Infinity;
      for (const v of m.values()) if (v < min) min = v;
      if (min === Infinity) min = 0;
    }
    this.mins[i] = min;
    return min;
  }
  update(pod: Pod, existing: PodInfo, ni: NodeInfo, delta: number): void {
    const node = ni.node;
    if (node === undefined || !nodeHasAllKeys(node, this.constraints)) return;
    const ns = pod.metadata.namespace ?? 'default';
    if ((existing.pod.metadata.namespace ?? 'default') !== ns) return;
    this.constraints.forEach((c, i) => {
      if (!nodeIncluded(pod, node, c) || !c.selector.matches(existing.pod.metadata.labels)) return;
      const v = node.metadata.labels![c.topologyKey]!;
      this.counts[i]!.set(v, (this.counts[i]!.get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

class ScoreState implements StateData {
  constraints: Constraint[] = [];
  ignored = new Set<string>();
  /** Per constraint: topology value → matching pods (hostname constraints count per node instead). */
  pairCounts: Map<string, number>[] = [];
  weights: number[] = [];
  clone(): ScoreState {
    return this;
  }
}

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = 'PodTopologySpread';
  private readonly handle: Handle;
  private readonly systemDefaulted: boolean;

  constructor(args: { defaultingType?: 'System' | 'List' } | undefined, handle: Handle) {
    this.handle = handle;
    this.systemDefaulted = (args?.defaultingType ?? 'System') === 'System';
  }

  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status } {
    const constraints = podConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: SKIP };
    const s = new FilterState();
    s.constraints = constraints;
    const snapshot = this.handle.snapshot();
    const counts = nodes === snapshot.nodeInfoList ? indexedCounts(snapshot, pod, constraints) : undefined;
    s.counts = counts ?? walkCounts(pod, constraints, nodes);
    state.write(preFilterKey, s);
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo, delta: number): Status => {
      state.read<FilterState>(preFilterKey)?.update(pod, pi, ni, delta);
      return SUCCESS;
    };
    return {
      addPod: (state, pod, pi, ni) => update(state, pod, pi, ni, 1),
      removePod: (state, pod, pi, ni) => update(state, pod, pi, ni, -1),
    };
  }

  filter(state: CycleState, pod: Pod, ni: NodeInfo): Status {
    const s = state.read<FilterState>(preFilterKey);
    if (s === undefined) return SUCCESS;
    const labels = ni.node?.metadata.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = labels[c.topologyKey];
      if (v === undefined) return unresolvable(errReasonNodeLabelNotMatch);
      const self = c.selector.matches(pod.metadata.labels) ? 1 : 0;
      const skew = (s.counts[i]!.get(v) ?? 0) + self - s.minMatch(i);
      if (skew > c.maxSkew) return unschedulable(errReasonConstraintsNotMatch);
    }
    return SUCCESS;
  }

  preScore(state: CycleState, pod: Pod, filtered: readonly NodeInfo[]): Status {
    if (filtered.length === 0) return SKIP;
    const explicit = pod.spec.topologySpreadConstraints ?? [];
    let constraints = podConstraints(pod, 'ScheduleAnyway');
    if (explicit.length === 0 && this.systemDefaulted) constraints = defaultSelectorConstraints(pod);
    if (constraints.length === 0) return SKIP;
    const requireAll = explicit.length > 0 || !this.systemDefaulted;
    const s = new ScoreState();
    s.constraints = constraints;
    const sizes = constraints.map(() => new Set<string>());
    s.pairCounts = constraints.map(() => new Map());
    for (const ni of filtered) {
      const node = ni.node!;
      if (requireAll && !nodeHasAllKeys(node, constraints)) {
        s.ignored.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        const v = node.metadata.labels?.[c.topologyKey];
        if (v === undefined) return;
        sizes[i]!.add(v);
        if (c.topologyKey !== labelHostname) s.pairCounts[i]!.set(v, 0);
      });
    }
    s.weights = constraints.map((c, i) =>
      Math.log((c.topologyKey === labelHostname ? filtered.length - s.ignored.size : sizes[i]!.size) + 2),
    );
    countPairs(this.handle.snapshot(), pod, constraints, requireAll, s.pairCounts);
    state.write(preScoreKey, s);
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, ni: NodeInfo): number {
    const s = state.read<ScoreState>(preScoreKey);
    if (s === undefined || s.ignored.has(ni.name)) return 0;
    const labels = ni.node?.metadata.labels ?? {};
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = labels[c.topologyKey];
      if (v === undefined) return;
      const cnt =
        c.topologyKey === labelHostname
          ? countMatching(ni, c.selector, pod.metadata.namespace ?? 'default')
          : (s.pairCounts[i]!.get(v) ?? 0);
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  /** NormalizeScore: fewer matching pods scores higher; ignored nodes score 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<ScoreState>(preScoreKey);
    if (s === undefined) return SUCCESS;
    let min = Infinity;
    let max = 0;
    for (const x of scores) {
      if (s.ignored.has(x.name)) continue;
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) {
      if (s.ignored.has(x.name)) x.score = 0;
      else if (max === 0) x.score = maxNodeScore;
      else x.score = Math.trunc((maxNodeScore * (max + min - x.score)) / max);
    }
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
      {
        event: {
          resource: 'Node',
          actionType:
            ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
        },
      },
    ];
  }
}
