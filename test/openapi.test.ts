// /openapi/v3 as kubectl reads it: with the operations' fieldValidation parameter there, kubectl
// leaves validation to the server, so `create -f`, `apply -f` and `diff` work without flags.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type TestCluster } from './support/cluster.ts';

describe('OpenAPI v3 and kubectl without --validate=false', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
  });
  after(() => c.stop());

  it('serves the root index and a group-version document with the patch operation', async () => {
    const root = JSON.parse(await c.kubectl('get', '--raw', '/openapi/v3')) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const apps = root.paths['apis/apps/v1']?.serverRelativeURL;
    assert.match(apps ?? '', /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    assert.ok(root.paths['api/v1']);
    const doc = JSON.parse(await c.kubectl('get', '--raw', apps!)) as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown }>
      >;
    };
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.['patch'];
    assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
  });

  it('creates, applies, re-applies and diffs manifests with kubectl defaults', async () => {
    const cm = (value: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: ${value}\n`;
    assert.match(await c.kubectlWith(cm('1'), 'apply', '-f', '-'), /configmap\/applied created/);
    assert.match(await c.kubectlWith(cm('2'), 'apply', '-f', '-'), /configmap\/applied configured/);
    assert.match(await c.kubectlWith(cm('2'), 'apply', '-f', '-'), /configmap\/applied unchanged/);
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\nstringData:\n  a: b\n';
    assert.match(await c.kubectlWith(secret, 'create', '-f', '-'), /secret\/plain created/);
    assert.equal(await c.kubectl('get', 'secret', 'plain', '-o', 'jsonpath={.data.a}'), 'Yg==');
    // kubectl diff exits 1 when there are differences.
    const diff = await c.kubectlFailsWith(cm('3'), 'diff', '-f', '-').catch((e: unknown) => String(e));
    assert.doesNotMatch(diff, /openapi/i);
    assert.equal(await c.kubectl('get', 'configmap', 'applied', '-o', 'jsonpath={.data.k}'), '2');
  });
});
