import type { DatabaseSync } from 'node:sqlite';
import { StorageError } from '../types.ts';

// The log table, as kine lays it out: every write appends one row whose id is the revision.
// `prev_revision` points at the row it supersedes (0 for the first version of a key), and
// `(name, prev_revision)` is unique, so two writers can never both succeed from the same version.
// A delete appends a tombstone row (deleted = 1). Reads at a revision take, per name, the row
// with the largest id at or below it.
const schema = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  version INTEGER NOT NULL,
  lease INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS kv_name_prev_revision ON kv (name, prev_revision);
CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
CREATE INDEX IF NOT EXISTS kv_lease ON kv (lease) WHERE lease != 0;
CREATE TABLE IF NOT EXISTS lease (
  id INTEGER PRIMARY KEY,
  ttl INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** Identifies a navis store; a database without it is foreign and is never written to. */
const formatName = 'navis-kv';
const formatVersion = '1';

/**
 * Checks that the database is empty or a navis store of a format we read, then creates the schema.
 * A corrupt file fails here (sqlite reports "file is not a database" on the first read).
 */
export function prepareSchema(db: DatabaseSync, location: string): void {
  let tables: string[];
  try {
    tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all()
      .map((r) => String(r['name']));
  } catch (e: unknown) {
    throw new StorageError('bad-database', `${location} is not a usable SQLite database: ${message(e)}`, {
      cause: e,
    });
  }
  if (tables.length > 0) {
    const format = tables.includes('meta')
      ? db.prepare(`SELECT value FROM meta WHERE key = 'format'`).get()?.['value']
      : undefined;
    if (format !== `${formatName}/${formatVersion}`) {
      throw new StorageError(
        'bad-database',
        format === undefined
          ? `${location} is a SQLite database that navis did not create (tables: ${tables.join(', ')}); refusing to use it`
          : `${location} has store format ${String(format)}, this navis reads ${formatName}/${formatVersion}`,
      );
    }
  }
  db.exec(schema);
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)`).run(
    `${formatName}/${formatVersion}`,
  );
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('compact_revision', '0')`).run();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
