import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  type GetResult,
  type KeyRange,
  type KeyValue,
  type Lease,
  type PutOptions,
  type RangeOptions,
  type RangeResult,
  type ReadOptions,
  type Store,
  StorageError,
  type Watch,
  type WatchEvent,
  type WatchOptions,
  type WriteResult,
} from '../types.ts';
import { WatchHub } from '../watch-hub.ts';
import { asRow, asRows, RangeStatements, type Row, rowColumns, toKeyValue } from './rows.ts';
import { prepareSchema } from './schema.ts';
import { type Done, GroupCommitter, type Outcome } from './group-commit.ts';
import { LeaseTimers } from './lease-timers.ts';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for the memory backend. */
  readonly path: string;
  /** Automatic compaction: keep at least this many revisions of history; 0 turns it off. Default 1000 (kine's). */
  readonly retainRevisions?: number;
  /** Revisions compacted per transaction, so writers never wait long behind compaction. */
  readonly compactBatch?: number;
  /** Clock for lease expiry, in ms; tests pass a fake. */
  readonly now?: () => number;
  /** After this long without a commit, the WAL is checkpointed and truncated to zero. Default 1 s. */
  readonly idleCheckpointMs?: number;
}

// 8 KiB pages: objects of a few KiB leave less of each page unused than at SQLite's default 4 KiB.
const pageSize = 8192;
// Checkpoint the WAL into the database every 256 pages (2 MiB; SQLite's default is 4 MiB), so the
// journal stays small beside the data under steady writes. Measured on creates with 64 writers:
// 1 MiB cost a fifth of the throughput, 2 MiB about what 4 MiB costs. The file is reused, not
// truncated, after each checkpoint unless it grew past 4 MiB; an idle store truncates it to zero.
const walCheckpointPages = 256;
const walSizeLimit = 4 * 2 ** 20;

const empty = new Uint8Array(0);

/**
 * The kine-style log on node:sqlite. Reads run directly (node:sqlite is synchronous, so a read
 * never sees half a commit); writes go through the group committer, which runs every write queued
 * in one turn of the event loop in a single durable transaction and then publishes the commit's
 * events to the watchers: event-driven, no polling.
 */
export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly location: string;
  private readonly hub = new WatchHub();
  private readonly committer: GroupCommitter;
  private readonly leases: LeaseTimers;
  private readonly retainRevisions: number;
  private readonly compactBatch: number;
  private revision: number;
  private compacted: number;
  private compacting = false;
  private closed = false;
  private idleCheckpoint: NodeJS.Timeout | undefined;
  private readonly idleCheckpointMs: number;

  private readonly stmt: {
    latest: StatementSync;
    atRevision: StatementSync;
    insert: StatementSync;
    sequence: StatementSync;
    compactPrev: StatementSync;
    compactTombstones: StatementSync;
    setMeta: StatementSync;
    leaseKeys: StatementSync;
    insertLease: StatementSync;
    renewLease: StatementSync;
    deleteLease: StatementSync;
  };
  private readonly rangeRows: RangeStatements;
  private readonly rangeCount: RangeStatements;
  private readonly history: RangeStatements;

  constructor(options: SqliteStoreOptions) {
    const memory = options.path === ':memory:';
    this.location = memory ? 'memory store' : options.path;
    if (!memory) mkdirSync(dirname(options.path), { recursive: true });
    try {
      this.db = new DatabaseSync(options.path);
    } catch (e: unknown) {
      throw new StorageError('bad-database', `cannot open ${this.location}: ${errorText(e)}`, { cause: e });
    }
    try {
      // WAL + synchronous=FULL: a commit is on disk (fsync'd) before any write in it is acknowledged.
      // Exclusive locking keeps a second process off the same data directory.
      this.db.exec(
        memory
          ? 'PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;'
          : 'PRAGMA locking_mode = EXCLUSIVE; PRAGMA synchronous = FULL;',
      );
      // Takes effect only on a database without tables, so a foreign one is not touched.
      this.db.exec(`PRAGMA page_size = ${pageSize}`);
      prepareSchema(this.db, this.location);
      // Only after the format check: switching to WAL rewrites the file header, and a foreign
      // database must be left exactly as it was.
      if (!memory) {
        this.db.exec(
          `PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = ${walCheckpointPages}; PRAGMA journal_size_limit = ${walSizeLimit};`,
        );
      }
    } catch (e: unknown) {
      this.db.close();
      if (isBusy(e)) {
        throw new StorageError(
          'bad-database',
          `${this.location} is locked by another process (is another navis server using this data directory?)`,
          { cause: e },
        );
      }
      if (e instanceof StorageError) throw e;
      throw new StorageError('bad-database', `cannot use ${this.location}: ${errorText(e)}`, { cause: e });
    }

    const prepare = (sql: string): StatementSync => this.db.prepare(sql);
    this.stmt = {
      latest: prepare(`SELECT ${rowColumns} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`),
      atRevision: prepare(`SELECT ${rowColumns} FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`),
      insert: prepare(
        `INSERT INTO kv (id, name, deleted, create_revision, prev_revision, version, lease, value)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      sequence: prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`),
      // Compaction (kine's): a row superseded at or below the compact revision can never be read
      // again; neither can a tombstone at or below it.
      compactPrev: prepare(
        `DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision != 0)`,
      ),
      compactTombstones: prepare(`DELETE FROM kv WHERE deleted = 1 AND id > ? AND id <= ?`),
      setMeta: prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`),
      leaseKeys: prepare(
        `SELECT ${rowColumns} FROM kv k WHERE lease = ? AND deleted = 0
         AND NOT EXISTS (SELECT 1 FROM kv n WHERE n.name = k.name AND n.id > k.id) ORDER BY name`,
      ),
      insertLease: prepare(`INSERT INTO lease (id, ttl, expires_at) VALUES (?, ?, ?)`),
      renewLease: prepare(`UPDATE lease SET expires_at = ? WHERE id = ?`),
      deleteLease: prepare(`DELETE FROM lease WHERE id = ?`),
    };
    // The latest version of each key at a revision is its largest id at or below it (kine's list query).
    const latestIds = (cond: string): string =>
      `SELECT MAX(id) FROM kv WHERE ${cond} AND id <= ? GROUP BY name`;
    this.rangeRows = new RangeStatements({
      prepare,
      column: 'k.name',
      // Correlated form so the (name, id) index gives the order: no sort of whole rows before LIMIT.
      template: (cond) =>
        `SELECT ${rowColumns} FROM kv k WHERE ${cond} AND k.id = (SELECT MAX(id) FROM kv WHERE name = k.name AND id <= ?)
         AND k.deleted = 0 ORDER BY k.name LIMIT ?`,
    });
    this.rangeCount = new RangeStatements({
      prepare,
      column: 'name',
      template: (cond) => `SELECT COUNT(*) AS n FROM kv WHERE id IN (${latestIds(cond)}) AND deleted = 0`,
    });
    this.history = new RangeStatements({
      prepare,
      column: 'c.name',
      template: (cond) =>
        `SELECT ${prefixed('c')}, ${prefixed('p', 'p_')} FROM kv c LEFT JOIN kv p ON p.id = c.prev_revision
         WHERE c.id >= ? AND c.id <= ? AND ${cond} ORDER BY c.id`,
    });

    this.revision = Number(this.stmt.sequence.get()?.['seq'] ?? 0);
    this.compacted = Number(
      this.db.prepare(`SELECT value FROM meta WHERE key = 'compact_revision'`).get()?.['value'],
    );
    this.retainRevisions = options.retainRevisions ?? 1000;
    this.compactBatch = options.compactBatch ?? 1000;
    this.idleCheckpointMs = memory ? 0 : (options.idleCheckpointMs ?? 1000);
    this.committer = new GroupCommitter({
      db: this.db,
      onCommitted: (events) => {
        this.hub.publish(events);
        this.maybeCompact();
        this.checkpointWhenIdle();
      },
      onRolledBack: () => {
        this.revision = Number(this.stmt.sequence.get()?.['seq'] ?? 0);
      },
    });
    const leaseRows = this.db.prepare('SELECT id, ttl, expires_at FROM lease').all();
    this.leases = new LeaseTimers({
      now: options.now ?? Date.now,
      leases: leaseRows.map((r) => ({
        id: Number(r['id']),
        ttl: Number(r['ttl']),
        expiresAt: Number(r['expires_at']),
      })),
      expire: (id) => this.expireLease(id),
    });
  }

  currentRevision(): number {
    return this.revision;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  async get(key: string, options?: ReadOptions): Promise<GetResult> {
    const revision = this.readRevision(options?.revision);
    const row = this.reading(() =>
      asRow(revision === this.revision ? this.stmt.latest.get(key) : this.stmt.atRevision.get(key, revision)),
    );
    return { revision, kv: row === undefined || row.deleted ? undefined : toKeyValue(row) };
  }

  async range(range: KeyRange, options?: RangeOptions): Promise<RangeResult> {
    return this.reading(() => this.rangeNow(range, options));
  }

  /** A read that fails inside SQLite (a damaged page, an I/O error) is a bad-database error. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (e: unknown) {
      if (e instanceof StorageError) throw e;
      throw new StorageError('bad-database', `cannot read ${this.location}: ${errorText(e)}`, { cause: e });
    }
  }

  private rangeNow(range: KeyRange, options?: RangeOptions): RangeResult {
    const revision = this.readRevision(options?.revision);
    const limit = options?.limit ?? 0;
    const countRange = (): number => {
      const { statement, bounds } = this.rangeCount.for(range);
      return Number(statement.get(...bounds, revision)?.['n'] ?? 0);
    };
    if (options?.countOnly) return { revision, kvs: [], more: false, count: countRange() };
    const { statement, bounds } = this.rangeRows.for(range);
    const rows = asRows(statement.all(...bounds, revision, limit > 0 ? limit + 1 : -1));
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return {
      revision,
      kvs: rows.map(toKeyValue),
      more,
      count: more && options?.skipCount !== true ? countRange() : rows.length,
    };
  }

  create(key: string, value: Uint8Array, options?: PutOptions): Promise<WriteResult> {
    if (key === '') return Promise.reject(new StorageError('invalid', 'key must not be empty'));
    return this.committer.submit(() => {
      const latest = asRow(this.stmt.latest.get(key));
      if (latest !== undefined && !latest.deleted) return this.failed(latest);
      return this.put({ key, value, lease: options?.lease ?? 0, latest, createRevision: 0, version: 1 });
    });
  }

  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: PutOptions,
  ): Promise<WriteResult> {
    if (key === '') return Promise.reject(new StorageError('invalid', 'key must not be empty'));
    return this.committer.submit(() => {
      const latest = asRow(this.stmt.latest.get(key));
      if (latest === undefined || latest.deleted || latest.id !== expectedModRevision)
        return this.failed(latest);
      return this.put({
        key,
        value,
        lease: options?.lease ?? 0,
        latest,
        createRevision: latest.create_revision,
        version: latest.version + 1,
      });
    });
  }

  delete(key: string, expectedModRevision?: number): Promise<WriteResult> {
    if (key === '') return Promise.reject(new StorageError('invalid', 'key must not be empty'));
    return this.committer.submit(() => {
      const latest = asRow(this.stmt.latest.get(key));
      if (latest === undefined || latest.deleted) return this.failed(undefined);
      if (expectedModRevision !== undefined && latest.id !== expectedModRevision) return this.failed(latest);
      return this.tombstone(latest);
    });
  }

  watch(options: WatchOptions, signal?: AbortSignal): Watch {
    const range: KeyRange = options.rangeEnd === undefined ? { key: options.key } : options;
    const start = options.startRevision ?? 0;
    const stream = this.hub.open(range, { maxPending: options.maxPending, minRevision: start, signal });
    if (this.closed) {
      stream.fail(new StorageError('closed', 'the store is closed'));
      return stream;
    }
    if (start > 0 && start <= this.compacted) {
      stream.fail(compactedError(start, this.compacted));
    } else if (start > 0 && start <= this.revision) {
      // Catch up from the log. This runs synchronously, between commits, and the stream is already
      // registered, so the next commit's events follow these with no gap and no overlap.
      const { statement, bounds } = this.history.for(range);
      const events = statement.all(start, this.revision, ...bounds).map(historyEvent);
      if (events.length > 0) stream.push(events);
    }
    return stream;
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      return Promise.reject(
        new StorageError('invalid', `lease TTL must be a positive integer, got ${ttlSeconds}`),
      );
    }
    return this.committer.submit(() => {
      let id = randomInt(1, 2 ** 47);
      while (this.leases.has(id)) id = randomInt(1, 2 ** 47);
      const expiresAt = this.leases.now() + ttlSeconds * 1000;
      this.stmt.insertLease.run(id, ttlSeconds, expiresAt);
      return {
        result: { id, ttl: ttlSeconds },
        after: () => this.leases.set({ id, ttl: ttlSeconds, expiresAt }),
      };
    });
  }

  keepAliveLease(id: number): Promise<boolean> {
    return this.committer.submit(() => {
      const lease = this.leases.get(id);
      if (lease === undefined) return { result: false };
      const expiresAt = this.leases.now() + lease.ttl * 1000;
      this.stmt.renewLease.run(expiresAt, id);
      return { result: true, after: () => this.leases.set({ ...lease, expiresAt }) };
    });
  }

  revokeLease(id: number): Promise<void> {
    return this.committer.submit(() => {
      if (!this.leases.has(id))
        return { error: new StorageError('lease-not-found', `lease ${id} not found`) };
      return this.revokeInTransaction(id);
    });
  }

  /** The timer's revoke: re-checked inside the transaction, since a keep-alive may have come first. */
  private expireLease(id: number): Promise<void> {
    return this.committer.submit(() => {
      const lease = this.leases.get(id);
      if (lease === undefined || lease.expiresAt > this.leases.now()) return { result: undefined };
      return this.revokeInTransaction(id);
    });
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.revision) throw futureError(revision, this.revision);
    // Each batch is its own short transaction in the write queue, so writes interleave with it.
    for (let low = this.compacted; low < revision;) {
      const high = Math.min(low + this.compactBatch, revision);
      await this.committer.submit(() => {
        this.stmt.compactPrev.run(low, high);
        this.stmt.compactTombstones.run(low, high);
        this.stmt.setMeta.run('compact_revision', String(high));
        return {
          result: undefined,
          after: () => {
            this.compacted = Math.max(this.compacted, high);
          },
        };
      });
      low = high;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleCheckpoint);
    this.leases.stop();
    await this.committer.close();
    this.hub.failAll(new StorageError('closed', 'the store is closed'));
    this.db.close();
  }

  // ---- inside a write transaction ----

  private revokeInTransaction(id: number): Done<void> {
    const events: WatchEvent[] = [];
    for (const row of asRows(this.stmt.leaseKeys.all(id))) events.push(...(this.tombstone(row).events ?? []));
    this.stmt.deleteLease.run(id);
    return { result: undefined, events, after: () => this.leases.delete(id) };
  }

  private failed(current: Row | undefined): Outcome<WriteResult> {
    return {
      result: {
        succeeded: false,
        revision: this.revision,
        kv: current === undefined || current.deleted ? undefined : toKeyValue(current),
      },
    };
  }

  private put(p: {
    key: string;
    value: Uint8Array;
    lease: number;
    latest: Row | undefined;
    createRevision: number;
    version: number;
  }): Outcome<WriteResult> {
    if (p.lease !== 0 && !this.leases.has(p.lease)) {
      return { error: new StorageError('lease-not-found', `lease ${p.lease} not found`) };
    }
    const id = this.revision + 1;
    const createRevision = p.createRevision || id;
    this.stmt.insert.run(id, p.key, 0, createRevision, p.latest?.id ?? 0, p.version, p.lease, p.value);
    this.revision = id;
    const kv: KeyValue = {
      key: p.key,
      value: p.value,
      createRevision,
      modRevision: id,
      version: p.version,
      lease: p.lease,
    };
    const prevKv = p.latest === undefined || p.latest.deleted ? undefined : toKeyValue(p.latest);
    return { result: { succeeded: true, revision: id, kv }, events: [{ type: 'put', kv, prevKv }] };
  }

  private tombstone(latest: Row): Done<WriteResult> {
    const id = this.revision + 1;
    this.stmt.insert.run(id, latest.name, 1, latest.create_revision, latest.id, 0, 0, empty);
    this.revision = id;
    const prevKv = toKeyValue(latest);
    return {
      result: { succeeded: true, revision: id, kv: prevKv },
      events: [{ type: 'delete', kv: deletedKv(latest.name, id), prevKv }],
    };
  }

  // ---- helpers ----

  private readRevision(requested: number | undefined): number {
    if (this.closed) throw new StorageError('closed', 'the store is closed');
    if (requested === undefined || requested <= 0) return this.revision;
    if (requested > this.revision) throw futureError(requested, this.revision);
    if (requested < this.compacted) throw compactedError(requested, this.compacted);
    return requested;
  }

  /**
   * Once writes stop, fold the WAL into the database and truncate it, so an idle store's files are
   * just its data. One timer, pushed back by every commit; it does not keep the process alive.
   */
  private checkpointWhenIdle(): void {
    if (this.idleCheckpointMs <= 0) return;
    if (this.idleCheckpoint !== undefined) {
      this.idleCheckpoint.refresh();
      return;
    }
    this.idleCheckpoint = setTimeout(() => {
      if (this.closed || this.db.isTransaction) return;
      try {
        this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch {
        // Best effort: the next automatic checkpoint does the same work.
      }
    }, this.idleCheckpointMs);
    this.idleCheckpoint.unref();
  }

  private maybeCompact(): void {
    if (this.retainRevisions <= 0 || this.compacting || this.closed) return;
    const target = this.revision - this.retainRevisions;
    // Compact once a further tenth of the retained window has accumulated, not after every write:
    // history stays within 110% of the window, and each compaction is one short batch.
    if (target - this.compacted < Math.max(1, Math.floor(this.retainRevisions / 10))) return;
    this.compacting = true;
    this.compact(target)
      .catch(() => {
        // A failed batch rolled back; the next commit tries again.
      })
      .finally(() => {
        this.compacting = false;
      });
  }
}

function prefixed(table: string, alias = ''): string {
  return rowColumns
    .split(', ')
    .map((c) => `${table}.${c}${alias === '' ? '' : ` AS ${alias}${c}`}`)
    .join(', ');
}

function historyEvent(record: Record<string, unknown>): WatchEvent {
  const row = record as unknown as Row;
  const prevId = record['p_id'];
  const prev: Row | undefined =
    typeof prevId === 'number' && record['p_deleted'] === 0
      ? {
          id: prevId,
          name: row.name,
          deleted: 0,
          create_revision: record['p_create_revision'] as number,
          prev_revision: record['p_prev_revision'] as number,
          version: record['p_version'] as number,
          lease: record['p_lease'] as number,
          value: record['p_value'] as Uint8Array,
        }
      : undefined;
  const prevKv = prev === undefined ? undefined : toKeyValue(prev);
  if (row.deleted) return { type: 'delete', kv: deletedKv(row.name, row.id), prevKv };
  return { type: 'put', kv: toKeyValue(row), prevKv };
}

/** A delete event's key-value, as etcd reports it: the key and the delete's revision, nothing else. */
function deletedKv(key: string, revision: number): KeyValue {
  return { key, value: empty, createRevision: 0, modRevision: revision, version: 0, lease: 0 };
}

function compactedError(requested: number, compacted: number): StorageError {
  return new StorageError(
    'compacted',
    `revision ${requested} has been compacted (compacted revision ${compacted})`,
  );
}

function futureError(requested: number, current: number): StorageError {
  return new StorageError(
    'future-revision',
    `revision ${requested} is newer than the current revision ${current}`,
  );
}

/** SQLITE_BUSY (5): another connection holds the lock. node:sqlite puts the result code in `errcode`. */
function isBusy(e: unknown): boolean {
  const cause = e instanceof StorageError ? e.cause : e;
  return typeof cause === 'object' && cause !== null && 'errcode' in cause && cause.errcode === 5;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
