import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { subjectAltNamesOf } from './certs.ts';
import { ensureClientCert, ensurePki, type Pki } from './store.ts';

const DAY_MS = 86_400_000;
const root = mkdtempSync(join(tmpdir(), 'navis-pki-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDataDir = () => join(root, `data-${n++}`);

const FILES = [
  'client-admin.crt',
  'client-admin.key',
  'client-ca.crt',
  'client-ca.key',
  'server-ca.crt',
  'server-ca.key',
  'serving-kube-apiserver.crt',
  'serving-kube-apiserver.key',
];

/** Content, inode and mtime of every file: a reuse must leave all three alone. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    const st = statSync(join(dir, f));
    out[f] = `${st.ino}:${st.mtimeMs}:${readFileSync(join(dir, f), 'utf8')}`;
  }
  return out;
}

function pems(pki: Pki): string[] {
  return [pki.serverCa, pki.clientCa, pki.serving, pki.admin].flatMap((c) => [c.certPem, c.keyPem]);
}

describe('ensurePki', () => {
  test('first start creates both CAs, the serving cert and the admin cert', async () => {
    const dataDir = freshDataDir();
    const pki = await ensurePki({ dataDir, bindAddress: '0.0.0.0', extraSANs: ['10.43.0.1'] });
    assert.equal(pki.dir, join(dataDir, 'tls'));
    assert.deepEqual(readdirSync(pki.dir).sort(), FILES);
    assert.equal(pki.changes.length, 4);
    assert.ok(pki.changes.every((c) => c.reason === 'created'));

    assert.match(pki.serverCa.cert.subject, /^CN=navis-server-ca@\d+$/);
    assert.match(pki.clientCa.cert.subject, /^CN=navis-client-ca@\d+$/);
    assert.notEqual(pki.serverCa.certPem, pki.clientCa.certPem);
    assert.equal(pki.serving.cert.issuer, pki.serverCa.cert.subject);
    assert.equal(pki.admin.cert.issuer, pki.clientCa.cert.subject);
    assert.deepEqual(pki.admin.cert.subjectName.getField('CN'), ['system:admin']);
    assert.deepEqual(pki.admin.cert.subjectName.getField('O'), ['system:masters']);

    const sans = subjectAltNamesOf(pki.serving.cert);
    for (const name of [
      'localhost',
      'kubernetes',
      'kubernetes.default.svc.cluster.local',
      hostname().toLowerCase(),
    ]) {
      assert.ok(sans.dnsNames.includes(name), name);
    }
    assert.deepEqual(sans.ipAddresses, ['127.0.0.1', '::1', '10.43.0.1']);
    // What ensurePki returns is what it wrote.
    assert.equal(readFileSync(pki.serving.certPath, 'utf8'), pki.serving.certPem);
    assert.equal(readFileSync(pki.admin.keyPath, 'utf8'), pki.admin.keyPem);
  });

  test('keys are 0600, certificates 0644, the directory 0700', async () => {
    const pki = await ensurePki({ dataDir: freshDataDir() });
    assert.equal(statSync(pki.dir).mode & 0o777, 0o700);
    for (const f of FILES) {
      assert.equal(statSync(join(pki.dir, f)).mode & 0o777, f.endsWith('.key') ? 0o600 : 0o644, f);
    }
  });

  test('a restart reuses everything and touches no file', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir, bindAddress: '127.0.0.1', extraSANs: ['10.43.0.1'] });
    const before = snapshot(first.dir);
    const second = await ensurePki({ dataDir, bindAddress: '127.0.0.1', extraSANs: ['10.43.0.1'] });
    assert.deepEqual(second.changes, []);
    assert.deepEqual(pems(second), pems(first));
    assert.deepEqual(snapshot(first.dir), before);
  });

  test('a new bind address re-issues only the serving cert', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir, bindAddress: '127.0.0.1' });
    const second = await ensurePki({ dataDir, bindAddress: '192.0.2.10' });
    assert.deepEqual(second.changes, [{ file: first.serving.certPath, reason: 'does not cover 192.0.2.10' }]);
    assert.ok(subjectAltNamesOf(second.serving.cert).ipAddresses.includes('192.0.2.10'));
    assert.notEqual(second.serving.certPem, first.serving.certPem);
    assert.notEqual(second.serving.keyPem, first.serving.keyPem);
    assert.equal(second.serverCa.certPem, first.serverCa.certPem);
    assert.equal(second.clientCa.certPem, first.clientCa.certPem);
    assert.equal(second.admin.certPem, first.admin.certPem);
    // Going back to an address the new cert covers (loopback is always covered) is a plain reuse.
    assert.deepEqual((await ensurePki({ dataDir, bindAddress: '0.0.0.0' })).changes, []);
  });

  test('certificates within 90 days of expiry are renewed, CAs kept', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir });
    const later = new Date(Date.now() + 300 * DAY_MS);
    const second = await ensurePki({ dataDir, now: later });
    assert.deepEqual(
      second.changes.map((c) => c.reason),
      ['expires within 90 days', 'expires within 90 days'],
    );
    assert.equal(second.serverCa.certPem, first.serverCa.certPem);
    assert.ok(second.serving.cert.notAfter.getTime() > later.getTime() + 300 * DAY_MS);
  });

  test('a replaced CA causes its leaf certificates to be re-issued', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir });
    rmSync(first.serverCa.certPath);
    rmSync(first.serverCa.keyPath);
    const second = await ensurePki({ dataDir });
    assert.deepEqual(
      second.changes.map((c) => c.reason),
      ['created', 'not issued by the current CA'],
    );
    assert.equal(second.admin.certPem, first.admin.certPem);
  });

  test('a leaf whose key does not match is re-issued', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir });
    writeFileSync(first.admin.keyPath, first.serving.keyPem);
    const second = await ensurePki({ dataDir });
    assert.deepEqual(second.changes, [
      { file: first.admin.certPath, reason: 'key does not match certificate' },
    ]);
  });

  test('a CA certificate without its key is an error, never silently replaced', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir });
    rmSync(first.clientCa.keyPath);
    await assert.rejects(ensurePki({ dataDir }), /client-ca\.key is missing/);
    assert.equal(readFileSync(first.clientCa.certPath, 'utf8'), first.clientCa.certPem);
  });
});

describe('ensureClientCert', () => {
  test('issues a component identity from the client CA and reuses it', async () => {
    const pki = await ensurePki({ dataDir: freshDataDir() });
    const opts = { name: 'scheduler', commonName: 'system:kube-scheduler' };
    const a = await ensureClientCert(pki, opts);
    assert.equal(a.certPath, join(pki.dir, 'client-scheduler.crt'));
    assert.equal(statSync(a.keyPath).mode & 0o777, 0o600);
    assert.equal(a.cert.issuer, pki.clientCa.cert.subject);
    assert.deepEqual(a.cert.subjectName.getField('CN'), ['system:kube-scheduler']);
    const b = await ensureClientCert(pki, opts);
    assert.equal(b.certPem, a.certPem);
    const c = await ensureClientCert(pki, { ...opts, organizations: ['system:nodes'] });
    assert.notEqual(c.certPem, a.certPem, 'a changed subject is re-issued');
    assert.deepEqual(c.cert.subjectName.getField('O'), ['system:nodes']);
  });

  test('rejects names that are not safe file name parts', async () => {
    const pki = await ensurePki({ dataDir: freshDataDir() });
    await assert.rejects(ensureClientCert(pki, { name: '../admin', commonName: 'x' }), /kebab-case/);
  });
});
