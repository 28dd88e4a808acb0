// PATCH through the real kubectl: JSON patch, merge patch and strategic merge patch on a
// Deployment's containers, kubectl set image / label / annotate, and client-side kubectl apply,
// which sends a three-way strategic merge patch computed from last-applied-configuration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { patchTypes } from '../src/apiserver/handlers/patch.ts';
import { kindSchema } from '../src/apiserver/patch/schema.ts';
import { startCluster, type TestCluster } from './support/cluster.ts';

interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string }>;
}

interface Deployment {
  metadata: {
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
}

describe('patch with the real kubectl', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
  });
  after(() => c.stop());

  const get = async (name: string): Promise<Deployment> =>
    JSON.parse(await c.kubectl('get', 'deployment', name, '-o', 'json')) as Deployment;
  const containers = async (name: string): Promise<Container[]> =>
    (await get(name)).spec.template.spec.containers;

  it('patches a deployment with --type=json, merge and strategic', async () => {
    await c.kubectl('create', 'deployment', 'web', '--image=nginx:1.27');
    // JSON patch: add a second container, then change the first one's image by index.
    await c.kubectl(
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      JSON.stringify([
        { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'busybox:1' } },
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'nginx' },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27.1' },
      ]),
    );
    assert.deepEqual(
      (await containers('web')).map((x) => [x.name, x.image]),
      [
        ['nginx', 'nginx:1.27.1'],
        ['side', 'busybox:1'],
      ],
    );
    // Strategic merge patch: merged by name, the other container kept.
    await c.kubectl(
      'patch',
      'deployment',
      'web',
      '--type=strategic',
      '-p',
      JSON.stringify({
        spec: { template: { spec: { containers: [{ name: 'side', env: [{ name: 'A', value: '1' }] }] } } },
      }),
    );
    let list = await containers('web');
    assert.deepEqual(
      list.map((x) => x.name),
      ['nginx', 'side'],
    );
    assert.deepEqual(list[1]!.env, [{ name: 'A', value: '1' }]);
    // kubectl patch's default type is strategic; $patch: delete removes the sidecar.
    await c.kubectl(
      'patch',
      'deployment',
      'web',
      '-p',
      JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }),
    );
    assert.deepEqual(
      (await containers('web')).map((x) => x.name),
      ['nginx'],
    );
    // Merge patch (RFC 7386): the containers list is replaced whole.
    await c.kubectl(
      'patch',
      'deployment',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      }),
    );
    const d = await get('web');
    assert.equal(d.spec.replicas, 2);
    list = d.spec.template.spec.containers;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.image, 'nginx:1.27');
  });

  it('sets an image, labels and annotates', async () => {
    await c.kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    assert.equal((await containers('web'))[0]!.image, 'nginx:1.28');
    await c.kubectl('label', 'deployment', 'web', 'tier=front');
    await c.kubectl('label', 'deployment', 'web', 'tier=back', '--overwrite');
    await c.kubectl('annotate', 'deployment', 'web', 'note=a');
    await c.kubectl('annotate', 'deployment', 'web', 'note=b', '--overwrite');
    let d = await get('web');
    assert.equal(d.metadata.labels?.['tier'], 'back');
    assert.equal(d.metadata.annotations?.['note'], 'b');
    // Re-labelling with the same value changes nothing, so nothing is written.
    const rv = d.metadata.resourceVersion;
    await c.kubectl('label', 'deployment', 'web', 'tier=back', '--overwrite');
    d = await get('web');
    assert.equal(d.metadata.resourceVersion, rv);
    await c.kubectl('label', 'deployment', 'web', 'tier-');
    assert.equal((await get('web')).metadata.labels?.['tier'], undefined);
  });

  it('refuses a bad JSON patch with 422 and leaves the object unchanged', async () => {
    const before = await get('web');
    const err = await c.kubectlFails(
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      JSON.stringify([
        { op: 'replace', path: '/spec/replicas', value: 7 },
        { op: 'remove', path: '/spec/template/spec/nothing' },
      ]),
    );
    assert.match(err, /the server rejected our request due to an error in our request/);
    const failedTest = await c.kubectlFails(
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'test', path: '/spec/replicas', value: 99 }]),
    );
    assert.match(failedTest, /the server rejected our request/);
    assert.match(
      await c.kubectlFails('patch', 'deployment', 'web', '--type=json', '-p', '{"op":"add"}'),
      /cannot unmarshal object/,
    );
    const after = await get('web');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec.replicas, before.spec.replicas);
  });

  it('validates the patched object (422) and honours a resourceVersion in the patch (409)', async () => {
    assert.match(
      await c.kubectlFails('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":-1}}'),
      /is invalid: spec\.replicas/,
    );
    assert.match(
      await c.kubectlFails(
        'patch',
        'deployment',
        'web',
        '--type=merge',
        '-p',
        '{"metadata":{"resourceVersion":"1"},"spec":{"replicas":3}}',
      ),
      /the object has been modified/,
    );
  });

  it('applies client-side: create, change, remove a field, re-apply unchanged', async () => {
    const manifest = (image: string, env: boolean): string =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'applied', labels: { app: 'applied' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'applied' } },
          template: {
            metadata: { labels: { app: 'applied' } },
            spec: {
              containers: [
                { name: 'app', image, ...(env ? { env: [{ name: 'MODE', value: 'x' }] } : {}) },
                { name: 'side', image: 'busybox:1' },
              ],
            },
          },
        },
      });
    assert.match(
      await c.kubectlWith(manifest('nginx:1.27', true), 'apply', '--validate=false', '-f', '-'),
      /deployment.apps\/applied created/,
    );
    // A field set by someone else is kept by the three-way patch.
    await c.kubectl('label', 'deployment', 'applied', 'extra=yes');
    assert.match(
      await c.kubectlWith(manifest('nginx:1.28', false), 'apply', '--validate=false', '-f', '-'),
      /deployment.apps\/applied configured/,
    );
    const d = await get('applied');
    const [app, side] = d.spec.template.spec.containers;
    assert.equal(app!.name, 'app');
    assert.equal(app!.image, 'nginx:1.28');
    assert.equal(app!.env, undefined);
    assert.equal(side!.name, 'side');
    assert.equal(d.metadata.labels?.['extra'], 'yes');
    assert.match(
      await c.kubectlWith(manifest('nginx:1.28', false), 'apply', '--validate=false', '-f', '-'),
      /deployment.apps\/applied unchanged/,
    );
    assert.equal((await get('applied')).metadata.resourceVersion, d.metadata.resourceVersion);
  });

  it('answers server-side apply with 415 listing the patch types it reads', async () => {
    const err = await c.kubectlFailsWith(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa' },
        data: { a: '1' },
      }),
      'apply',
      '--server-side',
      '--validate=false',
      '-f',
      '-',
    );
    assert.match(
      err,
      /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json/,
    );
  });

  it('offers no strategic merge patch for kinds without Go types (custom resources)', () => {
    assert.deepEqual(patchTypes(kindSchema('example.com/v1', 'Widget')), [
      'application/json-patch+json',
      'application/merge-patch+json',
    ]);
    assert.ok(
      patchTypes(kindSchema('apps/v1', 'Deployment')).includes('application/strategic-merge-patch+json'),
    );
  });
});
