// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as far as the core uses it: profiles
// with plugins enabled/disabled per extension point (and multiPoint), score weights, plugin args,
// percentageOfNodesToScore and the backoff bounds. Defaults follow pkg/scheduler/apis/config/v1.

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export const extensionPoints = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];

export type Plugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface PluginConfig {
  name: string;
  args?: unknown;
}

export interface KubeSchedulerProfile {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export interface KubeSchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: KubeSchedulerProfile[];
}

/** getDefaultPlugins (v1): every default plugin at multiPoint, score weights as upstream. */
export const defaultMultiPoint: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeBinding' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/** A profile's plugins after merging with the defaults: names per point, weights for score. */
export interface ResolvedProfile {
  schedulerName: string;
  percentageOfNodesToScore: number | undefined;
  /** Every plugin named anywhere, in first-seen order (multiPoint first). */
  plugins: string[];
  points: Record<ExtensionPoint, string[]>;
  /** Per-point plugins named explicitly (not via multiPoint); they run even if they don't declare the point. */
  explicit: Record<ExtensionPoint, Set<string>>;
  weights: Map<string, number>;
  args: Map<string, unknown>;
}

function applySet(base: PluginRef[], set: PluginSet | undefined): PluginRef[] {
  if (set === undefined) return base;
  const disabled = new Set((set.disabled ?? []).map((p) => p.name));
  let out = disabled.has('*') ? [] : base.filter((p) => !disabled.has(p.name));
  for (const p of set.enabled ?? []) {
    const i = out.findIndex((q) => q.name === p.name);
    if (i >= 0) out = out.map((q, j) => (j === i ? { ...q, ...p } : q));
    else out = [...out, p];
  }
  return out;
}

/** Merge a profile with upstream's defaults (v1 default plugins are multiPoint). */
export function resolveProfile(
  profile: KubeSchedulerProfile,
  globalPercentage: number | undefined,
): ResolvedProfile {
  const plugins = profile.plugins ?? {};
  const multi = applySet([...defaultMultiPoint], plugins.multiPoint);
  const weights = new Map<string, number>();
  for (const p of multi) if (p.weight !== undefined) weights.set(p.name, p.weight);
  const points = {} as Record<ExtensionPoint, string[]>;
  const explicit = {} as Record<ExtensionPoint, Set<string>>;
  const all: string[] = multi.map((p) => p.name);
  for (const point of extensionPoints) {
    const set = plugins[point];
    const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
    let names = disabled.has('*') ? [] : multi.map((p) => p.name).filter((n) => !disabled.has(n));
    explicit[point] = new Set();
    for (const p of set?.enabled ?? []) {
      explicit[point].add(p.name);
      if (!names.includes(p.name)) names = [...names, p.name];
      if (!all.includes(p.name)) all.push(p.name);
      if (point === 'score' && p.weight !== undefined) weights.set(p.name, p.weight);
    }
    points[point] = names;
  }
  return {
    schedulerName: profile.schedulerName ?? 'default-scheduler',
    percentageOfNodesToScore: profile.percentageOfNodesToScore ?? globalPercentage,
    plugins: all,
    points,
    explicit,
    weights,
    args: new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args])),
  };
}

export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;
export const basePercentageOfNodesToScore = 50;

/**
 * numFeasibleNodesToFind: below 100 nodes, all of them; otherwise the configured percentage, or the
 * adaptive 50% − nodes/125 (at least 5%), and never fewer than 100 nodes.
 */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let adaptive = percentage ?? 0;
  if (adaptive <= 0) {
    adaptive = basePercentageOfNodesToScore - Math.trunc(numAllNodes / 125);
    if (adaptive < minFeasibleNodesPercentageToFind) adaptive = minFeasibleNodesPercentageToFind;
  }
  if (adaptive >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * adaptive) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}
