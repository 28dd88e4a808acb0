// The API server as its clients see it: a real `navis server` child process on a temporary data
// dir (sqlite, durable settings), driven over HTTPS (HTTP/2, the admin client certificate) from
// this process. Creates, gets and lists of ConfigMaps, watch delivery to 1,000 watchers, resident
// memory with 100,000 stored objects, and the ceiling: a bare node:http2 server answering a fixed
// body under the same load. `npm run bench api`.
//
// The client is node:http2, 64 requests in flight over 8 sessions (TLS connections), as client-go
// multiplexes over HTTP/2; 8 sessions gave the bare server its best figure (1 and 64 were 20-35%
// lower). The load generator runs in this process and shares the machine's cores with the server,
// so the ceiling is the machine's, not only the server's: the "server CPU" rows say how busy each
// server process was.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  type SecureClientSessionOptions,
} from 'node:http2';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { BenchContext, BenchResult } from './run.ts';

/** Requests in flight for creates and gets (and the ceiling). */
const clients = 64;
/** HTTP/2 sessions (TLS connections) the in-flight requests share, round-robin. */
const sessions = 8;
/** Lists of 1,000 objects in flight: 64 only queues 1.3 MB responses behind one another. */
const listClients = 8;
const createTotal = 20_000;
const getSeconds = 5;
const listSeconds = 5;
const listObjects = 1000;
const watchers = 1000;
const watchSessions = 4;
const watchEvents = 200;
const watchIntervalMs = 20;
const rssObjects = 100_000;
/** ~1 KiB of data per ConfigMap (1,024 base64 characters). */
const payload = randomBytes(768).toString('base64');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const h2 = `HTTP/2 over TLS (node:http2), ${sessions} sessions, admin client cert`;

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const children = new Set<Child>();
  const dirs: string[] = [];
  const open: Client[] = [];
  const results: BenchResult[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'navis-bench-api-'));
    dirs.push(d);
    return d;
  };
  try {
    context.log('starting navis server');
    const navis = await startNavis(tempDir(), children);
    context.log(`navis server pid ${navis.child.pid} on ${navis.creds.server}`);
    const client = await Client.open(navis.creds, sessions);
    open.push(client);

    await createNamespace(client, 'bench-warm');
    await createNamespace(client, 'bench-create');
    context.log('warm-up: 1,000 creates');
    await drive(clients, { total: 1000 }, (i) => createConfigMap(client, 'bench-warm', `cm-${i}`, payload));

    context.log(`creates: ${createTotal.toLocaleString('en-US')} ConfigMaps, ${clients} in flight`);
    results.push(
      ...(await measure(navis.child, async () =>
        drive(clients, { total: createTotal }, (i) =>
          createConfigMap(client, 'bench-create', `cm-${i}`, payload),
        ),
      ).then((m) =>
        figures(m, {
          name: `creates, ${clients} clients`,
          workload: `${createTotal.toLocaleString('en-US')} ConfigMaps with 1 KiB data into one namespace, ${clients} in flight, ${h2}; sqlite, synchronous=FULL`,
          unit: 'creates/s',
          goal: { atLeast: 5000 },
          p99Goal: { below: 50 },
        }),
      )),
    );

    context.log(`gets: ${getSeconds} s, ${clients} in flight`);
    await drive(clients, { seconds: 1 }, () => getConfigMap(client, randomInt(createTotal)));
    const gets = await measure(navis.child, () =>
      drive(clients, { seconds: getSeconds }, () => getConfigMap(client, randomInt(createTotal))),
    );
    const getResults = figures(gets, {
      name: `gets, ${clients} clients`,
      workload: `GET of one random ConfigMap (1 KiB data, ~1.4 KB response) of ${createTotal.toLocaleString('en-US')}, ${clients} in flight for ${getSeconds} s, ${h2}`,
      unit: 'gets/s',
      goal: { atLeast: 15_000 },
      p99Goal: { below: 50 },
    });
    results.push(...getResults);

    context.log('ceiling: a bare node:http2 server with a fixed body');
    const ceiling = await startCeiling(navis.dataDir, children);
    const ceilingClient = await Client.open({ ...navis.creds, server: ceiling.url }, sessions);
    open.push(ceilingClient);
    await drive(clients, { seconds: 1 }, () => getFixed(ceilingClient));
    const bare = await measure(ceiling.child, () =>
      drive(clients, { seconds: getSeconds }, () => getFixed(ceilingClient)),
    );
    ceilingClient.close();
    await stopChild(ceiling.child, children);
    const ceilingWorkload = `a node:http2 createSecureServer (allowHTTP1, the navis serving cert, P-256) child process answering a fixed ${fixedBody.length}-byte JSON body; same client, ${clients} in flight for ${getSeconds} s, ${h2}`;
    results.push(
      ...figures(bare, {
        name: 'ceiling: bare node:http2 server, GET',
        workload: ceilingWorkload,
        unit: 'req/s',
      }),
      {
        name: 'gets vs ceiling',
        workload: 'navis gets/s as a share of the bare server req/s',
        figure: (100 * gets.count) / gets.seconds / (bare.count / bare.seconds),
        unit: '%',
      },
    );

    context.log(`lists: a namespace of ${listObjects} ConfigMaps, ${listClients} in flight`);
    await createNamespace(client, 'bench-list');
    await drive(clients, { total: listObjects }, (i) =>
      createConfigMap(client, 'bench-list', `cm-${i}`, payload),
    );
    const listPath = '/api/v1/namespaces/bench-list/configmaps';
    const first = await client.request('GET', listPath);
    const firstList = JSON.parse(first.body.toString('utf8')) as { items: unknown[] };
    if (first.status !== 200 || firstList.items.length !== listObjects) {
      throw new Error(`list returned ${first.status} with ${firstList.items.length} items`);
    }
    const listBytes = first.body.length;
    await drive(listClients, { seconds: 1 }, () => expect(client.request('GET', listPath), 200));
    const lists = await measure(navis.child, () =>
      drive(listClients, { seconds: listSeconds }, () => expect(client.request('GET', listPath), 200)),
    );
    results.push(
      ...figures(lists, {
        name: `lists of ${listObjects.toLocaleString('en-US')}, ${listClients} clients`,
        workload: `GET of a namespace holding exactly ${listObjects.toLocaleString('en-US')} ConfigMaps of 1 KiB data (${(listBytes / 1e6).toFixed(2)} MB JSON, no limit), ${listClients} in flight for ${listSeconds} s (64 would only queue: the server is saturated at 8), ${h2}`,
        unit: 'lists/s',
      }),
    );

    context.log(`watch: ${watchers} watchers, ${watchEvents} creates every ${watchIntervalMs} ms`);
    results.push(...(await watchFanOut(navis, context)));
    client.close();

    const crashed = navis.child.exitCode;
    if (crashed !== null) throw new Error(`navis server exited with ${crashed}: ${navis.child.tail()}`);
    await stopChild(navis.child, children);
    if (navis.child.problems.length > 0) {
      context.log(
        `server warnings/errors (${navis.child.problemCount}):\n${navis.child.problems.join('\n')}`,
      );
    }

    context.log(`memory: a fresh server, ${rssObjects.toLocaleString('en-US')} small ConfigMaps`);
    results.push(...(await memory(tempDir(), children, context, open)));
  } finally {
    for (const c of open) c.close();
    await Promise.all([...children].map((c) => stopChild(c, children)));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return results;
}

// ---- workloads ----

async function watchFanOut(navis: Navis, context: BenchContext): Promise<BenchResult[]> {
  const ns = 'bench-watch';
  const setup = await Client.open(navis.creds, 1);
  const streams: ClientHttp2Stream[] = [];
  const watchClient = await Client.open(navis.creds, watchSessions);
  try {
    await createNamespace(setup, ns);
    const listed = await expect(setup.request('GET', `/api/v1/namespaces/${ns}/configmaps`), 200);
    const rv = (JSON.parse(listed.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata
      .resourceVersion;
    // received[w * watchEvents + i]: when watcher w got the ADDED event of w-i.
    const received = new Float64Array(watchers * watchEvents).fill(Number.NaN);
    let delivered = 0;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    const path = `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`;
    const opened = Array.from({ length: watchers }, (_, w) => {
      const stream = watchClient.stream(path);
      streams.push(stream);
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const now = performance.now();
        const text = partial + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; start = nl + 1, nl = text.indexOf('\n', start)) {
          // The object's name, without parsing the whole event: "name":"w-<i>".
          const at = text.indexOf('"name":"w-', start);
          if (at < 0 || at > nl) continue;
          const i = Number.parseInt(text.slice(at + 10, at + 16), 10);
          if (i >= 0 && i < watchEvents && Number.isNaN(received[w * watchEvents + i]!)) {
            received[w * watchEvents + i] = now;
            if (++delivered === watchers * watchEvents) allDelivered();
          }
        }
        partial = text.slice(start);
      });
      stream.on('error', () => {});
      return new Promise<void>((resolve, reject) => {
        stream.once('response', (headers) => {
          const status = Number(headers[':status']);
          if (status === 200) resolve();
          else reject(new Error(`watch answered ${status}`));
        });
        stream.once('close', () => reject(new Error('watch stream closed before its response')));
      });
    });
    const openStarted = performance.now();
    await Promise.all(opened);
    context.log(`  ${watchers} watches open in ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);

    const startedAt = new Float64Array(watchEvents);
    const answeredAt = new Float64Array(watchEvents);
    const cpuBefore = cpuSeconds(navis.child.pid);
    const began = performance.now();
    const creates: Promise<void>[] = [];
    for (let i = 0; i < watchEvents; i++) {
      const due = began + i * watchIntervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      startedAt[i] = performance.now();
      creates.push(
        createConfigMap(setup, ns, `w-${i}`, payload).then(() => {
          answeredAt[i] = performance.now();
        }),
      );
    }
    await Promise.all(creates);
    await Promise.race([done, sleep(20_000)]);
    const seconds = (performance.now() - began) / 1000;
    const cpu = (cpuSeconds(navis.child.pid) - cpuBefore) / seconds;

    const fromStart: number[] = [];
    const fromAnswer: number[] = [];
    for (let w = 0; w < watchers; w++) {
      for (let i = 0; i < watchEvents; i++) {
        const t = received[w * watchEvents + i]!;
        if (Number.isNaN(t)) continue;
        fromStart.push(t - startedAt[i]!);
        fromAnswer.push(t - answeredAt[i]!);
      }
    }
    const s = quantiles(fromStart);
    const a = quantiles(fromAnswer);
    const expected = watchers * watchEvents;
    const workload = `${watchers.toLocaleString('en-US')} watch streams (?watch=1&resourceVersion=<list rv>) on one namespace over ${watchSessions} HTTP/2 sessions; ${watchEvents} ConfigMap creates (1 KiB data) one every ${watchIntervalMs} ms from another session`;
    return [
      { name: 'watch, create start -> delivery, p50', workload, figure: s.p50, unit: 'ms' },
      {
        name: 'watch, create start -> delivery, p99',
        workload,
        figure: s.p99,
        unit: 'ms',
        goal: { below: 50 },
      },
      {
        name: 'watch, create response -> delivery, p50',
        workload: `${workload}; negative when the event beats the create's own response`,
        figure: a.p50,
        unit: 'ms',
      },
      { name: 'watch, create response -> delivery, p99', workload, figure: a.p99, unit: 'ms' },
      {
        name: 'watch, events delivered',
        workload: `${workload}; every watcher must see every create (waited up to 20 s)`,
        figure: delivered,
        unit: 'events',
        goal: { atLeast: expected },
      },
      { name: 'watch, server CPU', workload, figure: cpu, unit: 'cores' },
    ];
  } finally {
    for (const stream of streams) stream.close();
    watchClient.close();
    setup.close();
  }
}

async function memory(
  dataDir: string,
  children: Set<Child>,
  context: BenchContext,
  open: Client[],
): Promise<BenchResult[]> {
  const navis = await startNavis(dataDir, children);
  const client = await Client.open(navis.creds, sessions);
  open.push(client);
  const ns = 'bench-rss';
  await createNamespace(client, ns);
  const fresh = procStatus(navis.child.pid);
  const started = performance.now();
  let logged = 0;
  const created = await drive(clients, { total: rssObjects }, async (i) => {
    await createConfigMap(client, ns, `cm-${i}`, `value-${i}`);
    if (i - logged >= 20_000) {
      logged = i;
      context.log(`  ${i.toLocaleString('en-US')} created`);
    }
  });
  const createSeconds = (performance.now() - started) / 1000;
  const afterCreates = procStatus(navis.child.pid);
  context.log('  listing all ConfigMaps once');
  const listStarted = performance.now();
  const all = await client.request('GET', '/api/v1/configmaps');
  const listSeconds = (performance.now() - listStarted) / 1000;
  if (all.status !== 200) throw new Error(`list of all ConfigMaps answered ${all.status}`);
  const items = (JSON.parse(all.body.toString('utf8')) as { items: unknown[] }).items.length;
  if (items !== rssObjects) throw new Error(`list of all ConfigMaps returned ${items} items`);
  const afterList = procStatus(navis.child.pid);
  client.close();
  await stopChild(navis.child, children);
  if (navis.child.problems.length > 0) {
    context.log(`server warnings/errors (${navis.child.problemCount}):\n${navis.child.problems.join('\n')}`);
  }
  const mb = (kb: number): number => kb / 1024;
  const workload = `a fresh navis server; ${rssObjects.toLocaleString('en-US')} ConfigMaps of ~10 B data in one namespace, ${clients} in flight, ${h2}; no watchers, no GC forced`;
  return [
    {
      name: `RSS, ${rssObjects.toLocaleString('en-US')} ConfigMaps, after one full list`,
      workload: `${workload}; VmRSS after one unpaginated GET /api/v1/configmaps (${(all.body.length / 1e6).toFixed(0)} MB JSON, ${listSeconds.toFixed(1)} s) was served`,
      figure: mb(afterList.rss),
      unit: 'MiB',
      goal: { below: 400 },
    },
    {
      name: `RSS, ${rssObjects.toLocaleString('en-US')} ConfigMaps, before any list`,
      workload: `${workload}; VmRSS right after the last create answered`,
      figure: mb(afterCreates.rss),
      unit: 'MiB',
    },
    {
      name: 'RSS, peak (VmHWM)',
      workload: `${workload}; the high-water mark over creates and the full list`,
      figure: mb(afterList.hwm),
      unit: 'MiB',
    },
    {
      name: 'RSS, fresh server',
      workload: 'VmRSS after start-up and one namespace',
      figure: mb(fresh.rss),
      unit: 'MiB',
    },
    {
      name: `time to create ${rssObjects.toLocaleString('en-US')} ConfigMaps`,
      workload,
      figure: createSeconds,
      unit: 's',
    },
    ...figures(created, {
      name: `small creates, ${clients} clients`,
      workload,
      unit: 'creates/s',
    }),
  ];
}

// ---- the HTTP/2 client ----

interface Credentials {
  readonly server: string;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

interface Response {
  readonly status: number;
  readonly body: Buffer;
}

/** A few HTTP/2 sessions; requests go round-robin over them. */
class Client {
  private readonly sessions: ClientHttp2Session[];
  private next = 0;

  private constructor(sessions: ClientHttp2Session[]) {
    this.sessions = sessions;
  }

  static async open(creds: Credentials, count: number): Promise<Client> {
    // client-go's windows (4 MiB per stream, 1 GiB per connection), so flow control does not
    // throttle 1.3 MB list responses.
    const options: SecureClientSessionOptions = {
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      settings: { initialWindowSize: 4 * 2 ** 20 },
      maxSessionMemory: 256,
    };
    const opened = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<ClientHttp2Session>((resolve, reject) => {
            const session = connect(creds.server, options);
            session.once('error', reject);
            session.once('connect', () => {
              session.off('error', reject);
              session.on('error', () => {});
              session.setLocalWindowSize(2 ** 30);
              resolve(session);
            });
          }),
      ),
    );
    return new Client(opened);
  }

  private session(): ClientHttp2Session {
    const s = this.sessions[this.next]!;
    this.next = (this.next + 1) % this.sessions.length;
    return s;
  }

  request(method: string, path: string, body?: string): Promise<Response> {
    return new Promise((resolve, reject) => {
      const stream = this.session().request({
        ':method': method,
        ':path': path,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      });
      const chunks: Buffer[] = [];
      let status = 0;
      stream.once('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      stream.once('error', reject);
      stream.end(body);
    });
  }

  /** A GET whose response the caller reads as it streams (watch). */
  stream(path: string): ClientHttp2Stream {
    const stream = this.session().request({ ':method': 'GET', ':path': path, accept: 'application/json' });
    stream.end();
    return stream;
  }

  close(): void {
    for (const s of this.sessions) if (!s.destroyed) s.destroy();
  }
}

async function expect(response: Promise<Response>, status: number): Promise<Buffer> {
  const r = await response;
  if (r.status !== status) {
    throw new Error(`expected ${status}, got ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  }
  return r.body;
}

async function createNamespace(client: Client, name: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await expect(client.request('POST', '/api/v1/namespaces', body), 201);
}

async function createConfigMap(client: Client, ns: string, name: string, value: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } });
  await expect(client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, body), 201);
}

async function getConfigMap(client: Client, i: number): Promise<void> {
  await expect(client.request('GET', `/api/v1/namespaces/bench-create/configmaps/cm-${i}`), 200);
}

async function getFixed(client: Client): Promise<void> {
  await expect(client.request('GET', '/api/v1/namespaces/bench-create/configmaps/fixed'), 200);
}

// ---- load ----

interface Measured {
  readonly count: number;
  readonly seconds: number;
  readonly latencies: number[];
  /** Cores the server process used over the run. */
  cpu?: number;
}

/** `inFlight` loops, each starting its next operation when the last one answers. */
async function drive(
  inFlight: number,
  until: { total?: number; seconds?: number },
  op: (i: number) => Promise<unknown>,
): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = until.seconds === undefined ? Infinity : started + until.seconds * 1000;
  const total = until.total ?? Infinity;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < total && performance.now() < deadline; i = next++) {
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { count: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

/** Runs `fn` and notes the CPU the child used meanwhile. */
async function measure(child: Child, fn: () => Promise<Measured>): Promise<Measured> {
  const before = cpuSeconds(child.pid);
  const m = await fn();
  m.cpu = (cpuSeconds(child.pid) - before) / m.seconds;
  return m;
}

function figures(
  m: Measured,
  spec: {
    name: string;
    workload: string;
    unit: string;
    goal?: BenchResult['goal'];
    p99Goal?: BenchResult['goal'];
  },
): BenchResult[] {
  const q = quantiles(m.latencies);
  const out: BenchResult[] = [
    {
      name: spec.name,
      workload: spec.workload,
      figure: m.count / m.seconds,
      unit: spec.unit,
      goal: spec.goal,
    },
    { name: `${spec.name}, p50 latency`, workload: spec.workload, figure: q.p50, unit: 'ms' },
    {
      name: `${spec.name}, p99 latency`,
      workload: spec.workload,
      figure: q.p99,
      unit: 'ms',
      goal: spec.p99Goal,
    },
  ];
  if (m.cpu !== undefined) {
    out.push({ name: `${spec.name}, server CPU`, workload: spec.workload, figure: m.cpu, unit: 'cores' });
  }
  return out;
}

function quantiles(samples: readonly number[]): { p50: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

// ---- child processes ----

interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  readonly exitCode: number | null;
  readonly exited: Promise<void>;
  /** Warning and error lines from its stderr (the first 20). */
  readonly problems: string[];
  readonly problemCount: number;
  /** The end of its stderr. */
  tail(): string;
  /** Resolves with the first stderr line containing `text`; rejects if the process exits first. */
  waitFor(text: string): Promise<string>;
}

function spawnChild(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  const lines: string[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  const waiters: { text: string; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let exitCode: number | null = null;
  let buffered = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      if (lines.length > 50) lines.shift();
      if (/"level":"(warn|error)"/.test(line) || /Error|error:/.test(line)) {
        problemCount++;
        if (problems.length < 20) problems.push(line.slice(0, 400));
      }
      for (const w of [...waiters]) {
        if (line.includes(w.text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', (code, sig) => {
      exitCode = code ?? (sig === null ? 0 : 128);
      for (const w of waiters.splice(0)) {
        w.reject(new Error(`exited (${code ?? sig}) before "${w.text}": ${lines.slice(-10).join('\n')}`));
      }
      resolve();
    });
  });
  return {
    pid: proc.pid,
    process: proc,
    get exitCode() {
      return exitCode;
    },
    exited,
    problems,
    get problemCount() {
      return problemCount;
    },
    tail: () => lines.slice(-10).join('\n'),
    waitFor: (text) =>
      exitCode !== null
        ? Promise.reject(new Error(`exited before "${text}": ${lines.slice(-10).join('\n')}`))
        : new Promise((resolve, reject) => waiters.push({ text, resolve, reject })),
  };
}

async function stopChild(child: Child, children: Set<Child>): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null) return;
  child.process.kill('SIGTERM');
  const killed = await Promise.race([child.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
}

/** Tries loopback ports in 18000-18999 until one is free. */
async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await start(18_000 + randomInt(1000));
    } catch (e: unknown) {
      last = e;
      if (!String(e).includes('EADDRINUSE')) throw e;
    }
  }
  throw last;
}

interface Navis {
  readonly child: Child;
  readonly dataDir: string;
  readonly creds: Credentials;
}

async function startNavis(dataDir: string, children: Set<Child>): Promise<Navis> {
  return onFreePort(async (port) => {
    const child = spawnChild([
      join(root, 'bin/navis.ts'),
      'server',
      '--data-dir',
      dataDir,
      '--https-port',
      String(port),
      '--bind-address',
      '127.0.0.1',
    ]);
    children.add(child);
    try {
      await child.waitFor('api server ready');
    } catch (e: unknown) {
      children.delete(child);
      throw e;
    }
    return { child, dataDir, creds: readKubeconfig(join(dataDir, 'admin.kubeconfig')) };
  });
}

function readKubeconfig(path: string): Credentials {
  const config = parseYaml(readFileSync(path, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const user = config.users[0]!.user;
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
  };
}

/** ~300 bytes of JSON, about the size of a small Status or a tiny object. */
const fixedBody = JSON.stringify({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: {
    name: 'fixed',
    namespace: 'bench-create',
    uid: '6c1f4f6e-3b1a-4a51-9a4e-2f0c1d2e3f4a',
    resourceVersion: '12345',
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  data: { value: 'x'.repeat(100) },
});

/** The bare server: the same TLS setup as navis (its serving cert and key, client CA), no work. */
const ceilingScript = `
const http2 = require('node:http2');
const fs = require('node:fs');
const body = process.env.BODY;
const server = http2.createSecureServer({
  allowHTTP1: true,
  key: fs.readFileSync(process.env.KEY),
  cert: fs.readFileSync(process.env.CERT),
  ca: fs.readFileSync(process.env.CA),
  requestCert: true,
  rejectUnauthorized: false,
}, (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  res.end(body);
});
server.on('error', (e) => { process.stderr.write('listen failed: ' + e.code + '\\n'); process.exit(1); });
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('ceiling ready\\n'));
`;

async function startCeiling(dataDir: string, children: Set<Child>): Promise<{ child: Child; url: string }> {
  const tls = join(dataDir, 'tls');
  return onFreePort(async (port) => {
    const child = spawnChild(['-e', ceilingScript], {
      BODY: fixedBody,
      KEY: join(tls, 'serving-kube-apiserver.key'),
      CERT: join(tls, 'serving-kube-apiserver.crt'),
      CA: join(tls, 'client-ca.crt'),
      PORT: String(port),
    });
    children.add(child);
    try {
      await child.waitFor('ceiling ready');
    } catch (e: unknown) {
      children.delete(child);
      throw e;
    }
    return { child, url: `https://127.0.0.1:${port}` };
  });
}

// ---- /proc ----

/** utime + stime of every thread, in seconds (USER_HZ is 100 on Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** VmRSS and VmHWM in KiB. */
function procStatus(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
