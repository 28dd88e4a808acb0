import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { storeContract } from './contract.ts';
import { SqliteStore } from './sqlite/store.ts';
import type { Store } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'navis-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const paths = new WeakMap<Store, { path: string; retainRevisions: number }>();

storeContract({
  name: 'sqlite',
  open: async (options) => {
    const path = join(dir, `s${n++}.db`);
    const retainRevisions = options?.retainRevisions ?? 1000;
    const s = new SqliteStore({ path, retainRevisions });
    paths.set(s, { path, retainRevisions });
    return s;
  },
  reopen: async (s) => {
    const opened = paths.get(s);
    if (opened === undefined) throw new Error('unknown store');
    await s.close();
    const again = new SqliteStore(opened);
    paths.set(again, opened);
    return again;
  },
});

storeContract({
  name: 'memory',
  open: async (options) =>
    new SqliteStore({ path: ':memory:', retainRevisions: options?.retainRevisions ?? 1000 }),
});
