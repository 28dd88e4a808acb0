// UIDTrackingControllerExpectations (pkg/controller/controller_utils.go) over the client's
// ControllerExpectations: deletions are tracked by pod key, so a pod whose deletion is seen twice
// (deletionTimestamp set, then the delete event) lowers the expectation only once.
import { type Clock, ControllerExpectations } from '../../client/index.ts';

export class UidTrackingExpectations extends ControllerExpectations {
  private readonly deleting = new Map<string, Set<string>>();

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    super(options);
  }

  /** ExpectDeletions with the keys of the pods about to be deleted. */
  expectDeletionsOf(controllerKey: string, podKeys: readonly string[]): void {
    this.deleting.set(controllerKey, new Set(podKeys));
    this.expectDeletions(controllerKey, podKeys.length);
  }

  /** DeletionObserved for one pod: counts only a pod we were waiting for, once. */
  podDeletionObserved(controllerKey: string, podKey: string): void {
    const keys = this.deleting.get(controllerKey);
    if (keys?.delete(podKey) !== true) return;
    this.deletionObserved(controllerKey);
  }

  override deleteExpectations(key: string): void {
    this.deleting.delete(key);
    super.deleteExpectations(key);
  }
}
