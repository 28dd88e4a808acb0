// The benchmark runner. `npm run bench` runs every bench/*.ts; `npm run bench storage` runs one.
// A bench is a module exporting `run(context): Promise<BenchResult[]>`; each figure carries the
// workload it was measured under and, where there is one, the goal it must meet. Goals are checked
// here, not in timed tests (CONVENTIONS.md, Tests and benchmarks).
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A figure must be at least / below this value. */
export interface Goal {
  readonly atLeast?: number;
  readonly below?: number;
}

export interface BenchResult {
  /** What is measured, e.g. "creates, 64 writers". */
  readonly name: string;
  /** The workload behind the figure: sizes, concurrency, durability settings. */
  readonly workload: string;
  readonly figure: number;
  readonly unit: string;
  /** Absent for figures shown for comparison only. */
  readonly goal?: Goal;
}

export interface BenchContext {
  /** Progress for the person waiting; goes to stderr so the table on stdout stays clean. */
  log(message: string): void;
}

export type Bench = (context: BenchContext) => Promise<BenchResult[]>;

export function meets(result: BenchResult): boolean | undefined {
  const goal = result.goal;
  if (goal === undefined) return undefined;
  return (
    (goal.atLeast === undefined || result.figure >= goal.atLeast) &&
    (goal.below === undefined || result.figure < goal.below)
  );
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function goalText(goal: Goal | undefined): string {
  if (goal === undefined) return '';
  const parts: string[] = [];
  if (goal.atLeast !== undefined) parts.push(`>= ${formatNumber(goal.atLeast)}`);
  if (goal.below !== undefined) parts.push(`< ${formatNumber(goal.below)}`);
  return parts.join(' and ');
}

/** The results as a plain-text table. */
export function table(bench: string, results: readonly BenchResult[]): string {
  const header = ['bench', 'name', 'workload', 'figure', 'unit', 'goal', 'result'];
  const rows = results.map((r) => {
    const ok = meets(r);
    return [
      bench,
      r.name,
      r.workload,
      formatNumber(r.figure),
      r.unit,
      goalText(r.goal),
      ok === undefined ? '' : ok ? 'pass' : 'FAIL',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

async function main(names: string[]): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const available = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== basename(fileURLToPath(import.meta.url)))
    .map((f) => basename(f, '.ts'))
    .sort();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  let failed = 0;
  for (const name of names.length > 0 ? names : available) {
    const mod: { run?: unknown } = await import(pathToFileURL(join(here, `${name}.ts`)).href);
    if (typeof mod.run !== 'function') {
      process.stderr.write(`bench/${name}.ts exports no run(); skipped\n`);
      continue;
    }
    const run = mod.run as Bench;
    const started = performance.now();
    const results = await run({ log: (message) => process.stderr.write(`[${name}] ${message}\n`) });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`\n${table(name, results)}\n(${name}: ${seconds.toFixed(1)} s)\n`);
    failed += results.filter((r) => meets(r) === false).length;
  }
  if (failed > 0) {
    process.stdout.write(`\n${failed} figure(s) missed their goal\n`);
    process.exitCode = 1;
  }
}

if (import.meta.main) await main(process.argv.slice(2));
