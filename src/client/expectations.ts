// ControllerExpectations (pkg/controller/controller_utils.go): a controller that creates or deletes
// N objects records that it expects N adds or deletes, and does not act on that owner again until
// its informer has observed them, so it never acts twice on a cache that has not seen its own
// writes. An expectation older than 5 minutes (ExpectationsTimeout) counts as satisfied, so a lost
// watch event cannot stall the owner forever.
import { type Clock, realClock } from './clock.ts';

/** Upstream's ExpectationsTimeout. */
export const expectationsTimeoutMs = 5 * 60 * 1000;

/** ControlleeExpectations: outstanding adds and deletes for one owner key. */
export interface Expectation {
  readonly add: number;
  readonly del: number;
  /** When the expectation was set, in clock milliseconds. */
  readonly timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, { add: number; del: number; timestamp: number }>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.clock = options.clock ?? realClock;
    this.ttlMs = options.ttlMs ?? expectationsTimeoutMs;
  }

  get(key: string): Expectation | undefined {
    const r = this.records.get(key);
    return r === undefined ? undefined : { ...r };
  }

  /**
   * SatisfiedExpectations: true when there is no record (sync: nothing is in flight), when every
   * expected add and delete has been observed, or when the record has expired.
   */
  satisfiedExpectations(key: string): boolean {
    const r = this.records.get(key);
    if (r === undefined) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.ttlMs;
  }

  /** SetExpectations: replaces the record, stamped now. */
  setExpectations(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** RaiseExpectations: adds to an existing record (without re-stamping it). */
  raiseExpectations(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (r === undefined) return;
    r.add += add;
    r.del += del;
  }

  /** LowerExpectations: e.g. a create that failed will never be observed. */
  lowerExpectations(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (r === undefined) return;
    r.add -= add;
    r.del -= del;
  }

  /** The informer saw one of the expected adds. */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** The informer saw one of the expected deletes. */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  /** DeleteExpectations: the owner itself is gone. */
  deleteExpectations(key: string): void {
    this.records.delete(key);
  }
}
