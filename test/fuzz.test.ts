// Bad input never crashes the server or touches data it should not: thousands of mutated requests
// (paths, methods, query strings, content types and bodies), then the server must still be healthy,
// every answer must have been a Status-shaped 4xx/2xx (never a 5xx or a dropped connection), and the
// objects in a namespace the fuzzer never addresses must be byte-for-byte what they were.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startCluster, type TestCluster } from './support/cluster.ts';

interface Kubeconfig {
  clusters: { cluster: { 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

interface Answer {
  status: number;
  body: string;
}

function request(
  session: ClientHttp2Session,
  options: { method: string; path: string; type?: string; body?: Uint8Array },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ':method': options.method, ':path': options.path };
    if (options.type !== undefined) headers['content-type'] = options.type;
    const stream = session.request(headers, { endStream: options.body === undefined });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (d: Buffer) => {
      chunks.push(d);
      // Watches stream; the first bytes are enough to judge the answer.
      if (chunks.length > 4) stream.close();
    });
    stream.on('close', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', reject);
    stream.setTimeout(5000, () => stream.close());
    if (options.body !== undefined) stream.end(options.body);
  });
}

// Seeds: valid bodies and paths the mutations start from.
const seeds: { path: string; body: unknown }[] = [
  {
    path: '/api/v1/namespaces/fuzz/configmaps',
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { a: 'b' } },
      data: { k: 'v' },
    },
  },
  {
    path: '/api/v1/namespaces/fuzz/pods',
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] },
    },
  },
  {
    path: '/api/v1/namespaces/fuzz/secrets',
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' }, type: 'Opaque' },
  },
  {
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-ns' } },
  },
];

const queryNoise = [
  'watch=1&timeoutSeconds=1',
  'watch=true&resourceVersion=abc',
  'labelSelector=a%20in%20(',
  'labelSelector=!!!',
  'fieldSelector=spec.nodeName%3D%3D%3D',
  'fieldSelector=nope=1',
  'limit=-5',
  'limit=abc',
  'continue=garbage',
  'resourceVersion=99999999999&resourceVersionMatch=Exact',
  'resourceVersionMatch=Sometimes',
  'dryRun=Maybe',
  'dryRun=All',
  'gracePeriodSeconds=-1',
  'timeoutSeconds=-1&watch=1',
  '',
];

const types = [
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  '',
];

function pick<T>(list: readonly T[]): T {
  return list[randomInt(list.length)]!;
}

/** A random change to a JSON value: wrong types, deletions, odd strings, deep nesting. */
function mutateValue(v: unknown, depth = 0): unknown {
  const odd = [null, 0, -1, 1e308, '', 'x'.repeat(300), [], {}, true, '../..', '\u0000', 'Ā', [[[[]]]]];
  if (depth > 4 || randomInt(4) === 0) return pick(odd);
  if (Array.isArray(v)) return v.map((x) => (randomInt(3) === 0 ? mutateValue(x, depth + 1) : x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const k of Object.keys(out)) {
      const roll = randomInt(5);
      if (roll === 0) delete out[k];
      else if (roll === 1) out[k] = mutateValue(out[k], depth + 1);
    }
    if (randomInt(4) === 0) out[pick(['metadata', 'spec', 'status', 'kind', 'apiVersion', 'zz'])] = pick(odd);
    return out;
  }
  return pick(odd);
}

function mutateBytes(b: Uint8Array): Uint8Array {
  const out = Buffer.from(b);
  const roll = randomInt(4);
  if (roll === 0) return out.subarray(0, randomInt(out.length + 1));
  if (roll === 1) {
    for (let i = 0; i < 1 + randomInt(8); i++) out[randomInt(out.length)] = randomInt(256);
    return out;
  }
  if (roll === 2) return Buffer.concat([Buffer.from('k8s\0'), out]);
  return Buffer.from('['.repeat(5000));
}

function fuzzRequest(): { method: string; path: string; type?: string; body?: Uint8Array } {
  const seed = pick(seeds);
  const name = pick(['c', 'p', 's', 'missing', 'UPPER', 'a/b', '%2e%2e', '']);
  const base = pick([
    seed.path,
    `${seed.path}/${name}`,
    `${seed.path}/${name}/status`,
    `${seed.path}/${name}/scale`,
    `${seed.path}/${name}/binding`,
    `${seed.path}/${name}/eviction`,
    '/apis/apps/v1/namespaces/fuzz/deployments',
    '/api/v1/namespaces/fuzz/unknown',
    '/apis/nope/v1/things',
    '/api/v2/pods',
    '/api//namespaces///pods',
  ]);
  const query = pick(queryNoise);
  const path = query === '' ? base : `${base}?${query}`;
  const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return { method, path };
  const json = JSON.stringify(randomInt(3) === 0 ? seed.body : mutateValue(seed.body));
  const bytes = new TextEncoder().encode(json);
  return { method, path, type: pick(types), body: randomInt(3) === 0 ? mutateBytes(bytes) : bytes };
}

describe('the API server under mutated input', () => {
  let c: TestCluster;
  let session: ClientHttp2Session;
  before(async () => {
    c = await startCluster();
    const kc = parseYaml(readFileSync(c.kubeconfig, 'utf8')) as Kubeconfig;
    const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
    session = connect(c.url, {
      ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
      cert: b64(kc.users[0]!.user['client-certificate-data']),
      key: b64(kc.users[0]!.user['client-key-data']),
    });
  });
  after(async () => {
    session?.destroy();
    await c.stop();
  });

  it('answers thousands of bad requests with 4xx, stays healthy, and keeps unrelated data intact', async () => {
    await c.kubectl('create', 'namespace', 'fuzz');
    await c.kubectl('create', 'namespace', 'keep');
    for (let i = 0; i < 5; i++)
      await c.kubectl('create', 'configmap', `keep-${i}`, '-n', 'keep', `--from-literal=i=${i}`);
    const before = await c.kubectl('get', 'configmaps', '-n', 'keep', '-o', 'json');

    const serverErrors: string[] = [];
    const total = 3000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          next++;
          const req = fuzzRequest();
          const answer = await request(session, req);
          // 504 is upstream's answer to a resourceVersion from the future (ResourceVersionTooLarge).
          const tooNew = answer.status === 504 && req.path.includes('resourceVersion=99999999999');
          if ((answer.status >= 500 && !tooNew) || answer.status === 0) {
            serverErrors.push(
              `${req.method} ${req.path} (${req.type ?? ''}) -> ${answer.status} ${answer.body.slice(0, 200)}`,
            );
          } else if (answer.status >= 400 && req.method !== 'HEAD') {
            const status = JSON.parse(answer.body) as { kind: string; code: number };
            assert.equal(status.kind, 'Status', `${req.method} ${req.path}: ${answer.body}`);
            assert.equal(status.code, answer.status);
          }
        }
      }),
    );
    assert.deepEqual(serverErrors, []);
    assert.equal((await request(session, { method: 'GET', path: '/readyz' })).body, 'ok');
    assert.equal(await c.kubectl('get', 'configmaps', '-n', 'keep', '-o', 'json'), before);
    // Still fully working: a normal write and read.
    await c.kubectl('create', 'configmap', 'after-fuzz', '-n', 'keep', '--from-literal=ok=1');
    assert.equal(
      await c.kubectl('get', 'configmap', 'after-fuzz', '-n', 'keep', '-o', 'jsonpath={.data.ok}'),
      '1',
    );
  });
});
