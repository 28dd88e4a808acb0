import { join } from 'node:path';
import { SqliteStore } from './sqlite/store.ts';
import { StorageError, type Store } from './types.ts';

export * from './types.ts';
export { SqliteStore } from './sqlite/store.ts';

export interface OpenStoreOptions {
  /** Where `sqlite://` without a path puts its database. */
  readonly dataDir: string;
  readonly retainRevisions?: number;
}

/**
 * Opens the store a `--datastore-endpoint` names: `sqlite:///abs/path.db` (or `sqlite://` for
 * DATA_DIR/db/state.db, the default), or `memory://`. The etcd backend arrives with the HA issue.
 */
export function openStore(endpoint: string | undefined, options: OpenStoreOptions): Store {
  const e = endpoint ?? 'sqlite://';
  const retain = { retainRevisions: options.retainRevisions };
  if (e === 'memory://' || e === 'memory') return new SqliteStore({ path: ':memory:', ...retain });
  if (e.startsWith('sqlite://')) {
    const path = e.slice('sqlite://'.length);
    return new SqliteStore({ path: path === '' ? join(options.dataDir, 'db', 'state.db') : path, ...retain });
  }
  throw new StorageError(
    'invalid',
    `unsupported datastore endpoint "${e}": use sqlite:///path/to/db or memory://`,
  );
}
