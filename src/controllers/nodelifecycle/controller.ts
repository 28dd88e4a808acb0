// The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go) with the
// taint eviction controller (pkg/controller/tainteviction) folded in. Every nodeMonitorPeriod:
//
//   node heartbeat (Ready lastHeartbeatTime) or Lease renewTime changed ─► probe time = now
//   now > probe + grace ─► Ready (and pressure conditions) Unknown, NodeStatusUnknown;
//                          pods on the node: Ready False (MarkPodsNotReady)
//   Ready Unknown / False ─► taint unreachable / not-ready (NoExecute + NoSchedule); True ─► untaint
//   NoExecute taints ─► delete each pod once its tolerations run out (none: at once)
//
// Observation times are the controller's own clock (ctx.clock), as upstream: the heartbeat values
// are only compared for change, never against the local time.
import { nowTimestamp } from '../../api/meta.ts';
import {
  indexOnField,
  isConflict,
  isNotFound,
  type ResourceClient,
  resources,
  type SharedInformer,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Controller, ControllerContext } from '../types.ts';
import type { Pod } from '../framework/index.ts';
import {
  defaultNodeMonitorGracePeriodMs,
  defaultNodeMonitorPeriodMs,
  desiredTaints,
  evictionTimeMs,
  readyCondition,
  reconcileTaints,
  unknownConditions,
} from './health.ts';
import { type Lease, type Node, tolerationsOf } from './types.ts';

export const nodeLeaseNamespace = 'kube-node-lease';
const byNode = 'spec.nodeName';

export interface NodeLifecycleControllerOptions {
  /** How long a node may go without a heartbeat or Lease renewal before it is Unknown (40 s). */
  readonly nodeMonitorGracePeriodMs?: number;
  /** How often node health is checked (5 s). */
  readonly nodeMonitorPeriodMs?: number;
}

interface Health {
  probeMs: number;
  heartbeat: string | undefined;
  renew: string | undefined;
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly nodes: SharedInformer<Node>;
  readonly leases: SharedInformer<Lease>;
  readonly pods: SharedInformer<Pod>;
  readonly nodeClient: ResourceClient<Node>;
  readonly podClient: ResourceClient<Pod>;
  readonly health: Map<string, Health>;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private readonly graceMs: number;
  private readonly periodMs: number;
  private s: State | undefined;

  constructor(options: NodeLifecycleControllerOptions = {}) {
    this.graceMs = options.nodeMonitorGracePeriodMs ?? defaultNodeMonitorGracePeriodMs;
    this.periodMs = options.nodeMonitorPeriodMs ?? defaultNodeMonitorPeriodMs;
  }

  register(ctx: ControllerContext): void {
    this.s = {
      ctx,
      log: ctx.log.with({ controller: this.name }),
      nodes: ctx.informers.informerFor<Node>(resources.nodes),
      leases: ctx.informers.informerFor<Lease>(resources.leases, { namespace: nodeLeaseNamespace }),
      pods: ctx.informers.informerFor<Pod>(resources.pods, { indexers: { [byNode]: indexOnField(byNode) } }),
      nodeClient: ctx.client.resource<Node>(resources.nodes),
      podClient: ctx.client.resource<Pod>(resources.pods),
      health: new Map(),
    };
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.s;
    if (s === undefined) throw new Error('node-lifecycle: run before register');
    while (!signal.aborted) {
      let nextEvictionMs: number | undefined;
      try {
        nextEvictionMs = await this.monitor(s);
      } catch (e: unknown) {
        s.log.warn('node monitoring failed', { error: String(e) });
      }
      const now = ctx.clock.now();
      const wait =
        nextEvictionMs === undefined ? this.periodMs : Math.min(this.periodMs, nextEvictionMs - now);
      await ctx.clock.sleep(Math.max(10, wait), signal);
    }
  }

  /** monitorNodeHealth plus the taint eviction pass; returns the next pending eviction time. */
  private async monitor(s: State): Promise<number | undefined> {
    const nodes = s.nodes.lister.list();
    const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const name of [...s.health.keys()]) if (!names.has(name)) s.health.delete(name);
    let next: number | undefined;
    for (const cached of nodes) {
      try {
        let node = await this.updateHealth(s, cached);
        node = await this.updateTaints(s, node);
        const due = await this.evictPods(s, node);
        if (due !== undefined && (next === undefined || due < next)) next = due;
      } catch (e: unknown) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    return next;
  }

  /** tryUpdateNodeHealth: the node as written when it was found silent, else as cached. */
  private async updateHealth(s: State, node: Node): Promise<Node> {
    const name = node.metadata.name ?? '';
    const now = s.ctx.clock.now();
    const heartbeat = readyCondition(node)?.lastHeartbeatTime;
    const renew = s.leases.lister.get(nodeLeaseNamespace, name)?.spec?.renewTime;
    const h = s.health.get(name);
    if (h === undefined) {
      s.health.set(name, { probeMs: now, heartbeat, renew });
      return node;
    }
    if (h.heartbeat !== heartbeat || h.renew !== renew) {
      h.probeMs = now;
      h.heartbeat = heartbeat;
      h.renew = renew;
      return node;
    }
    if (now <= h.probeMs + this.graceMs) return node;
    const conditions = unknownConditions(node, now);
    if (conditions === undefined) return node;
    const wasReady = readyCondition(node)?.status === 'True';
    s.log.info('node stopped posting status', { node: name });
    const next = structuredClone(node);
    next.status = { ...next.status, conditions };
    const written = await s.nodeClient.updateStatus(next);
    if (wasReady) await this.markPodsNotReady(s, name, now);
    return written;
  }

  /** MarkPodsNotReady: the Ready condition of every pod on the node goes False. */
  private async markPodsNotReady(s: State, nodeName: string, now: number): Promise<void> {
    for (const pod of s.pods.lister.byIndex(byNode, nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const next = structuredClone(pod);
      next.status = {
        ...next.status,
        conditions: conditions.map((c) =>
          c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: nowTimestamp(new Date(now)) } : c,
        ),
      };
      try {
        await s.podClient.updateStatus(next, { namespace: pod.metadata.namespace });
      } catch (e: unknown) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
  }

  /** doNoExecuteTaintingPass / doNoScheduleTaintingPass for the Ready condition. */
  private async updateTaints(s: State, node: Node): Promise<Node> {
    const taints = reconcileTaints(node.spec?.taints, desiredTaints(readyCondition(node)), s.ctx.clock.now());
    if (taints === undefined) return node;
    const next = structuredClone(node);
    next.spec = { ...next.spec, taints };
    return s.nodeClient.update(next);
  }

  /** The taint eviction controller: deletes pods whose tolerations ran out; the next due time. */
  private async evictPods(s: State, node: Node): Promise<number | undefined> {
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.effect === 'NoExecute')) return undefined;
    const now = s.ctx.clock.now();
    let next: number | undefined;
    for (const pod of s.pods.lister.byIndex(byNode, node.metadata.name ?? '')) {
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      const at = evictionTimeMs(tolerationsOf(pod), taints, now);
      if (at === undefined) continue;
      if (at > now) {
        if (next === undefined || at < next) next = at;
        continue;
      }
      await this.evict(s, pod, now);
    }
    return next;
  }

  private async evict(s: State, pod: Pod, now: number): Promise<void> {
    const namespace = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    s.log.info('evicting pod from a NoExecute-tainted node', { pod: `${namespace ?? ''}/${name}` });
    const next = structuredClone(pod);
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: nowTimestamp(new Date(now)),
    };
    next.status = {
      ...next.status,
      conditions: [
        ...(next.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'),
        condition,
      ],
    };
    try {
      await s.podClient.updateStatus(next, { namespace });
      await s.podClient.delete(name, { namespace, preconditions: { uid: pod.metadata.uid } });
    } catch (e: unknown) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
