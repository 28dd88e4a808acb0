// The store contract: a revisioned key-value log with etcd v3 semantics (mvcc + lease + watch).
// Every backend (sqlite, memory, and later etcd) implements `Store` and passes the one contract
// suite in contract.ts. Only src/apiserver/ uses it.

/** One version of one key, as etcd's mvccpb.KeyValue. */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** Revision of the write that created the key (after its last delete). */
  readonly createRevision: number;
  /** Revision of the last write to the key. */
  readonly modRevision: number;
  /** Number of writes since the key was created; 1 right after create. */
  readonly version: number;
  /** Lease the key is attached to; 0 when none. */
  readonly lease: number;
}

/** A key range as etcd gives it: `[key, rangeEnd)`; no rangeEnd means the single key. */
export interface KeyRange {
  readonly key: string;
  readonly rangeEnd?: string;
}

export interface ReadOptions {
  /** Read as of this revision; 0 or absent means the latest. */
  readonly revision?: number;
}

export interface RangeOptions extends ReadOptions {
  /** At most this many keys; 0 or absent means no limit. */
  readonly limit?: number;
  /** Return only the count, no key-values. */
  readonly countOnly?: boolean;
  /**
   * The caller does not need the total: `count` may then be just the number of keys returned
   * (counting a large range on every page of a scan costs more than reading the page).
   */
  readonly skipCount?: boolean;
}

export interface GetResult {
  /** The store's revision the read was served at. */
  readonly revision: number;
  readonly kv: KeyValue | undefined;
}

export interface RangeResult {
  readonly revision: number;
  /** In key order. Empty when countOnly. */
  readonly kvs: KeyValue[];
  /** True when `limit` cut the result short; continue from `lastKey + '\0'` at `revision`. */
  readonly more: boolean;
  /** Number of keys in the whole range at that revision, regardless of limit. */
  readonly count: number;
}

export interface PutOptions {
  readonly lease?: number;
}

/**
 * Result of a conditional write. When `succeeded` is false nothing was written, and `kv` is what
 * is there now (undefined when the key does not exist), like the `else` branch of an etcd txn.
 */
export interface WriteResult {
  readonly succeeded: boolean;
  /** On success the revision of this write; on failure the store's current revision. */
  readonly revision: number;
  /** On success the key-value as written (for delete: the value that was deleted). */
  readonly kv: KeyValue | undefined;
}

export type EventType = 'put' | 'delete';

export interface WatchEvent {
  readonly type: EventType;
  /** For a delete: the key with modRevision = the delete's revision and the deleted value. */
  readonly kv: KeyValue;
  /** The key's previous version, when there was one. */
  readonly prevKv: KeyValue | undefined;
}

export interface WatchOptions extends KeyRange {
  /**
   * Deliver every change with revision >= startRevision. 0 or absent: only changes after now.
   * A start revision at or below the compacted revision fails with `compacted`.
   */
  readonly startRevision?: number;
  /** How many undelivered events may queue before the watcher is cut off (`slow-watcher`). */
  readonly maxPending?: number;
}

/**
 * A running watch. Events arrive in revision order, batched per commit, with no gaps and no
 * duplicates. The iterator ends when the watch is closed or its signal aborts, and throws a
 * StorageError when it is cut off (`slow-watcher`, `compacted`, `closed`).
 */
export interface Watch extends AsyncIterable<WatchEvent[]> {
  close(): void;
}

export interface Lease {
  readonly id: number;
  /** Granted time-to-live in seconds. */
  readonly ttl: number;
}

export interface Store {
  /** The revision of the latest write. */
  currentRevision(): number;
  /** Revisions at or below this one have been compacted away. */
  compactedRevision(): number;

  get(key: string, options?: ReadOptions): Promise<GetResult>;
  range(range: KeyRange, options?: RangeOptions): Promise<RangeResult>;

  /** Writes the key only if it does not exist. */
  create(key: string, value: Uint8Array, options?: PutOptions): Promise<WriteResult>;
  /** Writes the key only if its modRevision equals `expectedModRevision`. */
  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: PutOptions,
  ): Promise<WriteResult>;
  /** Deletes the key; with `expectedModRevision`, only if its modRevision matches. */
  delete(key: string, expectedModRevision?: number): Promise<WriteResult>;

  watch(options: WatchOptions, signal?: AbortSignal): Watch;

  /** Grants a lease; keys attached to it are deleted (with watch events) when it expires. */
  grantLease(ttlSeconds: number): Promise<Lease>;
  /** Renews the lease's full TTL; false when it no longer exists. */
  keepAliveLease(id: number): Promise<boolean>;
  /** Ends the lease now, deleting its keys. */
  revokeLease(id: number): Promise<void>;

  /** Removes history at and below `revision` (each key's latest version always survives). */
  compact(revision: number): Promise<void>;

  /** Flushes pending writes, ends watches with `closed`, releases the database. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  /** The requested revision has been compacted away. */
  | 'compacted'
  /** The requested revision is newer than the store's current revision. */
  | 'future-revision'
  /** A watcher fell too far behind and was cut off. */
  | 'slow-watcher'
  /** The store was closed. */
  | 'closed'
  /** The lease does not exist (expired or revoked). */
  | 'lease-not-found'
  /** The database cannot be used: corrupt, foreign, or of a newer format. */
  | 'bad-database'
  /** Bad arguments from the caller (empty key, bad range). */
  | 'invalid';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}

/** The end of the range of every key that starts with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  // Keys are compared as UTF-16 code units here and as bytes in sqlite/etcd; for the ASCII keys the
  // API server writes the orders agree. Bump the last code unit below 0xffff.
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}
