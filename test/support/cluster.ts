// Test support: a real navis server in this process on a temporary data dir, and the real kubectl.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../src/log.ts';
import { runServer } from '../../src/server/run.ts';

const run = promisify(execFile);

export interface TestCluster {
  readonly url: string;
  readonly dataDir: string;
  readonly kubeconfig: string;
  kubectl(...args: string[]): Promise<string>;
  /** kubectl with `input` on its standard input (for `-f -`). */
  kubectlWith(input: string, ...args: string[]): Promise<string>;
  /** kubectl that is expected to fail: resolves with its stderr. */
  kubectlFails(...args: string[]): Promise<string>;
  kubectlFailsWith(input: string, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** kubectl.1.32 on PATH, or beside the kubectl dispatcher (ARCHITECTURE.md: tests pin 1.32). */
export function findKubectl(): string {
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const candidate of [
      join(d, 'kubectl.1.32'),
      join(dirname(realpathOr(join(d, 'kubectl'))), 'kubectl.1.32'),
    ]) {
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  throw new Error('kubectl.1.32 not found on PATH or beside the kubectl dispatcher');
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

async function fails(p: Promise<string>, args: string[]): Promise<string> {
  try {
    await p;
  } catch (e: unknown) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded but should have failed`);
}

/** `controllers`: the server's `--controllers` list (tests running their own copies turn those off). */
export async function startCluster(options: { controllers?: string[] } = {}): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'navis-test-'));
  const ac = new AbortController();
  let ready: (url: string) => void = () => {};
  const readyUrl = new Promise<string>((r) => {
    ready = r;
  });
  const running = runServer(
    {
      dataDir,
      bindAddress: '127.0.0.1',
      httpsPort: 0,
      serviceCidr: '10.43.0.0/16',
      controllers: options.controllers,
      log: createLogger({ level: 'warn' }),
    },
    ac.signal,
    ready,
  );
  const url = await Promise.race([
    readyUrl,
    running.then(() => Promise.reject(new Error('server exited early'))),
  ]);
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  const bin = findKubectl();
  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(bin, ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 });
    return stdout;
  };
  const kubectlWith = async (input: string, ...args: string[]): Promise<string> => {
    const p = run(bin, ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 });
    p.child.stdin?.end(input);
    return (await p).stdout;
  };
  return {
    url,
    dataDir,
    kubeconfig,
    kubectl,
    kubectlWith,
    kubectlFails: (...args) => fails(kubectl(...args), args),
    kubectlFailsWith: (input, ...args) => fails(kubectlWith(input, ...args), args),
    stop: async () => {
      ac.abort();
      await running;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
