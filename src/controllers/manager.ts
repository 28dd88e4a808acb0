// The controller manager (cmd/kube-controller-manager/app/controllermanager.go): campaigns for the
// Lease kube-system/kube-controller-manager and, while leading, registers every controller on one
// SharedInformerFactory, starts the informers, waits for their caches and runs the controllers.
//
//   LeaderElector ──elected──► new factory ─► register(ctx) × N ─► start ─► waitForCacheSync
//        ▲                                                                   │
//        └───── leadership lost: stop everything, campaign again ◄── run(ctx, signal) × N
import {
  type Clock,
  EventRecorder,
  LeaderElector,
  realClock,
  type RestClient,
  SharedInformerFactory,
} from '../client/index.ts';
import type { Logger } from '../log.ts';
import type { Controller, ControllerContext } from './types.ts';

export interface ControllerManagerOptions {
  readonly client: RestClient;
  readonly log: Logger;
  /** This candidate in the Lease, e.g. `<hostname>_<uuid>`. */
  readonly identity: string;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  /** The controllers to run; every known controller when absent. */
  readonly controllers?: readonly Controller[];
  /** Leader election timings (upstream's 15 s / 10 s / 2 s by default). */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export const leaseNamespace = 'kube-system';
export const leaseName = 'kube-controller-manager';

/**
 * Runs until `signal` aborts. Losing the Lease stops every controller (they must not act without
 * it); rather than exiting, as kube-controller-manager does, this process campaigns again with fresh
 * informers and fresh controller state.
 */
export async function runControllerManager(
  options: ControllerManagerOptions & { controllers: readonly Controller[] },
): Promise<void> {
  const { signal } = options;
  const log = options.log.with({ component: 'controller-manager' });
  while (!signal.aborted) {
    let term: Promise<void> = Promise.resolve();
    const elector = new LeaderElector({
      client: options.client,
      namespace: leaseNamespace,
      name: leaseName,
      identity: options.identity,
      clock: options.clock,
      log,
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      onStartedLeading: (leading) => {
        term = runControllers({ ...options, log }, leading).catch((e: unknown) => {
          log.error('controllers failed', { error: e instanceof Error ? e.message : String(e) });
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

/** One leadership term: every controller on one informer factory, until `signal` aborts. */
export async function runControllers(
  options: Omit<ControllerManagerOptions, 'signal'> & { controllers: readonly Controller[] },
  signal: AbortSignal,
): Promise<void> {
  const { client, log } = options;
  const clock = options.clock ?? realClock;
  const informers = new SharedInformerFactory({ client, log: log.with({ component: 'informers' }), clock });
  const recorders = new Map<string, EventRecorder>();
  const ctxFor = (c: Controller): ControllerContext => ({
    client,
    informers,
    clock,
    log: log.with({ controller: c.name }),
    recorder: (component) => {
      let r = recorders.get(component);
      if (r === undefined) {
        r = new EventRecorder({ client, component, clock, log });
        recorders.set(component, r);
      }
      return r;
    },
  });
  const started = options.controllers.map((c) => ({ c, ctx: ctxFor(c) }));
  for (const { c, ctx } of started) {
    c.register(ctx);
    log.info('controller registered', { controller: c.name });
  }
  informers.start(signal);
  try {
    if (!(await informers.waitForCacheSync(signal))) return;
    log.info('caches synced, starting controllers', { controllers: started.map(({ c }) => c.name) });
    await Promise.all(
      started.map(({ c, ctx }) =>
        c.run(ctx, signal).catch((e: unknown) => {
          log.error('controller stopped', {
            controller: c.name,
            error: e instanceof Error ? e.message : String(e),
          });
        }),
      ),
    );
  } finally {
    await informers.shutdown();
    await Promise.all([...recorders.values()].map((r) => r.flush()));
  }
}
