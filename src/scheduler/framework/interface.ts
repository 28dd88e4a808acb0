// The extension points of the scheduling framework (pkg/scheduler/framework/interface.go). A plugin
// implements any subset; the profile decides at which points it runs. Verdicts are Status values.
import type { Logger } from '../../log.ts';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { Snapshot } from '../cache/snapshot.ts';
import type { PersistentVolumeClaim, Pod, PodDisruptionBudget } from '../types.ts';
import type { CycleState } from './cycle-state.ts';
import type { Status } from './status.ts';

/** Time for backoff, permit timeouts and flushes; tests pass a fake one. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** framework.ActionType: a bit set, so a plugin can register several actions at once. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  UpdatePodScaleDown: 256,
  UpdatePodTolerations: 512,
  UpdatePodSchedulingGatesEliminated: 1024,
  Update: 2044,
  All: 2047,
} as const;

export type EventResource =
  'Node' | 'Pod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly actionType: number;
  readonly label?: string;
}

/** framework.QueueingHint: whether an event may make a rejected pod schedulable. */
export type QueueingHint = 'Queue' | 'QueueSkip';
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: ClusterEvent;
  /** Absent: always Queue. */
  readonly hint?: QueueingHintFn;
}

export interface Plugin {
  readonly name: string;
}

export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

/** QueuedPodInfo: a pod in the scheduling queue with its attempt bookkeeping. */
export interface QueuedPodInfo {
  pod: Pod;
  podInfo: PodInfo;
  /** When the pod was first added to the queue (ms, from the clock); QueueSort's tie break. */
  timestamp: number;
  initialAttemptTimestamp: number | undefined;
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; their events can move it back. */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending; only their events move it back. */
  pendingPlugins: Set<string>;
  gatingPlugin: string | undefined;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** framework.PreFilterResult: nodes to consider; undefined node names means all. */
export interface PreFilterResult {
  readonly nodeNames?: ReadonlySet<string>;
}

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/** framework.NodeToStatus: the failing status of every node that was tried; absent nodes share one. */
export class NodeToStatus {
  readonly map = new Map<string, Status>();
  absentNodesStatus: Status = { code: 'UnschedulableAndUnresolvable', reasons: [] };

  get(name: string): Status {
    return this.map.get(name) ?? this.absentNodesStatus;
  }

  /** NodesForStatusCode: nodes in the snapshot whose status has this code. */
  nodesForStatusCode(snapshot: Snapshot, code: Status['code']): NodeInfo[] {
    if (this.absentNodesStatus.code === code) {
      return snapshot.nodeInfoList.filter(
        (n) => (this.map.get(n.name) ?? this.absentNodesStatus).code === code,
      );
    }
    const out: NodeInfo[] = [];
    for (const [name, s] of this.map) {
      const ni = s.code === code ? snapshot.get(name) : undefined;
      if (ni !== undefined) out.push(ni);
    }
    return out;
  }
}

export interface PostFilterResult {
  /** The node the pod is nominated to after preemption; "" clears a nomination. */
  readonly nominatedNodeName: string;
  readonly victims?: readonly Pod[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: Pod,
    filtered: NodeToStatus,
  ): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** A score in [0, 100] (after NormalizeScore), or a Status when scoring failed. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Wait holds the pod until a plugin allows it (Handle.waitingPod) or timeoutMs passes. */
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** Skip hands the pod to the next bind plugin. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** Writes the binding (pods/binding); the only write of a scheduling decision. */
export interface Binder {
  bind(pod: Pod, nodeName: string): Promise<void>;
}

/** Read access to objects some plugins need besides nodes and pods. */
export interface Listers {
  persistentVolumeClaim?(namespace: string, name: string): PersistentVolumeClaim | undefined;
  podDisruptionBudgets?(): readonly PodDisruptionBudget[];
}

/** framework.WaitingPod: a pod held at Permit. */
export interface WaitingPod {
  readonly pod: Pod;
  allow(plugin: string): void;
  reject(plugin: string, message: string): void;
}

/** PodNominator: pods nominated to nodes by preemption, which lower-priority pods must leave room for. */
export interface Nominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** framework.Handle: what plugins may use besides the cycle's arguments. */
export interface Handle {
  snapshot(): Snapshot;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly listers: Listers;
  readonly binder: Binder;
  readonly nominator: Nominator;
  waitingPod(uid: string): WaitingPod | undefined;
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, toAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, toRemove: PodInfo, nodeInfo: NodeInfo): Status;
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

export type PluginFactory = (args: unknown, handle: Handle) => Plugin;
export type Registry = ReadonlyMap<string, PluginFactory>;
