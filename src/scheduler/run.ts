// kube-scheduler as a component (cmd/kube-scheduler/app/server.go + pkg/scheduler/eventhandlers.go):
// campaigns for the Lease kube-system/kube-scheduler and, while leading, feeds a Scheduler core from
// shared informers and lets it write through the API (api/writers.ts).
//
//   LeaderElector ──elected──► informers: pods, nodes, PVCs, PVs, StorageClasses, PDBs
//        ▲                        │ pods: assigned → cache; unassigned + ours → queue
//        │                        ▼ wait for sync
//        └── lost: stop, ◄── Scheduler.run ──► pods/binding, Events, pods/status, victim deletes
//            campaign again
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/meta.ts';
import {
  type DeletedFinalStateUnknown,
  EventRecorder,
  isTombstone,
  LeaderElector,
  type ResourceDescriptor,
  type RestClient,
  resources,
  type SharedInformer,
  SharedInformerFactory,
} from '../client/index.ts';
import type { Logger } from '../log.ts';
import { apiBinder, apiEvictor, apiRecorder, apiStatusUpdater } from './api/writers.ts';
import type { KubeSchedulerConfiguration } from './framework/config.ts';
import { ActionType, type EventResource, realClock } from './framework/interface.ts';
import { Scheduler } from './scheduler.ts';
import type { Node, PersistentVolumeClaim, Pod, PodDisruptionBudget } from './types.ts';

export interface RunSchedulerOptions {
  readonly client: RestClient;
  readonly log: Logger;
  /** This candidate in the Lease, e.g. `<hostname>_<uuid>`; also the Events' reportingInstance. */
  readonly identity: string;
  readonly signal: AbortSignal;
  readonly config?: KubeSchedulerConfiguration;
  /** Campaign for kube-system/kube-scheduler before scheduling (default true). */
  readonly leaderElection?: boolean;
  /** Leader election timings (upstream's 15 s / 10 s / 2 s by default). */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export const leaseNamespace = 'kube-system';
export const leaseName = 'kube-scheduler';
/** source.component and reportingComponent of the scheduler's Events. */
export const eventComponent = 'default-scheduler';

const storageClasses: ResourceDescriptor = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
  namespaced: false,
};

/**
 * Runs until `signal` aborts. Only the Lease holder schedules; losing the Lease stops scheduling
 * and, rather than exiting as kube-scheduler does, campaigns again with fresh informers and a fresh
 * cache (the old one may have assumed pods that never bound).
 */
export async function runScheduler(options: RunSchedulerOptions): Promise<void> {
  const { signal } = options;
  const log = options.log.with({ component: 'scheduler' });
  if (options.leaderElection === false) return schedule({ ...options, log }, signal);
  while (!signal.aborted) {
    let term: Promise<void> = Promise.resolve();
    const elector = new LeaderElector({
      client: options.client,
      namespace: leaseNamespace,
      name: leaseName,
      identity: options.identity,
      log,
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      onStartedLeading: (leading) => {
        term = schedule({ ...options, log }, leading).catch((e: unknown) => {
          log.error('scheduler failed', { error: e instanceof Error ? e.message : String(e) });
        });
        return term;
      },
      onNewLeader: (identity) => log.info('new leader', { identity }),
    });
    await elector.run(signal);
    await term;
    if (!signal.aborted) log.warn('leadership lost, campaigning again', { identity: options.identity });
  }
}

const unwrap = <T>(o: T | DeletedFinalStateUnknown<T>): T => (isTombstone(o) ? o.obj : o);

/** One leadership term: a fresh Scheduler over fresh informers, until `signal` aborts. */
async function schedule(options: RunSchedulerOptions, signal: AbortSignal): Promise<void> {
  const { client, log } = options;
  const informers = new SharedInformerFactory({ client, log: log.with({ component: 'informers' }) });
  const pods = informers.informerFor<Pod>(resources.pods);
  const nodes = informers.informerFor<Node>(resources.nodes);
  const pvcs = informers.informerFor<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  const pvs = informers.informerFor<KubeObject>(resources.persistentvolumes);
  const classes = informers.informerFor<KubeObject>(storageClasses);
  const pdbs = informers.informerFor<PodDisruptionBudget>(resources.poddisruptionbudgets);
  const podClient = client.resource<Pod>(resources.pods);
  const recorder = new EventRecorder({
    client,
    component: eventComponent,
    reportingInstance: options.identity,
    log,
  });
  const now = (): number => realClock.now();
  const sched = new Scheduler({
    binder: apiBinder(podClient),
    recorder: apiRecorder(recorder),
    statusUpdater: apiStatusUpdater({ pods: podClient, lister: pods.lister, now }),
    evictor: apiEvictor({ pods: podClient, now, log }),
    listers: {
      persistentVolumeClaim: (ns, name) => pvcs.lister.get(ns, name),
      podDisruptionBudgets: () => pdbs.lister.list(),
    },
    logger: log,
    ...(options.config === undefined ? {} : { config: options.config }),
  });

  // eventhandlers.go addAllEventHandlers: assigned pods go to the cache, unassigned pods this
  // scheduler is responsible for to the queue (the core tells the two apart); an unassigned pod
  // being deleted leaves the queue at once rather than being scheduled (skipPodSchedule).
  const deleting = (p: Pod): boolean => !p.spec.nodeName && p.metadata.deletionTimestamp !== undefined;
  pods.addEventHandler({
    onAdd: (p) => {
      if (!deleting(p)) sched.onPodAdd(p);
    },
    onUpdate: (old, p) => {
      if (deleting(p)) {
        if (!deleting(old)) sched.onPodDelete(old);
        return;
      }
      sched.onPodUpdate(old, p);
    },
    onDelete: (o) => sched.onPodDelete(unwrap(o)),
  });
  nodes.addEventHandler({
    onAdd: (n) => sched.onNodeAdd(n),
    onUpdate: (old, n) => sched.onNodeUpdate(old, n),
    onDelete: (o) => sched.onNodeDelete(unwrap(o)),
  });
  const clusterEvents = (resource: EventResource, informer: SharedInformer<KubeObject>): void => {
    informer.addEventHandler({
      onAdd: (o) => sched.onClusterEvent({ resource, actionType: ActionType.Add }, undefined, o),
      onUpdate: (old, o) => sched.onClusterEvent({ resource, actionType: ActionType.Update }, old, o),
      onDelete: (o) =>
        sched.onClusterEvent({ resource, actionType: ActionType.Delete }, unwrap(o), undefined),
    });
  };
  clusterEvents('PersistentVolumeClaim', pvcs as unknown as SharedInformer<KubeObject>);
  clusterEvents('PersistentVolume', pvs);
  clusterEvents('StorageClass', classes);

  informers.start(signal);
  try {
    if (!(await informers.waitForCacheSync(signal))) return;
    log.info('caches synced, scheduling', {
      nodes: nodes.lister.list().length,
      pods: pods.lister.list().length,
      profiles: [...sched.frameworks.keys()],
    });
    await sched.run(signal);
  } finally {
    await informers.shutdown();
    // Events are best effort: a backlog (one Scheduled event per bound pod) must not hold up
    // shutdown for long, as upstream's broadcaster drops what it cannot write.
    await Promise.race([recorder.flush(), sleep(1000, undefined, { ref: false })]);
  }
}
