// Child process for reliability.test.ts: the parts that must run in a process of their own.
//
//   node writer.ts write DBPATH [RETAIN]  writes with 64 writers in flight until killed; prints
//                                          "ack KEY REVISION HASH" only after each write resolved
//   node writer.ts open DBPATH             tries to open the store; prints the outcome as JSON
//   node writer.ts idle DBPATH             opens the store with a watcher, prints idle CPU as JSON
import { createHash, randomInt } from 'node:crypto';
import { isStorageError, prefixEnd } from '../../types.ts';
import { SqliteStore } from '../store.ts';

export const writers = 64;

/** The hash the parent checks a stored value against. */
export function valueHash(value: Uint8Array): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** A value that names its own key, so a row holding another key's bytes (or half a value) is caught. */
export function makeValue(key: string, seq: number): Uint8Array {
  // Mostly small values, some past a page (4 KiB) so commits also write overflow pages.
  const size = randomInt(10) === 0 ? randomInt(4096, 12288) : randomInt(16, 1024);
  return new TextEncoder().encode(JSON.stringify({ key, seq, pad: 'x'.repeat(size) }));
}

async function write(path: string, retainRevisions: number): Promise<void> {
  const store = new SqliteStore({ path, retainRevisions });
  let seq = 0;
  const writer = async (w: number): Promise<void> => {
    const keys = new Map<string, number>();
    for (let i = 0; ; i++) {
      const existing = [...keys.keys()];
      const fresh = existing.length < 4 || randomInt(4) === 0;
      const key = fresh ? `/reliability/${w}/${i}` : existing[randomInt(existing.length)]!;
      const value = makeValue(key, seq++);
      const r = fresh ? await store.create(key, value) : await store.update(key, value, keys.get(key)!);
      if (!r.succeeded)
        throw new Error(`write of ${key} did not succeed: ${JSON.stringify(r.kv?.modRevision)}`);
      keys.set(key, r.revision);
      // Pipes are written synchronously on Linux: once this returns, the line survives a SIGKILL.
      process.stdout.write(`ack ${key} ${r.revision} ${valueHash(value)}\n`);
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
}

function open(path: string): void {
  try {
    const store = new SqliteStore({ path });
    process.stdout.write(`${JSON.stringify({ opened: true, revision: store.currentRevision() })}\n`);
    void store.close();
  } catch (e: unknown) {
    const code = isStorageError(e) ? e.code : undefined;
    process.stdout.write(`${JSON.stringify({ opened: false, code, message: String(e) })}\n`);
  }
}

async function idle(path: string): Promise<void> {
  const store = new SqliteStore({ path });
  await store.create('/idle/a', new Uint8Array([1]));
  const watch = store.watch({ key: '/idle/', rangeEnd: prefixEnd('/idle/') });
  const consumed = (async () => {
    for await (const _ of watch);
  })();
  // Let start-up work (module loading, JIT, the first GC) settle before sampling.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = process.cpuUsage();
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const used = process.cpuUsage(start);
  const seconds = (performance.now() - startedAt) / 1000;
  watch.close();
  await consumed;
  await store.close();
  process.stdout.write(`${JSON.stringify({ cpuMsPerSecond: (used.user + used.system) / 1000 / seconds })}\n`);
}

if (import.meta.main) {
  const [mode, path, retain] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: writer.ts write|open|idle DBPATH [RETAIN]');
  if (mode === 'write') await write(path, Number(retain ?? 1000));
  else if (mode === 'open') open(path);
  else if (mode === 'idle') await idle(path);
  else throw new Error(`unknown mode ${mode}`);
}
