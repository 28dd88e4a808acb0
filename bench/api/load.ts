import type { BenchResult } from '../run.ts';
import type { Child } from './children.ts';
import { cpuSeconds } from './proc.ts';

// ---- load ----

export interface Measured {
  readonly count: number;
  readonly seconds: number;
  readonly latencies: number[];
  /** Cores the server process used over the run. */
  cpu?: number;
}

/** `inFlight` loops, each starting its next operation when the last one answers. */
export async function drive(
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
export async function measure(child: Child, fn: () => Promise<Measured>): Promise<Measured> {
  const before = cpuSeconds(child.pid);
  const m = await fn();
  m.cpu = (cpuSeconds(child.pid) - before) / m.seconds;
  return m;
}

export function figures(
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

export function quantiles(samples: readonly number[]): { p50: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
