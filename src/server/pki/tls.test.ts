// End to end over real TLS: the PKI from ensurePki serving HTTP/2 + HTTP/1.1 the way the API server
// will (requestCert, but rejectUnauthorized false so token clients can connect too), reached by
// Node's TLS client and by the real kubectl 1.32 through the kubeconfig we write.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type PeerCertificate, TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { gitVersion, kubernetesVersion } from '../../version.ts';
import { createClientCertVerifier, type UserIdentity, peerCertificateDer } from './identity.ts';
import { apiServerUrl, writeKubeconfig } from './kubeconfig.ts';
import { ensurePki, type Pki } from './store.ts';

interface Seen {
  httpVersion: string;
  authorized: boolean;
  subject: PeerCertificate['subject'] | undefined;
  identity: UserIdentity | undefined;
  refusal: string | undefined;
}

// All the fields of k8s.io/apimachinery/pkg/version.Info as of 1.32.
const versionInfo = {
  major: kubernetesVersion.major,
  minor: kubernetesVersion.minor,
  gitVersion,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'node',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const root = mkdtempSync(join(tmpdir(), 'navis-pki-tls-'));
const seen: Seen[] = [];
const sessions = new Set<Http2Session>();
let pki: Pki;
let port = 0;
let server: ReturnType<typeof createSecureServer> | undefined;

before(async () => {
  pki = await ensurePki({ dataDir: join(root, 'data'), bindAddress: '127.0.0.1', extraSANs: ['10.43.0.1'] });
  const verifyClient = createClientCertVerifier(pki.clientCa.certPem);
  const handler = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const socket = req.socket;
    assert.ok(socket instanceof TLSSocket);
    const der = peerCertificateDer(socket);
    const verdict = verifyClient(der);
    seen.push({
      httpVersion: req.httpVersion,
      authorized: socket.authorized,
      subject: der ? socket.getPeerCertificate().subject : undefined,
      identity: verdict.ok ? verdict.identity : undefined,
      refusal: verdict.ok ? undefined : verdict.reason,
    });
    // kubectl sends GET /version?timeout=32s
    const found = req.method === 'GET' && new URL(req.url, 'https://x').pathname === '/version';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        found ? versionInfo : { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 },
      ),
    );
  };
  const srv = createSecureServer(
    {
      allowHTTP1: true,
      key: pki.serving.keyPem,
      cert: pki.serving.certPem,
      ca: pki.clientCa.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    handler,
  );
  srv.on('session', (s: Http2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  server = srv;
  port = (srv.address() as AddressInfo).port;
});

after(async () => {
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(root, { recursive: true, force: true });
});

interface GetOptions {
  servername?: string;
  ca: string;
  cert?: string;
  key?: string;
}

/** GET /version over HTTPS/1.1 to 127.0.0.1, verifying the server as `servername` (default: the IP). */
function getVersion(o: GetOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/version', agent: false, ...o, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('TLS with the admin client certificate', () => {
  for (const servername of [undefined, 'localhost', 'kubernetes.default.svc']) {
    test(`client verifies the server as ${servername ?? '127.0.0.1'}; server sees system:admin`, async () => {
      const before = seen.length;
      const res = await getVersion({
        servername,
        ca: pki.serverCa.certPem,
        cert: pki.admin.certPem,
        key: pki.admin.keyPem,
      });
      assert.equal(res.status, 200);
      assert.equal(JSON.parse(res.body).gitVersion, 'v1.32.0+navis');
      const s = seen[before];
      assert.ok(s);
      assert.equal(s.authorized, true);
      assert.equal(s.subject?.CN, 'system:admin');
      assert.equal(s.subject?.O, 'system:masters');
      assert.deepEqual(s.identity, { user: 'system:admin', groups: ['system:masters'] });
    });
  }

  test('a name outside the serving cert is refused by the client', async () => {
    await assert.rejects(getVersion({ servername: 'evil.example', ca: pki.serverCa.certPem }), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  test('the serving cert does not chain to the client CA', async () => {
    await assert.rejects(getVersion({ ca: pki.clientCa.certPem }), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  test('without a client certificate the request is served but unauthenticated', async () => {
    const before = seen.length;
    assert.equal((await getVersion({ ca: pki.serverCa.certPem })).status, 200);
    assert.equal(seen[before]?.identity, undefined);
    assert.equal(seen[before]?.refusal, 'no client certificate');
  });
});

/** kubectl.1.32 on PATH, else beside the kubectl dispatcher; else the dispatcher itself. */
function findKubectl(): { path: string; pinned: boolean } | undefined {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const d of dirs)
    if (executable(join(d, 'kubectl.1.32'))) return { path: join(d, 'kubectl.1.32'), pinned: true };
  for (const d of dirs) {
    const dispatcher = join(d, 'kubectl');
    if (!executable(dispatcher)) continue;
    const beside = join(dirname(realpathSync(dispatcher)), 'kubectl.1.32');
    return executable(beside) ? { path: beside, pinned: true } : { path: dispatcher, pinned: false };
  }
  return undefined;
}

describe('real kubectl', () => {
  const kubectl = findKubectl();
  test(
    'kubectl version -o json through the written kubeconfig',
    {
      skip: kubectl === undefined && 'no kubectl binary on this machine',
      timeout: 60_000,
    },
    async (t) => {
      assert.ok(kubectl);
      if (!kubectl.pinned) t.diagnostic(`kubectl.1.32 not found; using ${kubectl.path}`);
      const kubeconfig = join(root, 'admin.kubeconfig');
      await writeKubeconfig(kubeconfig, {
        server: apiServerUrl('127.0.0.1', port),
        caPem: pki.serverCa.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      });
      const home = join(root, 'home'); // kubectl may write a cache under $HOME/.kube
      mkdirSync(home, { recursive: true });
      const before = seen.length;
      const { stdout } = await promisify(execFile)(
        kubectl.path,
        ['--kubeconfig', kubeconfig, 'version', '-o', 'json'],
        {
          timeout: 30_000,
          env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig },
        },
      );
      const out = JSON.parse(stdout) as {
        clientVersion?: { minor?: string };
        serverVersion?: { gitVersion?: string; major?: string; minor?: string };
      };
      assert.equal(out.serverVersion?.gitVersion, 'v1.32.0+navis');
      assert.equal(out.serverVersion?.minor, '32');
      if (kubectl.pinned) assert.equal(out.clientVersion?.minor, '32');
      // kubectl spoke HTTP/2 and authenticated with the admin certificate from the kubeconfig.
      const s = seen.slice(before).at(-1);
      assert.equal(s?.httpVersion, '2.0');
      assert.deepEqual(s?.identity, { user: 'system:admin', groups: ['system:masters'] });
    },
  );

  test(
    'kubectl refuses the server when the kubeconfig trusts the wrong CA',
    {
      skip: kubectl === undefined && 'no kubectl binary on this machine',
      timeout: 60_000,
    },
    async () => {
      assert.ok(kubectl);
      const kubeconfig = join(root, 'wrong-ca.kubeconfig');
      await writeKubeconfig(kubeconfig, {
        server: apiServerUrl('0.0.0.0', port),
        caPem: pki.clientCa.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      });
      await assert.rejects(
        promisify(execFile)(kubectl.path, ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], {
          timeout: 30_000,
          env: { ...process.env, HOME: join(root, 'home'), KUBECONFIG: kubeconfig },
        }),
        (e: unknown) => /x509|certificate/.test(String((e as { stderr?: unknown }).stderr)),
      );
    },
  );
});
