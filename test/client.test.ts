// src/client against a real navis server: CRUD and its Status reasons, subresources, an informer
// that outlives the server's watch timeouts, two leader electors on one Lease, and events that
// kubectl shows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../src/api/meta.ts';
import {
  ApiError,
  EventRecorder,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isTombstone,
  LeaderElector,
  type Lease,
  loadKubeconfig,
  resources,
  RestClient,
  SharedInformerFactory,
} from '../src/client/index.ts';
import { startCluster, type TestCluster } from './support/cluster.ts';

const namespace = 'default';

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e: unknown) {
    if (e instanceof ApiError) return `${e.code} ${e.reason}`;
    throw e;
  }
  throw new Error('the call succeeded but should have failed');
}

async function eventually(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('src/client against a navis server', () => {
  let c: TestCluster;
  let client: RestClient;
  before(async () => {
    c = await startCluster();
    client = new RestClient(loadKubeconfig(c.kubeconfig), { timeoutMs: 10_000 });
  });
  after(async () => {
    client.close();
    await c.stop();
  });

  it('creates, reads, updates, patches and deletes, with 404/409 reasons', async () => {
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    const created = await cms.create(configMap('crud', { a: '1' }));
    assert.ok(created.metadata.uid);
    const read = await cms.get('crud');
    assert.deepEqual(read['data'], { a: '1' });
    const updated = await cms.update({ ...read, data: { a: '2' } });
    assert.notEqual(updated.metadata.resourceVersion, read.metadata.resourceVersion);
    assert.equal(await reasonOf(cms.update({ ...read, data: { a: '3' } })), '409 Conflict');
    assert.equal(await reasonOf(cms.create(configMap('crud', {}))), '409 AlreadyExists');
    try {
      await cms.create(configMap('crud', {}));
    } catch (e: unknown) {
      assert.ok(isAlreadyExists(e));
      assert.equal((e as ApiError).details?.name, 'crud');
    }
    const merged = await cms.patch('crud', { data: { b: 'x' } }, { type: 'merge' });
    assert.deepEqual(merged['data'], { a: '2', b: 'x' });
    const jsonPatched = await cms.patch('crud', [{ op: 'remove', path: '/data/a' }], { type: 'json' });
    assert.deepEqual(jsonPatched['data'], { b: 'x' });
    assert.equal(
      await reasonOf(cms.delete('crud', { preconditions: { uid: 'not-the-uid' } })),
      '409 Conflict',
    );
    await cms.delete('crud', { preconditions: { uid: created.metadata.uid }, gracePeriodSeconds: 0 });
    try {
      await cms.get('crud');
      assert.fail('still there');
    } catch (e: unknown) {
      assert.ok(isNotFound(e));
      assert.ok(!isConflict(e));
    }
    assert.equal(await reasonOf(cms.delete('crud')), '404 NotFound');
  });

  it('pages a labelled list with limit and continue at one version', async () => {
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    for (let i = 0; i < 7; i++) await cms.create(configMap(`page-${i}`, { i: String(i) }, { set: 'paging' }));
    const names: string[] = [];
    let cont: string | undefined;
    const versions = new Set<string>();
    do {
      const page = await cms.list({ labelSelector: 'set=paging', limit: 3, continue: cont });
      names.push(...page.items.map((o) => o.metadata.name!));
      versions.add(page.metadata.resourceVersion!);
      cont = page.metadata.continue || undefined;
      if (cont !== undefined) await cms.create(configMap(`late-${names.length}`, {}, { set: 'paging' }));
    } while (cont !== undefined);
    assert.deepEqual(
      names,
      Array.from({ length: 7 }, (_, i) => `page-${i}`),
    );
    assert.equal(versions.size, 1);
  });

  it('throws a watch that cannot start as an ApiError (410 Expired)', async () => {
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    const watching = (async () => {
      for await (const _ of cms.watch({ resourceVersion: 'not-a-version' })) assert.fail('an event');
    })();
    assert.equal(await reasonOf(watching), '410 Expired');
  });

  it('streams watch events and ends the watch on abort', async () => {
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    const start = await cms.list({ limit: 1 });
    const ac = new AbortController();
    const events: string[] = [];
    const watching = (async () => {
      for await (const e of cms.watch({
        resourceVersion: start.metadata.resourceVersion,
        signal: ac.signal,
      })) {
        events.push(`${e.type} ${e.object.metadata.name}`);
        if (events.length === 3) ac.abort();
      }
    })();
    await cms.create(configMap('watched-1', {}));
    await cms.patch('watched-1', { data: { a: 'b' } }, { type: 'strategic' });
    await cms.delete('watched-1');
    await watching;
    assert.deepEqual(events, ['ADDED watched-1', 'MODIFIED watched-1', 'DELETED watched-1']);
  });

  it('reads and writes the scale subresource', async () => {
    const deployments = client.resource<KubeObject>(resources.deployments).namespace(namespace);
    await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
    const scale = await deployments.getScale<{ spec: { replicas: number } } & KubeObject>('web');
    assert.equal(scale.spec.replicas, 1);
    // Without a resourceVersion: the deployment controller may have written the object since the read.
    await deployments.updateScale('web', {
      ...scale,
      metadata: { name: 'web', namespace },
      spec: { replicas: 3 },
    });
    const d = await deployments.get('web');
    assert.equal((d['spec'] as { replicas: number }).replicas, 3);
  });

  it('answers a request without credentials with 401 Unauthorized', async () => {
    const anonymous = new RestClient({ server: client.config.server, ca: client.config.ca, token: 'nope' });
    try {
      assert.equal(await reasonOf(anonymous.resource(resources.configmaps).list()), '401 Unauthorized');
    } finally {
      anonymous.close();
    }
  });

  it('an informer sees adds, updates and deletes across watches the server ends', async () => {
    const factory = new SharedInformerFactory({ client, namespace, watchTimeoutSeconds: 1 });
    const informer = factory.informerFor<KubeObject>(resources.configmaps, { labelSelector: 'watched=yes' });
    assert.equal(factory.informerFor(resources.configmaps, { labelSelector: 'watched=yes' }), informer);
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_, o) => seen.push(`update ${o.metadata.name} ${JSON.stringify(o['data'])}`),
      onDelete: (o) => seen.push(`delete ${isTombstone(o) ? o.key : o.metadata.name}`),
    });
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    await cms.create(configMap('before', {}, { watched: 'yes' }));
    const ac = new AbortController();
    factory.start(ac.signal);
    try {
      assert.equal(await factory.waitForCacheSync(ac.signal), true);
      assert.deepEqual(seen, ['add before']);
      await cms.create(configMap('w1', { v: '1' }, { watched: 'yes' }));
      await cms.create(configMap('unwatched', {}, { watched: 'no' }));
      await eventually(() => seen.includes('add w1'), 'add w1');
      // Outlive a few 1-second server watch timeouts, then change things again.
      await new Promise((r) => setTimeout(r, 2500));
      await cms.patch('w1', { data: { v: '2' } }, { type: 'merge' });
      await cms.delete('before');
      await eventually(() => seen.includes('delete before'), 'delete before');
      assert.deepEqual(seen, ['add before', 'add w1', 'update w1 {"v":"2"}', 'delete before']);
      assert.deepEqual(
        informer.lister.list().map((o) => o.metadata.name),
        ['w1'],
      );
      assert.equal(informer.lister.namespace(namespace).get('w1')?.['data'] !== undefined, true);
    } finally {
      ac.abort();
      await factory.shutdown();
    }
  });

  it('elects exactly one of two candidates, and the other takes over when it stops', async () => {
    const leading = new Map<string, AbortController>();
    const stopped: string[] = [];
    const elector = (
      identity: string,
    ): { elector: LeaderElector; stop: AbortController; done: Promise<void> } => {
      const stop = new AbortController();
      const elector = new LeaderElector({
        client,
        namespace: 'kube-system',
        name: 'navis-test',
        identity,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 100,
        onStartedLeading: (signal) => {
          const ac = new AbortController();
          leading.set(identity, ac);
          signal.addEventListener('abort', () => leading.delete(identity));
        },
        onStoppedLeading: () => stopped.push(identity),
      });
      return { elector, stop, done: elector.run(stop.signal) };
    };
    const a = elector('a');
    const b = elector('b');
    try {
      await eventually(() => leading.size === 1, 'a leader');
      // Several renewals later, still exactly one.
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(leading.size, 1);
      const [first] = [...leading.keys()];
      assert.equal([a, b].filter((e) => e.elector.isLeader()).length, 1);
      const leases = client.resource<Lease>(resources.leases).namespace('kube-system');
      const held = await leases.get('navis-test');
      assert.equal(held.spec?.holderIdentity, first);
      assert.equal(held.spec?.leaseDurationSeconds, 2);
      assert.match(held.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

      const [winner, other] = first === 'a' ? [a, b] : [b, a];
      winner.stop.abort();
      await winner.done;
      assert.deepEqual(stopped, [first]);
      await eventually(() => other.elector.isLeader(), 'the other candidate to take over', 5000);
      const taken = await leases.get('navis-test');
      assert.equal(taken.spec?.holderIdentity, first === 'a' ? 'b' : 'a');
      assert.equal(taken.spec?.leaseTransitions, 1);
    } finally {
      a.stop.abort();
      b.stop.abort();
      await Promise.all([a.done, b.done]);
    }
  });

  it('without release on shutdown, the other candidate waits out the lease', async () => {
    const candidates = ['x', 'y'].map((identity) => {
      const stop = new AbortController();
      const elector = new LeaderElector({
        client,
        namespace: 'kube-system',
        name: 'navis-test-expiry',
        identity,
        leaseDurationMs: 1000,
        renewDeadlineMs: 800,
        retryPeriodMs: 100,
        releaseOnCancel: false,
        onStartedLeading: () => {},
      });
      return { elector, stop, done: elector.run(stop.signal) };
    });
    try {
      await eventually(() => candidates.some((e) => e.elector.isLeader()), 'a leader');
      const winner = candidates.find((e) => e.elector.isLeader())!;
      const other = candidates.find((e) => e !== winner)!;
      winner.stop.abort();
      await winner.done;
      const stoppedAt = Date.now();
      await eventually(() => other.elector.isLeader(), 'the other candidate to take over', 5000);
      // It must not take over before the lease it last observed has run out.
      assert.ok(Date.now() - stoppedAt >= 700, `took over after ${Date.now() - stoppedAt}ms`);
    } finally {
      for (const e of candidates) e.stop.abort();
      await Promise.all(candidates.map((e) => e.done));
    }
  });

  it('records an Event that kubectl shows, and a repeat bumps its count', async () => {
    const cms = client.resource<KubeObject>(resources.configmaps).namespace(namespace);
    const target = await cms.create(configMap('evented', {}));
    const recorder = new EventRecorder({ client, component: 'test-controller' });
    recorder.event(target, 'Warning', 'SomethingOdd', 'the configmap looks odd');
    await recorder.flush();
    const table = await c.kubectl('get', 'events', '-n', namespace);
    assert.match(table, /Warning\s+SomethingOdd\s+configmap\/evented\s+the configmap looks odd/);
    recorder.event(target, 'Warning', 'SomethingOdd', 'the configmap looks odd');
    recorder.event(target, 'Normal', 'Other', 'a different event');
    await recorder.flush();
    const list = JSON.parse(await c.kubectl('get', 'events', '-n', namespace, '-o', 'json')) as {
      items: Array<{
        reason: string;
        count: number;
        involvedObject: { uid: string; kind: string };
        source: { component: string };
        metadata: { name: string };
      }>;
    };
    const odd = list.items.filter((e) => e.reason === 'SomethingOdd');
    assert.equal(odd.length, 1);
    assert.equal(odd[0]!.count, 2);
    assert.equal(odd[0]!.involvedObject.uid, target.metadata.uid);
    assert.equal(odd[0]!.involvedObject.kind, 'ConfigMap');
    assert.equal(odd[0]!.source.component, 'test-controller');
    assert.match(odd[0]!.metadata.name, /^evented\.[0-9a-f]+$/);
    assert.equal(list.items.filter((e) => e.reason === 'Other').length, 1);
  });
});
