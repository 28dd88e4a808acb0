// The navis API server driven by the official @kubernetes/client-node: CRUD, a stale update's 409,
// paginated lists at one revision, and an informer (list + watch) that sees adds, updates and deletes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startCluster, type TestCluster } from './support/cluster.ts';

const namespace = 'default';

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

async function statusOf(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (e: unknown) {
    if (e instanceof ApiException) {
      const body = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as Record<string, unknown>;
      return { code: e.code, body };
    }
    throw e;
  }
  throw new Error('the call succeeded but should have failed');
}

describe('navis server with @kubernetes/client-node', () => {
  let c: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  before(async () => {
    c = await startCluster();
    kc = new KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(() => c.stop());

  it('creates, reads, replaces and deletes; a stale update gets 409 Conflict', async () => {
    const created = await core.createNamespacedConfigMap({ namespace, body: configMap('crud', { a: '1' }) });
    assert.ok(created.metadata?.uid);
    const read = await core.readNamespacedConfigMap({ name: 'crud', namespace });
    assert.deepEqual(read.data, { a: '1' });
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'crud',
      namespace,
      body: { ...read, data: { a: '2' } },
    });
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);
    const unchanged = await core.replaceNamespacedConfigMap({ name: 'crud', namespace, body: replaced });
    assert.equal(
      unchanged.metadata?.resourceVersion,
      replaced.metadata?.resourceVersion,
      'a no-op update writes nothing',
    );
    const stale = await statusOf(
      core.replaceNamespacedConfigMap({ name: 'crud', namespace, body: { ...read, data: { a: '3' } } }),
    );
    assert.equal(stale.code, 409);
    assert.equal(stale.body['reason'], 'Conflict');
    assert.match(String(stale.body['message']), /Operation cannot be fulfilled on configmaps "crud"/);
    const dup = await statusOf(core.createNamespacedConfigMap({ namespace, body: configMap('crud', {}) }));
    assert.equal(dup.code, 409);
    assert.equal(dup.body['reason'], 'AlreadyExists');
    await core.deleteNamespacedConfigMap({ name: 'crud', namespace });
    const gone = await statusOf(core.readNamespacedConfigMap({ name: 'crud', namespace }));
    assert.equal(gone.code, 404);
    assert.equal(gone.body['reason'], 'NotFound');
  });

  it('pages through a list at one revision, whatever is written meanwhile', async () => {
    for (let i = 0; i < 25; i++) {
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap(`page-${String(i).padStart(2, '0')}`, { i: String(i) }, { set: 'paging' }),
      });
    }
    const names: string[] = [];
    let token: string | undefined;
    let revision: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace,
        labelSelector: 'set=paging',
        limit: 10,
        _continue: token,
      });
      pages++;
      revision ??= page.metadata?.resourceVersion;
      assert.equal(page.metadata?.resourceVersion, revision, 'every page is read at the first page revision');
      names.push(...page.items.map((cm) => cm.metadata?.name ?? ''));
      token = page.metadata?._continue;
      // Written after the first page: not part of this list.
      if (pages === 1) {
        await core.createNamespacedConfigMap({
          namespace,
          body: configMap('page-99', {}, { set: 'paging' }),
        });
      }
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      names,
      Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, '0')}`),
    );
  });

  it('feeds an informer: list, then adds, updates and deletes from the watch', async () => {
    const informer = makeInformer<V1ConfigMap>(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace, labelSelector: 'set=informer' }),
      'set=informer',
    );
    const seen: string[] = [];
    let notify: (() => void) | undefined;
    const record = (what: string) => (obj: V1ConfigMap) => {
      seen.push(`${what} ${obj.metadata?.name} ${obj.data?.['v'] ?? ''}`);
      notify?.();
    };
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    const until = async (entry: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!seen.includes(entry)) {
        if (Date.now() > deadline) throw new Error(`informer never saw "${entry}"; saw ${seen.join(', ')}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 200);
        });
      }
    };
    await core.createNamespacedConfigMap({
      namespace,
      body: configMap('inf-a', { v: '1' }, { set: 'informer' }),
    });
    await informer.start();
    try {
      await until('add inf-a 1');
      await core.createNamespacedConfigMap({
        namespace,
        body: configMap('inf-b', { v: '1' }, { set: 'informer' }),
      });
      await until('add inf-b 1');
      const b = await core.readNamespacedConfigMap({ name: 'inf-b', namespace });
      await core.replaceNamespacedConfigMap({ name: 'inf-b', namespace, body: { ...b, data: { v: '2' } } });
      await until('update inf-b 2');
      await core.deleteNamespacedConfigMap({ name: 'inf-a', namespace });
      await until('delete inf-a 1');
      assert.deepEqual(
        informer
          .list(namespace)
          .map((cm) => cm.metadata?.name)
          .sort(),
        ['inf-b'],
      );
    } finally {
      await informer.stop();
    }
  });
});
