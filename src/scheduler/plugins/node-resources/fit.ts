// NodeResourcesFit (framework/plugins/noderesources/fit.go): the pod's requests must fit in the
// node's allocatable minus what its pods request ("Insufficient cpu", "Too many pods"); scoring by
// LeastAllocated (default), MostAllocated or RequestedToCapacityRatio.
import { NodeInfo } from '../../cache/node-info.ts';
import { podInfoOf, type PodInfo } from '../../cache/pod-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type ScorePlugin,
} from '../../framework/interface.ts';
import { type Status, SUCCESS } from '../../framework/status.ts';
import type { Node, Pod } from '../../types.ts';
import {
  defaultResources,
  leastAllocated,
  mostAllocated,
  requestedToCapacityRatio,
  type ResourceSpec,
  type Strategy,
  type UtilizationShapePoint,
  Vectors,
} from './scorer.ts';

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** Even an empty node could not hold the request; preemption cannot help. */
  unresolvable: boolean;
}

/** fitsRequest. */
export function fitsRequest(
  pi: PodInfo,
  ni: NodeInfo,
  ignored: { resources: ReadonlySet<string>; groups: ReadonlySet<string> } = {
    resources: new Set(),
    groups: new Set(),
  },
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({
      resourceName: 'pods',
      reason: 'Too many pods',
      requested: 1,
      used: ni.pods.length,
      capacity: alloc.allowedPodNumber,
      unresolvable: false,
    });
  }
  const req = pi.requests;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalar.size === 0)
    return out;
  const check = (name: string, want: number, have: number, usedNow: number): void => {
    if (want > 0 && want > have - usedNow) {
      out.push({
        resourceName: name,
        reason: `Insufficient ${name}`,
        requested: want,
        used: usedNow,
        capacity: have,
        unresolvable: want > have,
      });
    }
  };
  check('cpu', req.milliCPU, alloc.milliCPU, used.milliCPU);
  check('memory', req.memory, alloc.memory, used.memory);
  check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  for (const [name, want] of req.scalar) {
    const slash = name.indexOf('/');
    if (ignored.resources.has(name) || (slash > 0 && ignored.groups.has(name.slice(0, slash)))) continue;
    check(name, want, alloc.scalar.get(name) ?? 0, used.scalar.get(name) ?? 0);
  }
  return out;
}

/** The allocation-free common case of fitsRequest: true when nothing is insufficient. */
export function fitsQuickly(pi: PodInfo, ni: NodeInfo): boolean {
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.pods.length + 1 > alloc.allowedPodNumber) return false;
  const req = pi.requests;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) return false;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return false;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage)
    return false;
  return req.scalar.size === 0;
}

export class NodeResourcesFit implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = 'NodeResourcesFit';
  private readonly ignored: { resources: ReadonlySet<string>; groups: ReadonlySet<string> };
  private readonly resources: readonly ResourceSpec[];
  private readonly strategy: Strategy;
  private readonly vectors: Vectors;

  constructor(args: NodeResourcesFitArgs | undefined) {
    this.ignored = {
      resources: new Set(args?.ignoredResources ?? []),
      groups: new Set(args?.ignoredResourceGroups ?? []),
    };
    const s = args?.scoringStrategy;
    this.resources = s?.resources ?? defaultResources;
    this.vectors = new Vectors(this.resources, false);
    this.strategy =
      s?.type === 'MostAllocated'
        ? mostAllocated
        : s?.type === 'RequestedToCapacityRatio'
          ? requestedToCapacityRatio(s.requestedToCapacityRatio?.shape ?? [])
          : leastAllocated;
  }

  filter(_s: CycleState, pod: Pod, ni: NodeInfo): Status {
    const pi = podInfoOf(pod);
    if (fitsQuickly(pi, ni)) return SUCCESS;
    const insufficient = fitsRequest(pi, ni, this.ignored);
    if (insufficient.length === 0) return SUCCESS;
    const code = insufficient.some((r) => r.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable';
    return { code, reasons: insufficient.map((r) => r.reason) };
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    const v = this.vectors;
    v.fill(ni, podInfoOf(pod));
    return this.strategy(v.requested, v.allocatable, this.resources);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // A deleted assigned pod frees room; a node that could hold the pod (empty) is worth a retry.
    const podHint = (_p: Pod, old: unknown): 'Queue' | 'QueueSkip' =>
      (old as Pod | undefined)?.spec.nodeName ? 'Queue' : 'QueueSkip';
    const nodeHint = (pod: Pod, _o: unknown, n: unknown): 'Queue' | 'QueueSkip' => {
      const node = n as Node | undefined;
      if (node === undefined) return 'Queue';
      return fitsRequest(podInfoOf(pod), new NodeInfo(node)).length === 0 ? 'Queue' : 'QueueSkip';
    };
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown },
        hint: podHint,
      },
      {
        event: {
          resource: 'Node',
          actionType:
            ActionType.Add |
            ActionType.UpdateNodeAllocatable |
            ActionType.UpdateNodeTaint |
            ActionType.UpdateNodeLabel,
        },
        hint: nodeHint,
      },
    ];
  }
}
