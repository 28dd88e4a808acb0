// The job, cronjob and ttl-after-finished controllers against an in-process navis server, driven by
// the real kubectl 1.32. They run on their own informer factory (as core.test.ts does) beside the
// server's manager; the cronjob controller runs on a fake clock. A fake kubelet finishes pods by
// writing pods/status (phase and a terminated container with an exit code).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowTimestamp } from '../../src/api/meta.ts';
import {
  type Clock,
  EventRecorder,
  FakeClock,
  realClock,
  resources,
  RestClient,
  SharedInformerFactory,
} from '../../src/client/index.ts';
import { CronJobController, type CronJob } from '../../src/controllers/cronjob/index.ts';
import type { Pod } from '../../src/controllers/framework/index.ts';
import { JobController, type Job } from '../../src/controllers/job/index.ts';
import { TtlAfterFinishedController } from '../../src/controllers/ttl-after-finished/index.ts';
import type { Controller, ControllerContext } from '../../src/controllers/types.ts';
import { createLogger } from '../../src/log.ts';
import { startCluster, type TestCluster } from '../support/cluster.ts';
import { listPods, waitFor } from '../support/controllers.ts';

async function runControllers(
  client: RestClient,
  controllers: [Controller, Clock][],
  signal: AbortSignal,
): Promise<void> {
  const log = createLogger({ level: 'warn' });
  const informers = new SharedInformerFactory({ client, log });
  const contexts = controllers.map(([c, clock]): ControllerContext => ({
    client,
    informers,
    clock,
    log: log.with({ controller: c.name }),
    recorder: (component) => new EventRecorder({ client, component, log }),
  }));
  controllers.forEach(([c], i) => c.register(contexts[i]!));
  informers.start(signal);
  await informers.waitForCacheSync(signal);
  await Promise.all(controllers.map(([c], i) => c.run(contexts[i]!, signal)));
  await informers.shutdown();
}

/** The fake kubelet finishing a pod: Succeeded (exit 0) or Failed (exitCode). */
async function finishPod(client: RestClient, pod: Pod, exitCode: number): Promise<void> {
  const now = nowTimestamp();
  await client.resource<Pod>(resources.pods).updateStatus(
    {
      ...structuredClone(pod),
      status: {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        startTime: now,
        containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt: now,
              finishedAt: now,
            },
          },
        })),
      },
    },
    { namespace: pod.metadata.namespace },
  );
}

const running = (pods: Pod[]): Pod[] =>
  pods.filter(
    (p) =>
      p.metadata.deletionTimestamp === undefined &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed',
  );

const jobYaml = (name: string, spec: Record<string, unknown>): string =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
    },
  });

describe('job, cronjob and ttl-after-finished controllers with the real kubectl', () => {
  let c: TestCluster;
  let client: RestClient;
  const ac = new AbortController();
  let done: Promise<void>;
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const clock = new FakeClock(start);

  before(async () => {
    // This test runs its own job controllers (one on a fake clock): the server's stay off.
    c = await startCluster({ controllers: ['*', '-job', '-cronjob', '-ttl-after-finished'] });
    client = RestClient.fromKubeconfig(c.kubeconfig);
    done = runControllers(
      client,
      [
        [new JobController({ podFailureBackoffMs: 50 }), realClock],
        [new CronJobController(), clock],
        [new TtlAfterFinishedController(), realClock],
      ],
      ac.signal,
    );
  });
  after(async () => {
    ac.abort();
    await done;
    client.close();
    await c.stop();
  });

  const job = (name: string): Promise<Job> =>
    client.resource<Job>(resources.jobs).get(name, { namespace: 'default' });
  const pods = (name: string): Promise<Pod[]> =>
    listPods(client, 'default', `batch.kubernetes.io/job-name=${name}`);
  /** Plays the kubelet: every running pod of the job finishes with `exitCode`. */
  const finishAll = async (name: string, exitCode: number): Promise<number> => {
    const live = running(await pods(name));
    for (const p of live) await finishPod(client, p, exitCode);
    return live.length;
  };

  it('runs a Job of completions 3 / parallelism 2 to completion', async () => {
    await c.kubectlWith(
      jobYaml('three', { completions: 3, parallelism: 2 }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    const first = await waitFor('2 pods', async () =>
      (await pods('three')).length === 2 ? pods('three') : undefined,
    );
    assert.ok(first.every((p) => p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking')));
    assert.ok(first.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'Job'));
    await waitFor('job three complete', async () => {
      await finishAll('three', 0);
      const j = await job('three');
      return j.status?.conditions?.some((x) => x.type === 'Complete') === true ? j : undefined;
    });
    await c.kubectl('wait', '--for=condition=complete', 'job/three', '--timeout=10s');
    const j = await job('three');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.active, 0);
    assert.ok(j.status?.completionTime !== undefined && j.status.startTime !== undefined);
    assert.deepEqual(
      j.status?.conditions?.map((x) => x.type),
      ['SuccessCriteriaMet', 'Complete'],
    );
    const all = await pods('three');
    assert.equal(all.length, 3);
    assert.ok(all.every((p) => !(p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking')));
    const events = await c.kubectl(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=three',
      '-o',
      'jsonpath={.items[*].reason}',
    );
    assert.match(events, /SuccessfulCreate/);
    assert.match(events, /Completed/);
  });

  it('runs an Indexed Job: one pod per index, hostname <job>-<index>, completedIndexes', async () => {
    await c.kubectlWith(
      jobYaml('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    const created = await waitFor('3 pods', async () =>
      (await pods('idx')).length === 3 ? pods('idx') : undefined,
    );
    const byIndex = created
      .map(
        (p) =>
          [
            p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'],
            p.spec?.['hostname'],
            p.metadata.name,
          ] as const,
      )
      .sort();
    assert.deepEqual(
      byIndex.map(([ix, host]) => [ix, host]),
      [
        ['0', 'idx-0'],
        ['1', 'idx-1'],
        ['2', 'idx-2'],
      ],
    );
    assert.ok(byIndex.every(([ix, , n]) => n?.startsWith(`idx-${ix}-`)));
    const idx1 = created.find(
      (p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'] === '1',
    )!;
    await finishPod(client, idx1, 0);
    await waitFor('index 1 recorded', async () =>
      (await job('idx')).status?.completedIndexes === '1' ? true : undefined,
    );
    await finishAll('idx', 0);
    await c.kubectl('wait', '--for=condition=complete', 'job/idx', '--timeout=10s');
    assert.equal((await job('idx')).status?.completedIndexes, '0-2');
  });

  it('fails a Job whose pods keep failing with BackoffLimitExceeded', async () => {
    await c.kubectlWith(jobYaml('boom', { backoffLimit: 1 }), 'create', '--validate=false', '-f', '-');
    await waitFor('job boom failed', async () => {
      await finishAll('boom', 1);
      const j = await job('boom');
      return j.status?.conditions?.find((x) => x.type === 'Failed');
    });
    const j = await job('boom');
    assert.equal(j.status?.failed, 2);
    assert.deepEqual(
      j.status?.conditions?.map((x) => [x.type, x.reason]),
      [
        ['FailureTarget', 'BackoffLimitExceeded'],
        ['Failed', 'BackoffLimitExceeded'],
      ],
    );
    await c.kubectl('wait', '--for=condition=failed', 'job/boom', '--timeout=10s');
    const events = await c.kubectl(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=boom',
      '-o',
      'jsonpath={.items[*].reason}',
    );
    assert.match(events, /BackoffLimitExceeded/);
  });

  it('suspends and resumes a Job', async () => {
    await c.kubectlWith(
      jobYaml('sus', { parallelism: 2, completions: 2 }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    await waitFor('2 pods', async () => ((await pods('sus')).length === 2 ? true : undefined));
    await c.kubectl('patch', 'job/sus', '--type=merge', '-p', '{"spec":{"suspend":true}}');
    await waitFor('suspended, pods gone', async () => {
      const j = await job('sus');
      const cond = j.status?.conditions?.find((x) => x.type === 'Suspended');
      return cond?.status === 'True' && (await pods('sus')).length === 0 && j.status?.active === 0
        ? true
        : undefined;
    });
    assert.equal((await job('sus')).status?.failed ?? 0, 0);
    await c.kubectl('patch', 'job/sus', '--type=merge', '-p', '{"spec":{"suspend":false}}');
    await waitFor('resumed', async () => {
      const j = await job('sus');
      const cond = j.status?.conditions?.find((x) => x.type === 'Suspended');
      return cond?.status === 'False' && cond.reason === 'JobResumed' && (await pods('sus')).length === 2
        ? true
        : undefined;
    });
  });

  it('deletes a finished Job after ttlSecondsAfterFinished', async () => {
    await c.kubectlWith(
      jobYaml('ttl', { ttlSecondsAfterFinished: 1 }),
      'create',
      '--validate=false',
      '-f',
      '-',
    );
    await waitFor('job ttl complete', async () => {
      await finishAll('ttl', 0);
      return (await job('ttl')).status?.conditions?.some((x) => x.type === 'Complete') === true
        ? true
        : undefined;
    });
    await waitFor(
      'job ttl deleted',
      async () =>
        (await c.kubectl('get', 'jobs', '-o', 'name')).includes('job.batch/ttl') ? undefined : true,
      { timeoutMs: 5000 },
    );
  });

  it('fires a CronJob on schedule with a fake clock, respects Forbid, and kubectl create job --from', async () => {
    await c.kubectl('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *');
    await c.kubectl('patch', 'cronjob/tick', '--type=merge', '-p', '{"spec":{"concurrencyPolicy":"Forbid"}}');
    const cronJob = (): Promise<CronJob> =>
      client.resource<CronJob>(resources.cronjobs).get('tick', { namespace: 'default' });
    const ownedJobs = async (): Promise<Job[]> =>
      (await client.resource<Job>(resources.jobs).list({ namespace: 'default' })).items.filter(
        (j) =>
          j.metadata.ownerReferences?.[0]?.name === 'tick' &&
          j.metadata.annotations?.['cronjob.kubernetes.io/instantiate'] === undefined,
      );
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await ownedJobs()).length, 0);
    await clock.advance(60_000);
    const first = await waitFor('first job', async () =>
      (await ownedJobs()).length === 1 ? (await ownedJobs())[0] : undefined,
    );
    const minute = Math.floor((start + 30_000) / 60_000);
    assert.equal(first!.metadata.name, `tick-${minute}`);
    assert.equal(
      first!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      new Date(minute * 60_000).toISOString().replace('.000Z', 'Z'),
    );
    await waitFor('active', async () => ((await cronJob()).status?.active?.length === 1 ? true : undefined));
    // Forbid: the next activation is skipped while the first job runs.
    await clock.advance(60_000);
    await waitFor('JobAlreadyActive', async () =>
      (
        await c.kubectl(
          'get',
          'events',
          '--field-selector',
          'involvedObject.name=tick',
          '-o',
          'jsonpath={.items[*].reason}',
        )
      ).includes('JobAlreadyActive')
        ? true
        : undefined,
    );
    assert.equal((await ownedJobs()).length, 1);
    // The first job completes: the activation skipped under Forbid is still unmet, so it runs now.
    await waitFor('first job complete, second job', async () => {
      await finishAll(first!.metadata.name!, 0);
      const cj = await cronJob();
      return cj.status?.lastSuccessfulTime !== undefined && (await ownedJobs()).length === 2
        ? true
        : undefined;
    });
    assert.deepEqual(
      (await cronJob()).status?.active?.map((r) => r.name),
      [`tick-${minute + 1}`],
    );
    const events = await c.kubectl(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=tick',
      '-o',
      'jsonpath={.items[*].reason}',
    );
    assert.match(events, /SuccessfulCreate/);
    assert.match(events, /SawCompletedJob/);
    // A manual run from the template.
    await c.kubectl('create', 'job', 'manual', '--from=cronjob/tick');
    await waitFor('manual job pod', async () => ((await pods('manual')).length === 1 ? true : undefined));
  });
});
