import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Credentials } from './client.ts';
import { sleep } from './proc.ts';

// The repository root: this file is bench/api/children.ts.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---- child processes ----

export interface Child {
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

export async function stopChild(child: Child, children: Set<Child>): Promise<void> {
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

export interface Navis {
  readonly child: Child;
  readonly dataDir: string;
  readonly creds: Credentials;
}

/** The flags that leave only the API server running in `navis server`. */
export const apiServerOnly: readonly string[] = ['--controllers=', '--disable-scheduler'];

/** `extra`: more `navis server` flags (the memory workload turns the controllers off for one run). */
export async function startNavis(
  dataDir: string,
  children: Set<Child>,
  extra: readonly string[] = [],
): Promise<Navis> {
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
      ...extra,
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
export const fixedBody = JSON.stringify({
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

export async function startCeiling(
  dataDir: string,
  children: Set<Child>,
): Promise<{ child: Child; url: string }> {
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
