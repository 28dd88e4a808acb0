import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { apiServerUrl, renderKubeconfig, writeKubeconfig } from './kubeconfig.ts';

const root = mkdtempSync(join(tmpdir(), 'navis-pki-kubeconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));

const creds = {
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('apiServerUrl', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'https://127.0.0.1:6443'],
    ['', 'https://127.0.0.1:6443'],
    ['0.0.0.0', 'https://127.0.0.1:6443'],
    ['::', 'https://127.0.0.1:6443'],
    ['192.168.1.5', 'https://192.168.1.5:6443'],
    ['fd00::5', 'https://[fd00::5]:6443'],
    ['[fd00::5]', 'https://[fd00::5]:6443'],
    ['api.example.com', 'https://api.example.com:6443'],
  ];
  for (const [bind, want] of cases) {
    test(`bind ${JSON.stringify(bind)} -> ${want}`, () => assert.equal(apiServerUrl(bind, 6443), want));
  }
});

describe('renderKubeconfig', () => {
  test('writes a clientcmd v1 Config with inlined base64 credentials', () => {
    const config = parse(renderKubeconfig({ server: 'https://127.0.0.1:6443', ...creds }));
    assert.deepEqual(config, {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'default',
          cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(creds.caPem) },
        },
      ],
      users: [
        {
          name: 'default',
          user: {
            'client-certificate-data': b64(creds.clientCertPem),
            'client-key-data': b64(creds.clientKeyPem),
          },
        },
      ],
      contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
      'current-context': 'default',
      preferences: {},
    });
  });

  test('uses the given cluster, user and context names', () => {
    const config = parse(
      renderKubeconfig({
        server: 'https://x:1',
        ...creds,
        clusterName: 'navis',
        user: 'admin',
        context: 'navis-admin',
      }),
    );
    assert.equal(config.clusters[0].name, 'navis');
    assert.equal(config.users[0].name, 'admin');
    assert.deepEqual(config.contexts[0], {
      name: 'navis-admin',
      context: { cluster: 'navis', user: 'admin' },
    });
    assert.equal(config['current-context'], 'navis-admin');
  });
});

describe('writeKubeconfig', () => {
  test('creates parent directories and writes mode 0600', async () => {
    const path = join(root, 'a', 'b', 'config');
    await writeKubeconfig(path, { server: 'https://127.0.0.1:6443', ...creds });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(parse(readFileSync(path, 'utf8')).kind, 'Config');
  });

  test('replaces an existing file atomically, fixing its mode and leaving no temp file', async () => {
    const dir = join(root, 'replace');
    const path = join(dir, 'admin.kubeconfig');
    await writeKubeconfig(path, { server: 'https://old:1', ...creds });
    writeFileSync(path, 'stale', { mode: 0o644 });
    const inode = statSync(path).ino;
    await writeKubeconfig(path, { server: 'https://new:2', ...creds });
    assert.equal(parse(readFileSync(path, 'utf8')).clusters[0].cluster.server, 'https://new:2');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.notEqual(statSync(path).ino, inode, 'renamed into place, not rewritten in place');
    assert.deepEqual(readdirSync(dir), ['admin.kubeconfig']);
  });
});
