// Running a controller's workers (upstream's `for i := 0; i < workers; i++ { go wait.Until(worker) }`
// over processNextWorkItem): a thin wrapper over WorkQueue.run that logs slow and failed syncs with
// the controller's name, plus the key helpers every event handler uses.
import {
  type DeletedFinalStateUnknown,
  type EventHandler,
  isTombstone,
  objectKey,
  type WorkQueue,
} from '../../client/index.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Logger } from '../../log.ts';

export interface RunWorkersOptions {
  readonly queue: WorkQueue<string>;
  readonly workers: number;
  readonly sync: (key: string) => Promise<void>;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** Runs `workers` workers until `signal` aborts; each sync runs alone for its key. */
export async function runWorkers(o: RunWorkersOptions): Promise<void> {
  const debug = o.log.enabled('debug');
  o.log.info('starting workers', { queue: o.queue.name, workers: o.workers });
  await o.queue.run(
    o.workers,
    async (key) => {
      const start = debug ? performance.now() : 0;
      await o.sync(key);
      if (debug) o.log.debug('synced', { key, ms: Math.round(performance.now() - start) });
    },
    o.signal,
  );
  o.log.info('workers stopped', { queue: o.queue.name });
}

/** The object inside a delete notification, which may be a tombstone (DeletedFinalStateUnknown). */
export function unwrapDeleted<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return isTombstone(obj) ? obj.obj : obj;
}

/** The work-queue key of an object (`namespace/name`). */
export const keyOf = (obj: KubeObject): string => objectKey(obj);

/**
 * The event handler of a controller's own objects (a ReplicaSet, a Job, a DaemonSet): every change
 * enqueues the object; a delete, or a re-creation under the same name (a new uid), voids the
 * expectations kept for the old one.
 */
export function enqueueOwnHandler<T extends KubeObject>(
  queue: WorkQueue<string>,
  expectations: { deleteExpectations(key: string): void },
): EventHandler<T> {
  return {
    onAdd: (obj) => queue.add(objectKey(obj)),
    onUpdate: (old, cur) => {
      if (old.metadata.uid !== cur.metadata.uid) expectations.deleteExpectations(objectKey(old));
      queue.add(objectKey(cur));
    },
    onDelete: (deleted) => {
      const obj = unwrapDeleted(deleted);
      expectations.deleteExpectations(objectKey(obj));
      queue.add(objectKey(obj));
    },
  };
}
