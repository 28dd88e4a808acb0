// The controller manager end to end (issue 6): a real `navis server` child process on a temporary
// data dir running its controller manager (all controllers, `--controllers` default) with the
// scheduler off (`--disable-scheduler`: pods stay unbound and no scheduling work is done; no nodes
// exist, nothing runs the pods' one pause container). This process creates Deployments through the
// API (64 in flight) and watches pods, ReplicaSets and Deployments; the Deployment controller
// creates one ReplicaSet per Deployment and the ReplicaSet controller creates the pods. Then every
// Deployment is deleted (background propagation, 64 in flight) and the garbage collector removes
// the ReplicaSets and their pods. `npm run bench controllers`.
//
// Figures: time from the first Deployment create sent until the pod watch has seen every pod, and
// the pods/s that makes; time until every Deployment's status reports its replicas for its current
// generation; time from the first delete sent until the watches have seen every pod and ReplicaSet
// go, and the deletes/s of both; the server's peak resident memory (VmHWM of the child).
// NAVIS_BENCH_CONTROLLERS_DEPLOYMENTS=<n> changes the number of Deployments;
// NAVIS_BENCH_CONTROLLERS_PROF=<dir> runs the server under `node --cpu-prof` (stopped with SIGINT)
// and leaves its profile in <dir>.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RestClient, type ResourceClient, resources, type WatchEvent } from '../src/client/index.ts';
import type { BenchContext, BenchResult } from './run.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const inFlight = 64;
const replicas = 10;
const deploymentCount = Number(process.env['NAVIS_BENCH_CONTROLLERS_DEPLOYMENTS'] ?? 1000);
const profileDir = process.env['NAVIS_BENCH_CONTROLLERS_PROF'];
const namespace = 'default';
/** How long each phase may take before the bench gives up on it and reports what it saw. */
const phaseTimeoutMs = 120_000;

interface Meta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
}

interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: Meta;
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { name: string; image: string }[] };
    };
  };
  status?: { replicas?: number; observedGeneration?: number };
}

interface Named {
  metadata: Meta;
}

function deploymentObject(i: number): Deployment {
  const labels = { app: `d-${i}` };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `d-${i}`, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
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

/**
 * Watches `resource` in the bench namespace from `resourceVersion` until `signal` aborts,
 * reconnecting from the last resourceVersion seen when the server ends the watch.
 */
async function watchAll<T extends Named>(
  context: BenchContext,
  resource: ResourceClient<T>,
  resourceVersion: string,
  signal: AbortSignal,
  onEvent: (e: WatchEvent<T>) => void,
): Promise<void> {
  let rv = resourceVersion;
  while (!signal.aborted) {
    try {
      for await (const e of resource.watch({ namespace, resourceVersion: rv, timeoutSeconds: 600, signal })) {
        rv = e.object.metadata.resourceVersion ?? rv;
        onEvent(e);
      }
    } catch (e: unknown) {
      if (!signal.aborted) context.log(`${resource.descriptor.resource} watch ended: ${String(e)}`);
    }
  }
}

/** Resolves with the time `at()` returned a number, or undefined after `timeoutMs`. */
async function until(at: () => number | undefined, timeoutMs: number): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const t = at();
    if (t !== undefined || performance.now() > deadline) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves true once a stderr line contains the ready text, false if the process exits first. */
  readonly ready: Promise<boolean>;
  exitCode(): number | null;
  tail(): string;
  /** Warning and error log lines (the last 20) and how many there were. */
  problems(): { count: number; last: string[] };
}

function spawnNode(args: string[], readyText: string): Child {
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  const problems: string[] = [];
  let problemCount = 0;
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
        if (/"level":"(warn|error)"/.test(line)) {
          problemCount++;
          problems.push(line.slice(0, 300));
          if (problems.length > 20) problems.shift();
        }
        if (line.includes(readyText)) resolve(true);
      }
    });
    void exited.then(() => resolve(false));
  });
  return {
    process: proc,
    exited,
    ready,
    exitCode: () => code,
    tail: () => lines.slice(-10).join('\n'),
    problems: () => ({ count: problemCount, last: [...problems] }),
  };
}

/** `navis server` on a free loopback port in 20000-20999; resolves once its controllers run. */
async function startNavis(dataDir: string): Promise<Child> {
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    const port = 20_000 + randomInt(1000);
    const child = spawnNode(
      [
        ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
        join(root, 'bin/navis.ts'),
        'server',
        '--data-dir',
        dataDir,
        '--https-port',
        String(port),
        '--bind-address',
        '127.0.0.1',
        '--disable-scheduler',
      ],
      'caches synced, starting controllers',
    );
    if (await child.ready) return child;
    last = new Error(`navis server exited (${child.exitCode()}): ${child.tail()}`);
    if (!child.tail().includes('EADDRINUSE')) break;
  }
  throw last;
}

/** SIGINT (the server shuts down and --cpu-prof writes its profile), SIGKILL after 15 s. */
async function stop(child: Child): Promise<void> {
  if (child.exitCode() !== null) return;
  child.process.kill('SIGINT');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await child.exited;
  clearTimeout(timer);
}

/** VmRSS and VmHWM of a process, in MB. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: (kb('VmRSS') * 1024) / 1e6, hwm: (kb('VmHWM') * 1024) / 1e6 };
}

interface Measured {
  createSeconds: number;
  /** From the first create sent until the watch saw the last pod appear. */
  podsSeconds: number;
  podsSeen: number;
  statusSeconds: number;
  statusDone: number;
  deleteSeconds: number;
  goneSeconds: number;
  podsLeft: number;
  replicaSetsLeft: number;
  replicaSetsPeak: number;
  peakRss: number;
  hwm: number;
}

async function measure(context: BenchContext, client: RestClient, pid: number): Promise<Measured> {
  const total = deploymentCount * replicas;
  const deployments = client.resource<Deployment>(resources.deployments).namespace(namespace);
  const pods = client.resource<Named>(resources.pods);
  const replicaSets = client.resource<Named>(resources.replicasets);
  const deploymentWatch = client.resource<Deployment>(resources.deployments);

  const ac = new AbortController();
  const podNames = new Set<string>();
  const rsNames = new Set<string>();
  /** Deployments whose status reports `replicas` for their current generation. */
  const settled = new Set<string>();
  let allPodsAt: number | undefined;
  let allSettledAt: number | undefined;
  let goneAt: number | undefined;
  let deleting = false;
  let replicaSetsPeak = 0;
  const checkGone = (): void => {
    if (deleting && goneAt === undefined && podNames.size === 0 && rsNames.size === 0) {
      goneAt = performance.now();
    }
  };

  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memory(pid).rss);
    } catch {
      // the child has exited; the bench notices on its own
    }
  }, 250);

  const rvOf = async (r: ResourceClient<Named>): Promise<string> =>
    (await r.list({ namespace, limit: 1 })).metadata.resourceVersion ?? '';
  const [podRv, rsRv, dRv] = await Promise.all([
    rvOf(pods),
    rvOf(replicaSets),
    rvOf(deploymentWatch as ResourceClient<Named>),
  ]);
  const watching = Promise.all([
    watchAll(context, pods, podRv, ac.signal, (e) => {
      const name = e.object.metadata.name ?? '';
      if (e.type === 'DELETED') {
        podNames.delete(name);
        checkGone();
      } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        podNames.add(name);
        if (allPodsAt === undefined && podNames.size >= total) allPodsAt = performance.now();
      }
    }),
    watchAll(context, replicaSets, rsRv, ac.signal, (e) => {
      const name = e.object.metadata.name ?? '';
      if (e.type === 'DELETED') {
        rsNames.delete(name);
        checkGone();
      } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        rsNames.add(name);
        replicaSetsPeak = Math.max(replicaSetsPeak, rsNames.size);
      }
    }),
    watchAll(context, deploymentWatch, dRv, ac.signal, (e) => {
      const d = e.object;
      const name = d.metadata.name ?? '';
      if (e.type === 'DELETED') return;
      if (d.status?.replicas === replicas && d.status.observedGeneration === d.metadata.generation) {
        settled.add(name);
        if (allSettledAt === undefined && settled.size >= deploymentCount) allSettledAt = performance.now();
      }
    }),
  ]);

  try {
    context.log(`creating ${deploymentCount} Deployments of ${replicas} replicas, ${inFlight} in flight`);
    const started = performance.now();
    let lastLog = started;
    const progress = setInterval(() => {
      const now = performance.now();
      if (now - lastLog < 5000) return;
      lastLog = now;
      const rss = memory(pid).rss;
      context.log(
        `${((now - started) / 1000).toFixed(0)} s: ${podNames.size} pods, ${rsNames.size} ReplicaSets, ` +
          `${settled.size} Deployments settled, RSS ${rss.toFixed(0)} MB`,
      );
    }, 1000);
    try {
      await drive(deploymentCount, (i) => deployments.create(deploymentObject(i)));
      const createSeconds = (performance.now() - started) / 1000;
      context.log(`creates took ${createSeconds.toFixed(2)} s`);
      await until(() => allPodsAt, phaseTimeoutMs);
      const podsSeconds = ((allPodsAt ?? performance.now()) - started) / 1000;
      const podsSeen = podNames.size;
      context.log(`${podsSeen}/${total} pods after ${podsSeconds.toFixed(2)} s`);
      await until(() => allSettledAt, phaseTimeoutMs);
      const statusSeconds = ((allSettledAt ?? performance.now()) - started) / 1000;
      const statusDone = settled.size;
      context.log(`${statusDone}/${deploymentCount} Deployments settled after ${statusSeconds.toFixed(2)} s`);

      context.log(`deleting ${deploymentCount} Deployments (background propagation), ${inFlight} in flight`);
      deleting = true;
      const deleteStarted = performance.now();
      await drive(deploymentCount, (i) => deployments.delete(`d-${i}`, { propagationPolicy: 'Background' }));
      const deleteSeconds = (performance.now() - deleteStarted) / 1000;
      context.log(`deletes took ${deleteSeconds.toFixed(2)} s`);
      checkGone();
      await until(() => goneAt, phaseTimeoutMs);
      const goneSeconds = ((goneAt ?? performance.now()) - deleteStarted) / 1000;
      context.log(
        `${podNames.size} pods and ${rsNames.size} ReplicaSets left after ${goneSeconds.toFixed(2)} s`,
      );
      const { hwm } = memory(pid);
      return {
        createSeconds,
        podsSeconds,
        podsSeen,
        statusSeconds,
        statusDone,
        deleteSeconds,
        goneSeconds,
        podsLeft: podNames.size,
        replicaSetsLeft: rsNames.size,
        replicaSetsPeak,
        peakRss,
        hwm,
      };
    } finally {
      clearInterval(progress);
    }
  } finally {
    clearInterval(sampler);
    ac.abort();
    await watching;
  }
}

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'navis-bench-controllers-'));
  let child: Child | undefined;
  let client: RestClient | undefined;
  try {
    context.log('starting navis server (controller manager, --disable-scheduler)');
    child = await startNavis(dataDir);
    client = RestClient.fromKubeconfig(join(dataDir, 'admin.kubeconfig'));
    const m = await measure(context, client, child.process.pid!);
    if (child.exitCode() !== null) throw new Error(`navis server exited: ${child.tail()}`);
    const problems = child.problems();
    if (problems.count > 0) {
      context.log(`server warnings/errors (${problems.count}):\n${problems.last.join('\n')}`);
    }
    const total = deploymentCount * replicas;
    const n = (x: number): string => x.toLocaleString('en-US');
    const workload =
      `${n(deploymentCount)} Deployments × ${replicas} replicas (${n(total)} pods, one pause container ` +
      `each, never run) in one namespace, created ${inFlight} in flight over HTTP/2 ` +
      `(creates took ${m.createSeconds.toFixed(1)} s); navis server with all controllers and ` +
      `--disable-scheduler (no nodes, pods stay unbound, no scheduler work); sqlite`;
    const seen = `${n(m.podsSeen)}/${n(total)} pods seen by a pod watch`;
    return [
      {
        name: 'Deployments → all pods exist',
        workload: `${workload}; first create sent → ${seen}`,
        figure: m.podsSeconds,
        unit: 's',
      },
      {
        name: 'pods created by the controllers',
        workload: `as above; ${seen} / time from the first create sent`,
        figure: m.podsSeen / m.podsSeconds,
        unit: 'pods/s',
        goal: { atLeast: 500 },
      },
      {
        name: 'Deployments → status settled',
        workload:
          `as above; first create sent → ${n(m.statusDone)}/${n(deploymentCount)} Deployments with ` +
          `status.replicas = ${replicas} and observedGeneration = generation (Deployment watch)`,
        figure: m.statusSeconds,
        unit: 's',
      },
      {
        name: 'delete Deployments: API deletes',
        workload: `${n(deploymentCount)} DELETEs, propagationPolicy Background, ${inFlight} in flight`,
        figure: deploymentCount / m.deleteSeconds,
        unit: 'deletes/s',
      },
      {
        name: 'delete Deployments → pods and ReplicaSets gone',
        workload:
          `first DELETE sent → pod and ReplicaSet watches see none left (garbage collector); ` +
          `${n(m.podsLeft)} pods and ${n(m.replicaSetsLeft)} ReplicaSets left`,
        figure: m.goneSeconds,
        unit: 's',
      },
      {
        name: 'garbage collector: objects deleted',
        workload:
          `(${n(m.podsSeen - m.podsLeft)} pods + ${n(m.replicaSetsPeak - m.replicaSetsLeft)} ReplicaSets) ` +
          `/ time from the first DELETE sent until none left`,
        figure: (m.podsSeen - m.podsLeft + m.replicaSetsPeak - m.replicaSetsLeft) / m.goneSeconds,
        unit: 'deletes/s',
      },
      {
        name: 'server RSS, peak',
        workload: `VmHWM of the navis server child at the end (VmRSS sampled every 250 ms peaked at ${m.peakRss.toFixed(0)} MB)`,
        figure: m.hwm,
        unit: 'MB',
      },
    ];
  } finally {
    client?.close();
    if (child !== undefined) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
