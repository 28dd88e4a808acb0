// frameworkImpl (pkg/scheduler/framework/runtime/framework.go): one profile's plugins, instantiated
// from the registry, and the code that runs each extension point in order. A plugin that throws has
// a bug; the exception becomes an Error status naming the plugin, never a crash of the scheduler.
import type { Logger } from '../../log.ts';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { Snapshot } from '../cache/snapshot.ts';
import { type Pod, podUid } from '../types.ts';
import { type ExtensionPoint, type ResolvedProfile } from './config.ts';
import { CycleState } from './cycle-state.ts';
import type {
  Binder,
  BindPlugin,
  Clock,
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  Listers,
  Nominator,
  NodeScore,
  NodeToStatus,
  PermitPlugin,
  Plugin,
  PostBindPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueueSortPlugin,
  Registry,
  ReservePlugin,
  ScorePlugin,
  WaitingPod,
} from './interface.ts';
import { isRejected, maxNodeScore, minNodeScore, type Status, SUCCESS, withPlugin } from './status.ts';
import { WaitingPods } from './waiting-pods.ts';

/** A node's weighted total over all score plugins. */
export interface NodePluginScores {
  readonly name: string;
  totalScore: number;
}

export interface FrameworkOptions {
  profile: ResolvedProfile;
  registry: Registry;
  snapshot: () => Snapshot;
  binder: Binder;
  clock: Clock;
  nominator: Nominator;
  listers?: Listers;
  logger?: Logger;
}

/** Upstream's permit timeout ceiling. */
const maxPermitTimeoutMs = 15 * 60 * 1000;

const methodOf: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue',
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
};

export class FrameworkError extends Error {
  override readonly name = 'FrameworkError';
}

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly listers: Listers;
  readonly binder: Binder;
  readonly nominator: Nominator;
  readonly snapshot: () => Snapshot;
  readonly plugins = new Map<string, Plugin>();
  readonly weights: ReadonlyMap<string, number>;
  private readonly waiting: WaitingPods;

  readonly preEnqueuePlugins: PreEnqueuePlugin[];
  readonly queueSortPlugin: QueueSortPlugin | undefined;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly postFilterPlugins: PostFilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: ScorePlugin[];
  readonly reservePlugins: ReservePlugin[];
  readonly permitPlugins: PermitPlugin[];
  readonly preBindPlugins: PreBindPlugin[];
  readonly bindPlugins: BindPlugin[];
  readonly postBindPlugins: PostBindPlugin[];

  constructor(options: FrameworkOptions) {
    const { profile } = options;
    this.profileName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.clock = options.clock;
    this.logger = options.logger;
    this.listers = options.listers ?? {};
    this.binder = options.binder;
    this.nominator = options.nominator;
    this.snapshot = options.snapshot;
    this.weights = profile.weights;
    this.waiting = new WaitingPods(options.clock);
    for (const name of profile.plugins) {
      const factory = options.registry.get(name);
      if (factory === undefined) throw new FrameworkError(`plugin "${name}" does not exist`);
      this.plugins.set(name, factory(profile.args.get(name), this));
    }
    const at = <T extends Plugin>(point: ExtensionPoint): T[] => {
      const out: T[] = [];
      for (const name of profile.points[point]) {
        const p = this.plugins.get(name)!;
        const implemented = typeof (p as unknown as Record<string, unknown>)[methodOf[point]] === 'function';
        if (implemented) out.push(p as T);
        else if (profile.explicit[point].has(name)) {
          throw new FrameworkError(`plugin "${name}" does not extend ${point} plugin`);
        }
      }
      return out;
    };
    this.preEnqueuePlugins = at('preEnqueue');
    const sorts = at<QueueSortPlugin>('queueSort');
    if (sorts.length > 1) throw new FrameworkError('only one queue sort plugin can be enabled');
    this.queueSortPlugin = sorts[0];
    this.preFilterPlugins = at('preFilter');
    this.filterPlugins = at('filter');
    this.postFilterPlugins = at('postFilter');
    this.preScorePlugins = at('preScore');
    this.scorePlugins = at('score');
    this.reservePlugins = at('reserve');
    this.permitPlugins = at('permit');
    this.preBindPlugins = at('preBind');
    this.bindPlugins = at('bind');
    this.postBindPlugins = at('postBind');
    if (this.bindPlugins.length === 0) throw new FrameworkError('at least one bind plugin is needed');
  }

  /** EventsToRegister of every plugin that has one, by plugin name (for queueing hints). */
  eventsToRegister(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const [name, p] of this.plugins) {
      const ext = p as Partial<EnqueueExtensions>;
      if (typeof ext.eventsToRegister === 'function') out.set(name, ext.eventsToRegister());
    }
    return out;
  }

  waitingPod(uid: string): WaitingPod | undefined {
    return this.waiting.get(uid);
  }

  /** Reject every pod waiting at Permit (preemption of a waiting pod, shutdown). */
  rejectWaitingPod(uid: string, message: string): void {
    this.waiting.get(uid)?.reject('', message);
  }

  private guard(plugin: string, fn: () => Status): Status {
    try {
      const s = fn();
      return s.code === 'Success' ? s : withPlugin(s, plugin);
    } catch (e: unknown) {
      return { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)], plugin };
    }
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.preEnqueuePlugins) {
      const s = this.guard(p.name, () => p.preEnqueue(pod));
      if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** RunPreFilterPlugins: Skip marks the plugin's Filter as skipped; results intersect. */
  runPreFilterPlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result: PreFilterResult | undefined; status: Status } {
    let result: PreFilterResult | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.preFilterPlugins) {
      let r: PreFilterResult | undefined;
      const s = this.guard(p.name, () => {
        const out = p.preFilter(state, pod, nodes);
        r = out.result;
        return out.status;
      });
      if (s.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (s.code !== 'Success') return { result: undefined, status: s };
      if (r?.nodeNames !== undefined) {
        narrowedBy.push(p.name);
        const names: ReadonlySet<string> = r.nodeNames;
        result =
          result?.nodeNames === undefined
            ? { nodeNames: names }
            : { nodeNames: new Set([...result.nodeNames].filter((n) => names.has(n))) };
        if (result.nodeNames!.size === 0) {
          const msg = `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return {
            result,
            status: { code: 'UnschedulableAndUnresolvable', reasons: [msg], plugin: narrowedBy.join(',') },
          };
        }
      }
    }
    return { result, status: SUCCESS };
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, toAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (ext === undefined) continue;
      const s = this.guard(p.name, () => ext.addPod(state, pod, toAdd, nodeInfo));
      if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, toRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (ext === undefined) continue;
      const s = this.guard(p.name, () => ext.removePod(state, pod, toRemove, nodeInfo));
      if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** RunFilterPlugins: the first non-success verdict decides. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.size > 0 && state.skipFilterPlugins.has(p.name)) continue;
      let s: Status;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (e: unknown) {
        s = { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)] };
      }
      if (s.code !== 'Success') {
        if (!isRejected(s) && s.code !== 'Error') continue;
        return withPlugin(s, p.name);
      }
    }
    return SUCCESS;
  }

  /**
   * RunFilterPluginsWithNominatedPods: first with the pods nominated to this node at equal or
   * higher priority added (so a preemptor's room is kept), then without them (so pod affinity to
   * a nominated pod cannot make a node look feasible).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const all = this.nominator.nominatedPodsForNode(nodeInfo.name);
    // The common case, nothing nominated here: no copies, no second pass.
    if (all.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const priority = pod.spec.priority ?? 0;
    const uid = podUid(pod);
    const nominated = all.filter((pi) => pi.priority >= priority && podUid(pi.pod) !== uid);
    if (nominated.length > 0) {
      const ni = nodeInfo.clone();
      const st = state.clone();
      for (const pi of nominated) {
        ni.addPodInfo(pi);
        const s = this.runPreFilterExtensionAddPod(st, pod, pi, ni);
        if (s.code !== 'Success') return s;
      }
      const s = this.runFilterPlugins(st, pod, ni);
      if (s.code !== 'Success') return s;
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPostFilterPlugins(
    state: CycleState,
    pod: Pod,
    filtered: NodeToStatus,
  ): { result: PostFilterResult | undefined; status: Status } {
    const reasons: string[] = [];
    let last: Status | undefined;
    for (const p of this.postFilterPlugins) {
      let result: PostFilterResult | undefined;
      const s = this.guard(p.name, () => {
        const out = p.postFilter(state, pod, filtered);
        result = out.result;
        return out.status;
      });
      if (s.code === 'Success') return { result, status: s };
      if (s.code === 'UnschedulableAndUnresolvable' || s.code === 'Error') return { result, status: s };
      reasons.push(...s.reasons);
      last = s;
      if (result !== undefined) return { result, status: s };
    }
    return { result: undefined, status: last ?? { code: 'Unschedulable', reasons } };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScorePlugins) {
      const s = this.guard(p.name, () => p.preScore(state, pod, nodes));
      if (s.code === 'Skip') state.skipScorePlugins.add(p.name);
      else if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** RunScorePlugins: score, normalize, check the range, then weight and sum per node. */
  runScorePlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { scores: NodePluginScores[]; status: Status } {
    const totals: NodePluginScores[] = nodes.map((n) => ({ name: n.name, totalScore: 0 }));
    for (const p of this.scorePlugins) {
      if (state.skipScorePlugins.has(p.name)) continue;
      const list: NodeScore[] = new Array<NodeScore>(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const ni = nodes[i]!;
        let r: number | Status;
        try {
          r = p.score(state, pod, ni);
        } catch (e: unknown) {
          r = { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)] };
        }
        if (typeof r !== 'number') return { scores: [], status: withPlugin(r, p.name) };
        list[i] = { name: ni.name, score: r };
      }
      if (p.normalizeScore !== undefined) {
        const s = this.guard(p.name, () => p.normalizeScore!(state, pod, list));
        if (s.code !== 'Success') return { scores: [], status: s };
      }
      const weight = this.weights.get(p.name) ?? 1;
      for (let i = 0; i < list.length; i++) {
        const score = list[i]!.score;
        if (!(score >= minNodeScore && score <= maxNodeScore)) {
          const msg = `plugin "${p.name}" returns an invalid score ${score}, it should in the range of [${minNodeScore}, ${maxNodeScore}] after normalizing`;
          return { scores: [], status: { code: 'Error', reasons: [msg], plugin: p.name } };
        }
        totals[i]!.totalScore += score * weight;
      }
    }
    return { scores: totals, status: SUCCESS };
  }

  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reservePlugins) {
      const s = this.guard(p.name, () => p.reserve(state, pod, nodeName));
      if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** Unreserve runs in reverse order, on every reserve plugin, and cannot fail. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) {
      const p = this.reservePlugins[i]!;
      try {
        p.unreserve(state, pod, nodeName);
      } catch (e: unknown) {
        this.logger?.error('unreserve failed', { plugin: p.name, error: String(e) });
      }
    }
  }

  /** RunPermitPlugins: Wait from any plugin parks the pod in the waiting map. */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    const waits = new Map<string, number>();
    for (const p of this.permitPlugins) {
      let timeout = 0;
      const s = this.guard(p.name, () => {
        const r = p.permit(state, pod, nodeName);
        timeout = r.timeoutMs ?? 0;
        return r.status;
      });
      if (s.code === 'Wait') waits.set(p.name, Math.min(timeout, maxPermitTimeoutMs));
      else if (s.code !== 'Success') return s;
    }
    if (waits.size === 0) return SUCCESS;
    this.waiting.add(pod, waits);
    return {
      code: 'Wait',
      reasons: [`one or more plugins asked to wait and no plugin rejected pod "${pod.metadata.name}"`],
    };
  }

  /** WaitOnPermit: resolves when every waiting plugin allowed, one rejected, or a timeout hit. */
  waitOnPermit(pod: Pod): Promise<Status> {
    return this.waiting.wait(podUid(pod));
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBindPlugins) {
      const s = await this.guardAsync(p.name, () => p.preBind(state, pod, nodeName));
      if (s.code !== 'Success') return s;
    }
    return SUCCESS;
  }

  /** RunBindPlugins: the first plugin that does not Skip binds. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    let last: Status = SUCCESS;
    for (const p of this.bindPlugins) {
      last = await this.guardAsync(p.name, () => p.bind(state, pod, nodeName));
      if (last.code !== 'Skip') return last;
    }
    return last;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBindPlugins) {
      try {
        p.postBind(state, pod, nodeName);
      } catch (e: unknown) {
        this.logger?.error('postBind failed', { plugin: p.name, error: String(e) });
      }
    }
  }

  private async guardAsync(plugin: string, fn: () => Promise<Status>): Promise<Status> {
    try {
      const s = await fn();
      return s.code === 'Success' ? s : withPlugin(s, plugin);
    } catch (e: unknown) {
      return { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)], plugin };
    }
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
