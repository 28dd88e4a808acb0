// DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority pods
// makes room, pick the best (see victims.ts) and return it as the nominated node with its victims.
// The scheduler deletes the victims and nominates the pod; it is retried when they are gone.
import type { CycleState } from '../../framework/cycle-state.ts';
import { fitErrorMessage, newDiagnosis } from '../../framework/fit-error.ts';
import {
  type Handle,
  NodeToStatus,
  type PostFilterPlugin,
  type PostFilterResult,
} from '../../framework/interface.ts';
import { type Status, statusMessage, SUCCESS, unschedulable } from '../../framework/status.ts';
import { type Pod, podPriority } from '../../types.ts';
import { type Candidate, pickOneNodeForPreemption, selectVictimsOnNode } from './victims.ts';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = 'DefaultPreemption';
  private readonly handle: Handle;
  private readonly minPercentage: number;
  private readonly minAbsolute: number;
  /** getOffsetRand; tests may replace it. */
  random: (n: number) => number = (n) => Math.floor(Math.random() * n);

  constructor(args: DefaultPreemptionArgs | undefined, handle: Handle) {
    this.handle = handle;
    this.minPercentage = args?.minCandidateNodesPercentage ?? 10;
    this.minAbsolute = args?.minCandidateNodesAbsolute ?? 100;
  }

  postFilter(
    state: CycleState,
    pod: Pod,
    filtered: NodeToStatus,
  ): { result?: PostFilterResult; status: Status } {
    const out = this.preempt(state, pod, filtered);
    const msg = statusMessage(out.status);
    if (msg === '') return out;
    return {
      ...(out.result ? { result: out.result } : {}),
      status: { code: out.status.code, reasons: [`preemption: ${msg}`] },
    };
  }

  private eligible(pod: Pod, filtered: NodeToStatus): string | undefined {
    if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (nominated && filtered.get(nominated).code !== 'UnschedulableAndUnresolvable') {
      const ni = this.handle.snapshot().get(nominated);
      const priority = podPriority(pod);
      if (ni?.pods.some((p) => p.priority < priority && p.pod.metadata.deletionTimestamp)) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return undefined;
  }

  private preempt(
    state: CycleState,
    pod: Pod,
    filtered: NodeToStatus,
  ): { result?: PostFilterResult; status: Status } {
    const notEligible = this.eligible(pod, filtered);
    if (notEligible !== undefined) return { status: unschedulable(notEligible) };
    const snapshot = this.handle.snapshot();
    const potential = filtered.nodesForStatusCode(snapshot, 'Unschedulable');
    const statuses = new NodeToStatus();
    const candidates: Candidate[] = [];
    if (potential.length > 0) {
      const pdbs = this.handle.listers.podDisruptionBudgets?.() ?? [];
      const n = potential.length;
      const want = Math.min(n, Math.max(Math.trunc((n * this.minPercentage) / 100), this.minAbsolute));
      const offset = this.random(n);
      let nonViolating = 0;
      for (let i = 0; i < n; i++) {
        const ni = potential[(offset + i) % n]!;
        const r = selectVictimsOnNode({
          handle: this.handle,
          state: state.clone(),
          pod,
          nodeInfo: ni.clone(),
          pdbs,
        });
        if (r.status.code === 'Success' && r.victims.length > 0) {
          candidates.push({ nodeName: ni.name, victims: r.victims, numPDBViolations: r.numViolating });
          if (r.numViolating === 0) nonViolating++;
          if (nonViolating > 0 && candidates.length >= want) break;
        } else if (r.status.code === 'Success') {
          statuses.map.set(ni.name, {
            code: 'Error',
            reasons: [`expected at least one victim pod on node "${ni.name}"`],
          });
        } else {
          statuses.map.set(ni.name, r.status);
        }
      }
    }
    if (candidates.length === 0) {
      const d = newDiagnosis();
      d.nodeToStatus = statuses;
      statuses.absentNodesStatus = {
        code: 'UnschedulableAndUnresolvable',
        reasons: ['Preemption is not helpful for scheduling'],
      };
      return {
        result: { nominatedNodeName: '' },
        status: unschedulable(fitErrorMessage(snapshot.numNodes, d)),
      };
    }
    const best = pickOneNodeForPreemption(candidates)!;
    return { result: { nominatedNodeName: best.nodeName, victims: best.victims }, status: SUCCESS };
  }
}
