import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configFromKubeconfig, loadKubeconfig } from './kubeconfig.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'navis-client-kubeconfig-'));

describe('kubeconfig', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'c1', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('CA') } },
      { name: 'c2', cluster: { server: 'https://other:6443', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'admin', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
      { name: 'sa', user: { token: 'abc' } },
    ],
    contexts: [
      { name: 'one', context: { cluster: 'c1', user: 'admin' } },
      { name: 'two', context: { cluster: 'c2', user: 'sa' } },
    ],
    'current-context': 'one',
  };

  it('takes the current context with inlined certificate data', () => {
    assert.deepEqual(configFromKubeconfig(doc), {
      server: 'https://127.0.0.1:6443',
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
    });
  });

  it('takes another context with a token', () => {
    assert.deepEqual(configFromKubeconfig(doc, { context: 'two' }), {
      server: 'https://other:6443',
      token: 'abc',
      insecureSkipTlsVerify: true,
    });
  });

  it('reads file references relative to the kubeconfig', () => {
    writeFileSync(join(dir, 'ca.crt'), 'FILE-CA');
    writeFileSync(join(dir, 'token'), 'tok\n');
    const path = join(dir, 'config');
    writeFileSync(
      path,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://h:1', 'certificate-authority': 'ca.crt' } }],
        users: [{ name: 'u', user: { tokenFile: 'token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    assert.deepEqual(loadKubeconfig(path), { server: 'https://h:1', ca: 'FILE-CA', token: 'tok' });
  });

  it('names what is missing', () => {
    assert.throws(
      () => configFromKubeconfig({ ...doc, 'current-context': 'three' }),
      /no context named "three"/,
    );
    assert.throws(() => configFromKubeconfig({ ...doc, 'current-context': undefined }), /no current-context/);
  });
});
