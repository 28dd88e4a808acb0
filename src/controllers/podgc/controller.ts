// The pod garbage collector (pkg/controller/podgc/gc_controller.go): every gcCheckPeriod it force-
// deletes the pods bound to nodes that are gone (after a quarantine and a check against the API),
// the unscheduled pods already being deleted, and the oldest terminated pods beyond the threshold.
import { isNotFound, type ResourceClient, resources, type SharedInformer } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { Controller, ControllerContext } from '../types.ts';
import type { Pod } from '../framework/index.ts';
import type { Node } from '../nodelifecycle/types.ts';
import {
  defaultGCCheckPeriodMs,
  defaultQuarantineMs,
  defaultTerminatedPodGCThreshold,
  orphanedCandidates,
  terminatedToDelete,
  unscheduledTerminating,
  withDisruptionTarget,
} from './gc.ts';

export interface PodGCControllerOptions {
  /** --terminated-pod-gc-threshold (0 turns that part off). */
  readonly terminatedPodGCThreshold?: number;
  readonly gcCheckPeriodMs?: number;
  /** How long a node must be missing before its pods go. */
  readonly quarantineMs?: number;
}

interface State {
  readonly ctx: ControllerContext;
  readonly log: Logger;
  readonly pods: SharedInformer<Pod>;
  readonly nodes: SharedInformer<Node>;
  readonly podClient: ResourceClient<Pod>;
  readonly nodeClient: ResourceClient<Node>;
  /** Node name → when it was first seen missing. */
  readonly missingSince: Map<string, number>;
}

export class PodGCController implements Controller {
  readonly name = 'pod-garbage-collector';
  private readonly threshold: number;
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  private s: State | undefined;

  constructor(options: PodGCControllerOptions = {}) {
    this.threshold = options.terminatedPodGCThreshold ?? defaultTerminatedPodGCThreshold;
    this.periodMs = options.gcCheckPeriodMs ?? defaultGCCheckPeriodMs;
    this.quarantineMs = options.quarantineMs ?? defaultQuarantineMs;
  }

  register(ctx: ControllerContext): void {
    this.s = {
      ctx,
      log: ctx.log.with({ controller: this.name }),
      pods: ctx.informers.informerFor<Pod>(resources.pods),
      nodes: ctx.informers.informerFor<Node>(resources.nodes),
      podClient: ctx.client.resource<Pod>(resources.pods),
      nodeClient: ctx.client.resource<Node>(resources.nodes),
      missingSince: new Map(),
    };
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const s = this.s;
    if (s === undefined) throw new Error('pod-garbage-collector: run before register');
    while (!signal.aborted) {
      try {
        await this.gc(s);
      } catch (e: unknown) {
        s.log.warn('pod gc failed', { error: String(e) });
      }
      await ctx.clock.sleep(this.periodMs, signal);
    }
  }

  /** One pass (gc): terminated, orphaned, unscheduled terminating. */
  private async gc(s: State): Promise<void> {
    const pods = s.pods.lister.list();
    for (const pod of terminatedToDelete(pods, this.threshold)) await this.forceDelete(s, pod);
    await this.gcOrphaned(s, pods);
    for (const pod of unscheduledTerminating(pods)) await this.forceDelete(s, pod);
  }

  private async gcOrphaned(s: State, pods: readonly Pod[]): Promise<void> {
    const now = s.ctx.clock.now();
    const exists = (name: string): boolean => s.nodes.lister.get('', name) !== undefined;
    for (const name of [...s.missingSince.keys()]) if (exists(name)) s.missingSince.delete(name);
    const gone = new Map<string, boolean>();
    for (const pod of orphanedCandidates(pods, exists)) {
      const node = pod.spec?.nodeName ?? '';
      const since = s.missingSince.get(node) ?? now;
      s.missingSince.set(node, since);
      if (now - since < this.quarantineMs) continue;
      let missing = gone.get(node);
      if (missing === undefined) {
        // discoverDeletedNodes: ask the API, the cache may be behind.
        try {
          await s.nodeClient.get(node);
          missing = false;
        } catch (e: unknown) {
          if (!isNotFound(e)) throw e;
          missing = true;
        }
        gone.set(node, missing);
      }
      if (!missing) continue;
      s.log.info('deleting orphaned pod', {
        pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`,
        node,
      });
      try {
        await s.podClient.updateStatus(withDisruptionTarget(pod, 'PodGC: node no longer exists', now), {
          namespace: pod.metadata.namespace,
        });
      } catch (e: unknown) {
        if (isNotFound(e)) continue;
        s.log.warn('could not set DisruptionTarget', { pod: pod.metadata.name, error: String(e) });
      }
      await this.forceDelete(s, pod);
    }
  }

  private async forceDelete(s: State, pod: Pod): Promise<void> {
    try {
      await s.podClient.delete(pod.metadata.name ?? '', {
        namespace: pod.metadata.namespace,
        gracePeriodSeconds: 0,
        preconditions: pod.metadata.uid === undefined ? undefined : { uid: pod.metadata.uid },
      });
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
    }
  }
}
