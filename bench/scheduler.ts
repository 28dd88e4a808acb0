// The scheduler end to end through the API and the store (issue 7): a real `navis server` child
// process on a temporary data dir, N Node objects and M pods created through the API (64 in
// flight), runScheduler binding them through pods/binding, and a watch on pods that sees each pod
// appear (ADDED) and get its node (the MODIFIED event carrying spec.nodeName).
// `npm run bench scheduler`.
//
// Where the scheduler runs: `navis server` does not start it yet (no runScheduler call in
// src/server/run.ts), so this bench starts it as its own child process (this file with `--child`,
// a client from the server's admin kubeconfig), as a separate kube-scheduler would run; the load
// generator and the watch stay in this process so they do not share an event loop with it. Each
// workload gets a fresh server. NAVIS_BENCH_SCHEDULER_PROF=<dir> runs that child under
// `node --cpu-prof` and leaves its profiles in <dir>.
//
// Figures: pods/s from the first pod create sent until the watch has seen every pod bound; per-pod
// latency from its ADDED event to its bound MODIFIED event, both as seen by the watch.
// NAVIS_BENCH_SCHEDULER=basic-5000 (a comma list of workload names) runs only some workloads.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RestClient, resources } from '../src/client/index.ts';
import { createLogger } from '../src/log.ts';
import { runScheduler } from '../src/scheduler/index.ts';
import type { Node, Pod } from '../src/scheduler/types.ts';
import type { BenchContext, BenchResult } from './run.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const inFlight = 64;
const profileDir = process.env['NAVIS_BENCH_SCHEDULER_PROF'];
const zones = 10;

interface Workload {
  readonly name: string;
  readonly nodes: number;
  readonly pods: number;
  readonly affinity: boolean;
  /** Goal on pods/s. */
  readonly rateGoal?: number;
}

const workloads: readonly Workload[] = [
  { name: 'basic-500', nodes: 500, pods: 1000, affinity: false },
  { name: 'basic-5000', nodes: 5000, pods: 10_000, affinity: false, rateGoal: 1500 },
  { name: 'affinity-5000', nodes: 5000, pods: 5000, affinity: true, rateGoal: 500 },
];

function nodeObject(i: number): Node {
  const capacity = { cpu: '4', memory: '32Gi', pods: '110' };
  const name = `node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': `zone-${i % zones}`,
      },
    },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  } as Node;
}

function podObject(i: number, affinity: boolean): Pod {
  const app = `app-${i % 100}`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'default', labels: { app } },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'registry.k8s.io/pause:3.10',
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
  };
  if (affinity) {
    pod.spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    pod.spec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app } },
      },
    ];
  }
  return pod;
}

/** Runs `fn(i)` for i in [0, total) with `inFlight` calls at a time. */
async function drive(total: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, total) }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Measured {
  seconds: number;
  createSeconds: number;
  bound: number;
  p50: number;
  p99: number;
}

async function measure(
  context: BenchContext,
  w: Workload,
  client: RestClient,
  kubeconfig: string,
): Promise<Measured> {
  const nodes = client.resource<Node>(resources.nodes);
  const pods = client.resource<Pod>(resources.pods).namespace('default');
  context.log(`${w.name}: creating ${w.nodes} nodes`);
  await drive(w.nodes, (i) => nodes.create(nodeObject(i)));

  const ac = new AbortController();
  const scheduler = spawnNode(
    [
      ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
      fileURLToPath(import.meta.url),
      '--child',
      kubeconfig,
    ],
    'caches synced, scheduling',
  );
  try {
    if (!(await scheduler.ready)) throw new Error(`scheduler exited: ${scheduler.tail()}`);
    // added[i], bound[i]: when the watch saw pod-i appear and get its node (performance.now()).
    const added = new Float64Array(w.pods).fill(Number.NaN);
    const boundAt = new Float64Array(w.pods).fill(Number.NaN);
    let bound = 0;
    let allBound: () => void = () => {};
    const done = new Promise<void>((r) => (allBound = r));
    const watcher = client.resource<Pod>(resources.pods);
    const list = await watcher.list({ namespace: 'default', limit: 1 });
    let rv = list.metadata.resourceVersion ?? '';
    const watching = (async () => {
      while (!ac.signal.aborted && bound < w.pods) {
        try {
          for await (const e of watcher.watch({
            namespace: 'default',
            resourceVersion: rv,
            timeoutSeconds: 600,
            signal: ac.signal,
          })) {
            rv = e.object.metadata.resourceVersion ?? rv;
            const i = Number(e.object.metadata.name?.slice(4));
            if (!Number.isInteger(i) || i < 0 || i >= w.pods) continue;
            const now = performance.now();
            if (Number.isNaN(added[i]!)) added[i] = now;
            if (e.object.spec.nodeName && Number.isNaN(boundAt[i]!)) {
              boundAt[i] = now;
              if (++bound === w.pods) allBound();
            }
          }
        } catch (e: unknown) {
          if (!ac.signal.aborted) context.log(`watch ended: ${String(e)}`);
        }
      }
    })();
    context.log(`${w.name}: creating ${w.pods} pods${w.affinity ? ' (anti-affinity + spread)' : ''}`);
    const started = performance.now();
    await drive(w.pods, (i) => pods.create(podObject(i, w.affinity)));
    const createSeconds = (performance.now() - started) / 1000;
    const timeout = new Promise<void>((r) => setTimeout(r, 120_000).unref());
    await Promise.race([done, timeout]);
    const seconds = (performance.now() - started) / 1000;
    ac.abort();
    await watching;
    const latencies = new Float64Array(bound);
    let k = 0;
    for (let i = 0; i < w.pods; i++) {
      if (!Number.isNaN(boundAt[i]!) && !Number.isNaN(added[i]!)) latencies[k++] = boundAt[i]! - added[i]!;
    }
    const sorted = latencies.subarray(0, k).sort();
    context.log(
      `${w.name}: ${bound}/${w.pods} bound in ${seconds.toFixed(2)} s (creates took ${createSeconds.toFixed(2)} s)`,
    );
    return { seconds, createSeconds, bound, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  } finally {
    ac.abort();
    await stop(scheduler);
  }
}

interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves true once a stderr line contains the ready text, false if the process exits first. */
  readonly ready: Promise<boolean>;
  exitCode(): number | null;
  tail(): string;
}

function spawnNode(args: string[], readyText: string): Child {
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  let code: number | null = null;
  const exited = new Promise<void>((r) =>
    proc.once('exit', (c, sig) => {
      code = c ?? (sig === null ? 0 : 128);
      r();
    }),
  );
  let buffered = '';
  const ready = new Promise<boolean>((resolve) => {
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        if (lines.length > 50) lines.shift();
        if (line.includes(readyText)) resolve(true);
      }
    });
    void exited.then(() => resolve(false));
  });
  return { process: proc, exited, ready, exitCode: () => code, tail: () => lines.slice(-10).join('\n') };
}

/** `navis server` on a free loopback port in 19000-19999; resolves once the API is ready. */
async function startNavis(dataDir: string): Promise<Child> {
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    const port = 19_000 + randomInt(1000);
    const child = spawnNode(
      [
        join(root, 'bin/navis.ts'),
        'server',
        '--data-dir',
        dataDir,
        '--https-port',
        String(port),
        '--bind-address',
        '127.0.0.1',
        // The scheduler under test runs in a child of its own (so it can be profiled).
        '--disable-scheduler',
      ],
      'api server ready',
    );
    if (await child.ready) return child;
    last = new Error(`navis server exited (${child.exitCode()}): ${child.tail()}`);
    if (!child.tail().includes('EADDRINUSE')) break;
  }
  throw last;
}

async function stop(child: Child): Promise<void> {
  if (child.exitCode() !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(timer);
}

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const only = process.env['NAVIS_BENCH_SCHEDULER']?.split(',').filter((s) => s !== '');
  const results: BenchResult[] = [];
  for (const w of workloads) {
    if (only !== undefined && !only.includes(w.name)) continue;
    const dataDir = mkdtempSync(join(tmpdir(), 'navis-bench-scheduler-'));
    let child: Child | undefined;
    const clients: RestClient[] = [];
    try {
      child = await startNavis(dataDir);
      const kubeconfig = join(dataDir, 'admin.kubeconfig');
      const client = RestClient.fromKubeconfig(kubeconfig);
      clients.push(client);
      const m = await measure(context, w, client, kubeconfig);
      if (child.exitCode() !== null) throw new Error(`navis server exited: ${child.tail()}`);
      const workload =
        `${w.nodes.toLocaleString('en-US')} nodes (4 CPU, 32 GiB, 110 pods, ${zones} zones), ` +
        `${w.pods.toLocaleString('en-US')} pods (100m, 128Mi)` +
        (w.affinity ? ' in 100 apps: hostname anti-affinity + zone spread (maxSkew 1)' : '') +
        `, ${inFlight} creates in flight (creates took ${m.createSeconds.toFixed(1)} s); ` +
        `scheduler in its own process; ${m.bound.toLocaleString('en-US')} bound`;
      const label = w.affinity ? 'affinity + spread' : 'SchedulingBasic';
      results.push(
        {
          name: `${label}, ${w.nodes} nodes: pods bound/s`,
          workload,
          figure: m.bound / m.seconds,
          unit: 'pods/s',
          ...(w.rateGoal === undefined ? {} : { goal: { atLeast: w.rateGoal } }),
        },
        {
          name: `${label}, ${w.nodes} nodes: latency p50`,
          workload: 'pod ADDED → bound (MODIFIED with nodeName), both as seen by a watch',
          figure: m.p50,
          unit: 'ms',
        },
        {
          name: `${label}, ${w.nodes} nodes: latency p99`,
          workload: 'pod ADDED → bound (MODIFIED with nodeName), both as seen by a watch',
          figure: m.p99,
          unit: 'ms',
          ...(w.rateGoal === undefined ? {} : { goal: { below: 100 } }),
        },
      );
    } finally {
      for (const c of clients) c.close();
      if (child !== undefined) await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

/** The scheduler child: `node bench/scheduler.ts --child <kubeconfig>`, until SIGTERM. */
async function child(kubeconfig: string): Promise<void> {
  const ac = new AbortController();
  process.once('SIGTERM', () => ac.abort());
  const client = RestClient.fromKubeconfig(kubeconfig);
  try {
    await runScheduler({
      client,
      log: createLogger({ level: 'info' }),
      identity: `bench-${process.pid}`,
      signal: ac.signal,
    });
  } finally {
    client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--child') {
  await child(process.argv[3]!);
  // The entry point of the child: exit even if a socket lingers, so --cpu-prof writes its profile.
  process.exit(0);
}
