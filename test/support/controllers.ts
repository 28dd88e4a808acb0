// Test support for controllers: a real navis server (startCluster) with the controller manager
// running against it through the admin kubeconfig, and a fake "kubelet" that reports pods Running
// and Ready by writing their status (there is no scheduler or agent in these tests, so pods stay
// without a node).
import { nowTimestamp } from '../../src/api/meta.ts';
import { isConflict, isNotFound, resources, RestClient } from '../../src/client/index.ts';
import { type Controller, runControllerManager, runControllers } from '../../src/controllers/index.ts';
import type { Pod } from '../../src/controllers/framework/index.ts';
import { createLogger, type Level } from '../../src/log.ts';
import { startCluster, type TestCluster } from './cluster.ts';

export interface ControllerCluster extends TestCluster {
  /** An admin client of the cluster. */
  readonly client: RestClient;
  /** Stops the controller manager, then the server. */
  stop(): Promise<void>;
}

/** startCluster plus runControllerManager (every controller unless `controllers` is given). */
export async function startControllerCluster(
  options: { controllers?: Controller[]; logLevel?: Level } = {},
): Promise<ControllerCluster> {
  const cluster = await startCluster();
  const client = RestClient.fromKubeconfig(cluster.kubeconfig);
  const ac = new AbortController();
  const running = runControllerManager({
    client,
    log: createLogger({ level: options.logLevel ?? 'warn' }),
    identity: 'navis-test',
    signal: ac.signal,
    controllers: options.controllers,
  });
  return {
    ...cluster,
    client,
    stop: async () => {
      ac.abort();
      await running;
      client.close();
      await cluster.stop();
    },
  };
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e: unknown) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

export function listPods(client: RestClient, namespace: string, labelSelector?: string): Promise<Pod[]> {
  return client
    .resource<Pod>(resources.pods)
    .list({ namespace, labelSelector })
    .then((l) => l.items);
}

/**
 * The fake kubelet: phase Running, Ready/ContainersReady/Initialized/PodScheduled True and every
 * container ready, written through pods/status.
 */
export async function markPodReady(client: RestClient, pod: Pod): Promise<Pod> {
  const pods = client.resource<Pod>(resources.pods);
  // The scheduler writes pod status too (PodScheduled): on a conflict, read the pod again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await pods.updateStatus(readyStatus(pod), { namespace: pod.metadata.namespace });
    } catch (e: unknown) {
      if (!isConflict(e) || attempt >= 5) throw e;
      pod = await pods.get(pod.metadata.name ?? '', { namespace: pod.metadata.namespace });
    }
  }
}

function readyStatus(pod: Pod): Pod {
  const now = nowTimestamp();
  const condition = (type: string): Record<string, unknown> => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now,
  });
  const next: Pod = {
    ...structuredClone(pod),
    status: {
      ...pod.status,
      phase: 'Running',
      startTime: pod.status?.startTime ?? now,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition) as never,
      containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    },
  };
  return next;
}

/** Marks every active, not yet ready pod matching the selector ready; returns how many it marked. */
export async function markPodsReady(
  client: RestClient,
  namespace: string,
  labelSelector?: string,
): Promise<number> {
  let n = 0;
  for (const pod of await listPods(client, namespace, labelSelector)) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    try {
      await markPodReady(client, pod);
      n++;
    } catch (e: unknown) {
      // Deleted or changed meanwhile (a controller scaled down): the next poll sees the truth.
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
  return n;
}

/**
 * Runs `controllers` on one informer factory until `signal` aborts, without leader election: for
 * tests that run their own copies next to a server whose copies are turned off.
 */
export function runOwnControllers(
  client: RestClient,
  controllers: readonly Controller[],
  signal: AbortSignal,
): Promise<void> {
  return runControllers(
    { client, log: createLogger({ level: 'warn' }), identity: 'navis-test', controllers },
    signal,
  );
}
