// The store on a sqlite file with its durable settings (WAL, synchronous=FULL, exclusive lock):
// write throughput and latency, range, watch fan-out, size under churn with automatic compaction,
// the raw node:sqlite ceiling, and idle CPU. `npm run bench storage`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '../src/storage/sqlite/store.ts';
import { prepareSchema } from '../src/storage/sqlite/schema.ts';
import { prefixEnd } from '../src/storage/types.ts';
import type { BenchContext, BenchResult } from './run.ts';

const valueBytes = 1024;
const writers = 64;
const durable = 'sqlite file, WAL, synchronous=FULL';

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'navis-bench-storage-'));
  let n = 0;
  const open = (retainRevisions?: number): { store: SqliteStore; path: string } => {
    const path = join(dir, `b${n++}.db`);
    return { store: new SqliteStore({ path, retainRevisions }), path };
  };
  const value = randomBytes(valueBytes);
  const results: BenchResult[] = [];
  try {
    // Idle first, while the process is fresh: nothing from earlier workloads left to collect.
    context.log('idle CPU');
    results.push(await idleCpu(open()));

    context.log('sequential creates');
    results.push(...(await sequentialCreates(open(), value)));

    context.log(`creates and updates, ${writers} writers`);
    const creates = await concurrentCreates(open(), value);
    results.push(...creates);
    results.push(...(await concurrentUpdates(open(), value)));

    context.log('range of 10,000 keys');
    results.push(...(await rangeAll(open(), value)));

    context.log('watch fan-out to 1,000 watchers');
    results.push(...(await watchFanOut(open(), value)));

    context.log('raw node:sqlite ceiling');
    const ceiling = rawCeiling(join(dir, 'raw.db'), value);
    results.push(ceiling, {
      name: `creates, ${writers} writers, vs ceiling`,
      workload: 'the 64-writer create figure as a share of the raw ceiling',
      figure: (100 * creates[0]!.figure) / ceiling.figure,
      unit: '%',
    });

    context.log('size after 1,000,000 updates over 1,000 keys (about a minute)');
    results.push(...(await sizeUnderChurn(open(), value, context)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

// ---- workloads ----

async function idleCpu({ store }: { store: SqliteStore }): Promise<BenchResult> {
  await store.create('/registry/idle', new Uint8Array([1]));
  const watch = store.watch({ key: '/registry/', rangeEnd: prefixEnd('/registry/') });
  const consumed = (async () => {
    for await (const _ of watch);
  })();
  await sleep(500);
  const start = process.cpuUsage();
  const startedAt = performance.now();
  await sleep(2000);
  const used = process.cpuUsage(start);
  const seconds = (performance.now() - startedAt) / 1000;
  watch.close();
  await consumed;
  await store.close();
  return {
    name: 'idle CPU',
    workload: `open store, 1 watcher, no leases, ${durable}, sampled over 2 s`,
    figure: (used.user + used.system) / 1000 / seconds,
    unit: 'ms CPU/s',
    goal: { below: 20 },
  };
}

async function sequentialCreates(
  { store }: { store: SqliteStore },
  value: Uint8Array,
): Promise<BenchResult[]> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < 2000; i++) {
    const t = performance.now();
    const r = await store.create(`/registry/seq/k${i}`, value);
    latencies.push(performance.now() - t);
    if (!r.succeeded) throw new Error('create failed');
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const workload = `1 writer awaiting each create, 1 KiB values, ${durable}`;
  const q = quantiles(Float64Array.from(latencies));
  return [
    { name: 'creates, sequential', workload, figure: latencies.length / seconds, unit: 'writes/s' },
    { name: 'creates, sequential, p50 latency', workload, figure: q.p50, unit: 'ms' },
  ];
}

async function concurrentCreates(
  { store }: { store: SqliteStore },
  value: Uint8Array,
): Promise<BenchResult[]> {
  const total = 100_000;
  const latencies = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        const r = await store.create(`/registry/pods/ns-${w}/pod-${i}`, value);
        latencies[i] = performance.now() - t;
        if (!r.succeeded) throw new Error('create failed');
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return writeFigures('creates', `${total.toLocaleString('en-US')} creates`, total / seconds, latencies);
}

async function concurrentUpdates(
  { store }: { store: SqliteStore },
  value: Uint8Array,
): Promise<BenchResult[]> {
  const total = 100_000;
  const keysPerWriter = 16;
  const latencies = new Float64Array(total);
  const revisions = await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      Promise.all(
        Array.from(
          { length: keysPerWriter },
          async (_, k) => (await store.create(key(w, k), value)).revision,
        ),
      ),
    ),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    revisions.map(async (revs, w) => {
      for (let i = next++, k = 0; i < total; i = next++, k = (k + 1) % keysPerWriter) {
        const t = performance.now();
        const r = await store.update(key(w, k), value, revs[k]!);
        latencies[i] = performance.now() - t;
        if (!r.succeeded) throw new Error('update failed');
        revs[k] = r.revision;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return writeFigures(
    'updates',
    `${total.toLocaleString('en-US')} updates (compare-and-swap) over ${writers * keysPerWriter} keys`,
    total / seconds,
    latencies,
  );
}

async function rangeAll({ store }: { store: SqliteStore }, value: Uint8Array): Promise<BenchResult[]> {
  const keys = 10_000;
  const prefix = '/registry/configmaps/';
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < keys; i = next++) await store.create(`${prefix}ns/cm-${i}`, value);
    }),
  );
  let ranges = 0;
  const started = performance.now();
  while (ranges < 5 || performance.now() - started < 2000) {
    const r = await store.range({ key: prefix, rangeEnd: prefixEnd(prefix) });
    if (r.kvs.length !== keys) throw new Error(`range returned ${r.kvs.length} keys`);
    ranges++;
  }
  const ms = (performance.now() - started) / ranges;
  // A paginated list's first page, as the API server asks for it (limit=500).
  let pages = 0;
  const pageStarted = performance.now();
  while (pages < 5 || performance.now() - pageStarted < 1000) {
    const r = await store.range({ key: prefix, rangeEnd: prefixEnd(prefix) }, { limit: 500 });
    if (r.kvs.length !== 500 || !r.more) throw new Error(`page returned ${r.kvs.length} keys`);
    pages++;
  }
  const pageMs = (performance.now() - pageStarted) / pages;
  await store.close();
  const workload = `10,000 keys of 1 KiB under one prefix, full range without limit, ${durable}`;
  return [
    { name: 'range, 10,000 keys', workload, figure: ms, unit: 'ms/range' },
    { name: 'range, 10,000 keys', workload, figure: 1000 / ms, unit: 'ranges/s' },
    {
      name: 'range, first page of 500',
      workload: 'limit 500 of the same 10,000 keys, with count and more',
      figure: pageMs,
      unit: 'ms/page',
    },
  ];
}

async function watchFanOut({ store }: { store: SqliteStore }, value: Uint8Array): Promise<BenchResult[]> {
  const watchers = 1000;
  const events = 2000;
  const prefix = '/registry/pods/';
  const base = store.currentRevision();
  // The moment each revision's commit returned: the last point before the store publishes it.
  const committedAt = new Float64Array(events + 1);
  const submittedAt = new Float64Array(events + 1);
  const stop = onCommit(() => {
    const now = performance.now();
    for (let r = store.currentRevision(); r > base && committedAt[r - base] === 0; r--)
      committedAt[r - base] = now;
  });
  const deliveredAt = new Float64Array(watchers * events);
  const deliveredRev = new Int32Array(watchers * events);
  let delivered = 0;
  const consumers = Array.from({ length: watchers }, async () => {
    const watch = store.watch({ key: prefix, rangeEnd: prefixEnd(prefix) });
    let mine = 0;
    for await (const batch of watch) {
      const now = performance.now();
      for (const e of batch) {
        deliveredAt[delivered] = now;
        deliveredRev[delivered++] = e.kv.modRevision - base;
      }
      mine += batch.length;
      if (mine >= events) break;
    }
    if (mine < events) throw new Error(`a watcher got ${mine} of ${events} events`);
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = next++; i < events; i = next++) {
        const t = performance.now();
        const r = await store.create(`${prefix}ns-${w}/pod-${i}`, value);
        submittedAt[r.revision - base] = t;
      }
    }),
  );
  await Promise.all(consumers);
  const seconds = (performance.now() - started) / 1000;
  stop();
  await store.close();
  const commitLatency = new Float64Array(delivered);
  const endToEnd = new Float64Array(delivered);
  for (let i = 0; i < delivered; i++) {
    commitLatency[i] = deliveredAt[i]! - committedAt[deliveredRev[i]!]!;
    endToEnd[i] = deliveredAt[i]! - submittedAt[deliveredRev[i]!]!;
  }
  const c = quantiles(commitLatency);
  const workload = `${watchers.toLocaleString('en-US')} watchers on one prefix, ${events.toLocaleString('en-US')} creates by ${writers} writers, 1 KiB`;
  return [
    { name: 'watch, commit -> delivery, p50', workload, figure: c.p50, unit: 'ms' },
    { name: 'watch, commit -> delivery, p99', workload, figure: c.p99, unit: 'ms', goal: { below: 20 } },
    {
      name: 'watch, create call -> delivery, p99',
      workload: `${workload}; from the write's call, so with its commit`,
      figure: quantiles(endToEnd).p99,
      unit: 'ms',
    },
    {
      name: 'watch, deliveries (events x watchers)',
      workload,
      figure: delivered / seconds,
      unit: 'events/s',
    },
  ];
}

/** Raw node:sqlite: the same rows as the creates, one transaction, the store's pragmas and schema. */
function rawCeiling(path: string, value: Uint8Array): BenchResult {
  const rows = 100_000;
  const db = new DatabaseSync(path);
  db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA synchronous = FULL;');
  prepareSchema(db, path);
  db.exec('PRAGMA journal_mode = WAL;');
  const insert = db.prepare(
    `INSERT INTO kv (id, name, deleted, create_revision, prev_revision, version, lease, value)
     VALUES (?, ?, 0, ?, 0, 1, 0, ?)`,
  );
  const started = performance.now();
  db.exec('BEGIN IMMEDIATE');
  for (let id = 1; id <= rows; id++) insert.run(id, `/registry/pods/ns-${id % writers}/pod-${id}`, id, value);
  db.exec('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return {
    name: 'raw node:sqlite inserts (ceiling)',
    workload: `${rows.toLocaleString('en-US')} create rows of 1 KiB in one transaction, same schema, ${durable}`,
    figure: rows / seconds,
    unit: 'rows/s',
  };
}

async function sizeUnderChurn(
  { store, path }: { store: SqliteStore; path: string },
  value: Uint8Array,
  context: BenchContext,
): Promise<BenchResult[]> {
  const total = 1_000_000;
  const keys = 1000;
  const revs = new Map<string, number>();
  await Promise.all(
    Array.from({ length: keys }, async (_, k) =>
      revs.set(churnKey(k), (await store.create(churnKey(k), value)).revision),
    ),
  );
  const wal = `${path}-wal`;
  const onDisk = (): { main: number; wal: number } => ({
    main: statSync(path).size,
    wal: existsSync(wal) ? statSync(wal).size : 0,
  });
  let peak = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      // Each writer owns the keys k ≡ w (mod writers), so compare-and-swap never conflicts.
      for (let i = next++, k = w; i < total; i = next++, k = k + writers < keys ? k + writers : w) {
        const name = churnKey(k);
        const r = await store.update(name, value, revs.get(name)!);
        if (!r.succeeded) throw new Error('update failed');
        revs.set(name, r.revision);
        if (i % 10_000 === 0) {
          const d = onDisk();
          peak = Math.max(peak, d.main + d.wal);
        }
        if (i % 200_000 === 0 && i > 0) context.log(`  ${i.toLocaleString('en-US')} updates`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const atEnd = onDisk();
  peak = Math.max(peak, atEnd.main + atEnd.wal);
  // The store checkpoints and truncates its WAL once writes have been idle for a second.
  await sleep(1500);
  const settled = onDisk();
  const { kvs } = await store.range({ key: '/registry/', rangeEnd: prefixEnd('/registry/') });
  const live = kvs.reduce((sum, kv) => sum + Buffer.byteLength(kv.key) + kv.value.byteLength, 0);
  const compacted = store.compactedRevision();
  const current = store.currentRevision();
  await store.close();

  // Where the bytes are, read after close (the store holds an exclusive lock while open).
  const db = new DatabaseSync(path, { readOnly: true });
  const pragma = (name: string): number => Number(db.prepare(`PRAGMA ${name}`).get()?.[name]);
  const pageSize = pragma('page_size');
  const freePages = pragma('freelist_count');
  const rows = Number(db.prepare('SELECT COUNT(*) AS n FROM kv').get()?.['n']);
  db.close();

  const workload = `1,000,000 updates over 1,000 keys of 1 KiB, ${writers} writers, retainRevisions 1000 (default)`;
  const mb = (b: number): number => b / 2 ** 20;
  return [
    { name: 'churn, updates', workload, figure: total / seconds, unit: 'writes/s' },
    {
      name: 'churn, database + WAL vs live data, after',
      workload: `${workload}; files 1.5 s after the last update (WAL checkpointed when idle)`,
      figure: (settled.main + settled.wal) / live,
      unit: 'x',
      goal: { below: 3 },
    },
    {
      name: 'churn, database + WAL vs live data, at the last update',
      workload,
      figure: (atEnd.main + atEnd.wal) / live,
      unit: 'x',
    },
    {
      name: 'churn, database + WAL vs live data, peak',
      workload: `${workload}; largest of samples every 10,000 updates`,
      figure: peak / live,
      unit: 'x',
    },
    { name: 'churn, main file, after', workload, figure: mb(settled.main), unit: 'MiB' },
    { name: 'churn, WAL file, at the last update', workload, figure: mb(atEnd.wal), unit: 'MiB' },
    { name: 'churn, live data (keys + values)', workload, figure: mb(live), unit: 'MiB' },
    {
      name: 'churn, log rows (live + history)',
      workload: `${workload}; revision ${current}, compacted to ${compacted}`,
      figure: rows,
      unit: 'rows',
    },
    { name: 'churn, free pages in main file', workload, figure: mb(freePages * pageSize), unit: 'MiB' },
  ];
}

// ---- helpers ----

function key(writer: number, k: number): string {
  return `/registry/pods/ns-${writer}/pod-${k}`;
}

function churnKey(k: number): string {
  return `/registry/leases/ns/lease-${k}`;
}

function writeFigures(verb: string, what: string, perSecond: number, latencies: Float64Array): BenchResult[] {
  const workload = `${what}, ${writers} writers in flight, 1 KiB values, ${durable}`;
  const q = quantiles(latencies);
  return [
    {
      name: `${verb}, ${writers} writers`,
      workload,
      figure: perSecond,
      unit: 'writes/s',
      goal: { atLeast: 20_000 },
    },
    { name: `${verb}, ${writers} writers, p50 latency`, workload, figure: q.p50, unit: 'ms' },
    { name: `${verb}, ${writers} writers, p99 latency`, workload, figure: q.p99, unit: 'ms' },
  ];
}

function quantiles(samples: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Calls `fn` right after every COMMIT of any node:sqlite database, until the returned stop is called. */
function onCommit(fn: () => void): () => void {
  const proto = DatabaseSync.prototype;
  const exec = proto.exec;
  proto.exec = function (this: DatabaseSync, sql: string): void {
    exec.call(this, sql);
    if (sql === 'COMMIT') fn();
  };
  return () => {
    proto.exec = exec;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
