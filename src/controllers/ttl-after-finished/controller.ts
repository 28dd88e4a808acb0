// The TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job
// ttlSecondsAfterFinished after it finished, with Background propagation so the garbage collector
// removes its pods. Before deleting it re-reads the Job, as upstream, in case the TTL or the Job
// changed meanwhile.
//
//   job add/update (finished, with a TTL) ──► key ──► sync: expired? ─► delete (uid precondition)
//                                                            └─ no: requeue at expiry
import { isNotFound, objectKey, resources, splitKey, WorkQueue } from '../../client/index.ts';
import { runWorkers } from '../framework/index.ts';
import type { Job } from '../job/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { ttlLeftMs } from './ttl.ts';

export class TtlAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  private ctx: ControllerContext | undefined;
  private queue: WorkQueue<string> | undefined;

  register(ctx: ControllerContext): void {
    this.ctx = ctx;
    const queue = new WorkQueue<string>({ name: this.name, clock: ctx.clock, log: ctx.log });
    this.queue = queue;
    const enqueue = (job: Job): void => {
      if (ttlLeftMs(job, ctx.clock.now()) !== undefined) queue.add(objectKey(job));
    };
    ctx.informers.informerFor<Job>(resources.jobs).addEventHandler({
      onAdd: enqueue,
      onUpdate: (_, job) => enqueue(job),
    });
  }

  async run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
    const queue = this.queue;
    if (queue === undefined) throw new Error('ttl-after-finished controller used before register');
    await runWorkers({
      queue,
      workers: 5,
      sync: (k) => this.sync(k),
      signal,
      log: ctx.log.with({ controller: this.name }),
    });
  }

  async sync(key: string): Promise<void> {
    const ctx = this.ctx;
    if (ctx === undefined) return;
    const { namespace, name } = splitKey(key);
    const cached = ctx.informers.informerFor<Job>(resources.jobs).lister.get(namespace, name);
    if (cached === undefined) return;
    const left = ttlLeftMs(cached, ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.queue?.addAfter(key, left);
      return;
    }
    const client = ctx.client.resource<Job>(resources.jobs);
    try {
      // The cache may be stale: check the fresh Job before deleting it.
      const fresh = await client.get(name, { namespace });
      const freshLeft = ttlLeftMs(fresh, ctx.clock.now());
      if (freshLeft === undefined) return;
      if (freshLeft > 0) {
        this.queue?.addAfter(key, freshLeft);
        return;
      }
      ctx.log.info('cleaning up job', { job: key });
      await client.delete(name, {
        namespace,
        propagationPolicy: 'Background',
        preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion },
      });
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
    }
  }
}
