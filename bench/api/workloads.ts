import type { ClientHttp2Stream } from 'node:http2';
import type { BenchContext, BenchResult } from '../run.ts';
import { apiServerOnly, type Child, type Navis, startNavis, stopChild } from './children.ts';
import { Client, createConfigMap, createNamespace, expect } from './client.ts';
import { drive, figures, quantiles } from './load.ts';
import { cpuSeconds, procStatus, sleep } from './proc.ts';
import {
  clients,
  h2,
  payload,
  rssObjects,
  sessions,
  watchers,
  watchEvents,
  watchIntervalMs,
  watchSessions,
} from './settings.ts';

// ---- workloads ----

export async function watchFanOut(navis: Navis, context: BenchContext): Promise<BenchResult[]> {
  const ns = 'bench-watch';
  const setup = await Client.open(navis.creds, 1);
  const streams: ClientHttp2Stream[] = [];
  const watchClient = await Client.open(navis.creds, watchSessions);
  try {
    await createNamespace(setup, ns);
    const listed = await expect(setup.request('GET', `/api/v1/namespaces/${ns}/configmaps`), 200);
    const rv = (JSON.parse(listed.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata
      .resourceVersion;
    // received[w * watchEvents + i]: when watcher w got the ADDED event of w-i.
    const received = new Float64Array(watchers * watchEvents).fill(Number.NaN);
    let delivered = 0;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    const path = `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`;
    const opened = Array.from({ length: watchers }, (_, w) => {
      const stream = watchClient.stream(path);
      streams.push(stream);
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const now = performance.now();
        const text = partial + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; start = nl + 1, nl = text.indexOf('\n', start)) {
          // The object's name, without parsing the whole event: "name":"w-<i>".
          const at = text.indexOf('"name":"w-', start);
          if (at < 0 || at > nl) continue;
          const i = Number.parseInt(text.slice(at + 10, at + 16), 10);
          if (i >= 0 && i < watchEvents && Number.isNaN(received[w * watchEvents + i]!)) {
            received[w * watchEvents + i] = now;
            if (++delivered === watchers * watchEvents) allDelivered();
          }
        }
        partial = text.slice(start);
      });
      stream.on('error', () => {});
      return new Promise<void>((resolve, reject) => {
        stream.once('response', (headers) => {
          const status = Number(headers[':status']);
          if (status === 200) resolve();
          else reject(new Error(`watch answered ${status}`));
        });
        stream.once('close', () => reject(new Error('watch stream closed before its response')));
      });
    });
    const openStarted = performance.now();
    await Promise.all(opened);
    context.log(`  ${watchers} watches open in ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);

    const startedAt = new Float64Array(watchEvents);
    const answeredAt = new Float64Array(watchEvents);
    const cpuBefore = cpuSeconds(navis.child.pid);
    const began = performance.now();
    const creates: Promise<void>[] = [];
    for (let i = 0; i < watchEvents; i++) {
      const due = began + i * watchIntervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      startedAt[i] = performance.now();
      creates.push(
        createConfigMap(setup, ns, `w-${i}`, payload).then(() => {
          answeredAt[i] = performance.now();
        }),
      );
    }
    await Promise.all(creates);
    await Promise.race([done, sleep(20_000)]);
    const seconds = (performance.now() - began) / 1000;
    const cpu = (cpuSeconds(navis.child.pid) - cpuBefore) / seconds;

    const fromStart: number[] = [];
    const fromAnswer: number[] = [];
    for (let w = 0; w < watchers; w++) {
      for (let i = 0; i < watchEvents; i++) {
        const t = received[w * watchEvents + i]!;
        if (Number.isNaN(t)) continue;
        fromStart.push(t - startedAt[i]!);
        fromAnswer.push(t - answeredAt[i]!);
      }
    }
    const s = quantiles(fromStart);
    const a = quantiles(fromAnswer);
    const expected = watchers * watchEvents;
    const workload = `${watchers.toLocaleString('en-US')} watch streams (?watch=1&resourceVersion=<list rv>) on one namespace over ${watchSessions} HTTP/2 sessions; ${watchEvents} ConfigMap creates (1 KiB data) one every ${watchIntervalMs} ms from another session`;
    return [
      { name: 'watch, create start -> delivery, p50', workload, figure: s.p50, unit: 'ms' },
      {
        name: 'watch, create start -> delivery, p99',
        workload,
        figure: s.p99,
        unit: 'ms',
        goal: { below: 50 },
      },
      {
        name: 'watch, create response -> delivery, p50',
        workload: `${workload}; negative when the event beats the create's own response`,
        figure: a.p50,
        unit: 'ms',
      },
      { name: 'watch, create response -> delivery, p99', workload, figure: a.p99, unit: 'ms' },
      {
        name: 'watch, events delivered',
        workload: `${workload}; every watcher must see every create (waited up to 20 s)`,
        figure: delivered,
        unit: 'events',
        goal: { atLeast: expected },
      },
      { name: 'watch, server CPU', workload, figure: cpu, unit: 'cores' },
    ];
  } finally {
    for (const stream of streams) stream.close();
    watchClient.close();
    setup.close();
  }
}

export async function memory(
  dataDir: string,
  children: Set<Child>,
  context: BenchContext,
  open: Client[],
  options: { apiServerOnly: boolean },
): Promise<BenchResult[]> {
  // The API server's own memory (issue 3's goal) is measured with the controllers and the
  // scheduler off; the whole server also holds their informer caches (every ConfigMap is in the
  // garbage collector's and the root-CA publisher's).
  const navis = await startNavis(dataDir, children, options.apiServerOnly ? apiServerOnly : []);
  const client = await Client.open(navis.creds, sessions);
  open.push(client);
  const ns = 'bench-rss';
  await createNamespace(client, ns);
  const fresh = procStatus(navis.child.pid);
  const started = performance.now();
  let logged = 0;
  const created = await drive(clients, { total: rssObjects }, async (i) => {
    await createConfigMap(client, ns, `cm-${i}`, `value-${i}`);
    if (i - logged >= 20_000) {
      logged = i;
      context.log(`  ${i.toLocaleString('en-US')} created`);
    }
  });
  const createSeconds = (performance.now() - started) / 1000;
  const afterCreates = procStatus(navis.child.pid);
  context.log('  listing all ConfigMaps once');
  const listStarted = performance.now();
  const all = await client.request('GET', '/api/v1/configmaps');
  const listSeconds = (performance.now() - listStarted) / 1000;
  if (all.status !== 200) throw new Error(`list of all ConfigMaps answered ${all.status}`);
  const items = (JSON.parse(all.body.toString('utf8')) as { items: unknown[] }).items.length;
  // Plus one kube-root-ca.crt per namespace (the root-CA publisher's).
  if (items < rssObjects) throw new Error(`list of all ConfigMaps returned ${items} items`);
  const afterList = procStatus(navis.child.pid);
  client.close();
  await stopChild(navis.child, children);
  if (navis.child.problems.length > 0) {
    context.log(`server warnings/errors (${navis.child.problemCount}):\n${navis.child.problems.join('\n')}`);
  }
  const mb = (kb: number): number => kb / 1024;
  const who = options.apiServerOnly
    ? 'a fresh navis server with --controllers= --disable-scheduler (the API server alone)'
    : 'a fresh navis server with its controllers and scheduler';
  const workload = `${who}; ${rssObjects.toLocaleString('en-US')} ConfigMaps of ~10 B data in one namespace, ${clients} in flight, ${h2}; no watchers, no GC forced`;
  const tag = options.apiServerOnly ? 'API server' : 'whole server';
  const results: BenchResult[] = [
    {
      name: `RSS (${tag}), ${rssObjects.toLocaleString('en-US')} ConfigMaps, after one full list`,
      workload: `${workload}; VmRSS after one unpaginated GET /api/v1/configmaps (${(all.body.length / 1e6).toFixed(0)} MB JSON, ${listSeconds.toFixed(1)} s) was served`,
      figure: mb(afterList.rss),
      unit: 'MiB',
      ...(options.apiServerOnly ? { goal: { below: 400 } } : {}),
    },
    {
      name: `RSS (${tag}), ${rssObjects.toLocaleString('en-US')} ConfigMaps, before any list`,
      workload: `${workload}; VmRSS right after the last create answered`,
      figure: mb(afterCreates.rss),
      unit: 'MiB',
    },
    {
      name: `RSS (${tag}), peak (VmHWM)`,
      workload: `${workload}; the high-water mark over creates and the full list`,
      figure: mb(afterList.hwm),
      unit: 'MiB',
    },
    {
      name: `RSS (${tag}), fresh server`,
      workload: 'VmRSS after start-up and one namespace',
      figure: mb(fresh.rss),
      unit: 'MiB',
    },
    {
      name: `time to create ${rssObjects.toLocaleString('en-US')} ConfigMaps (${tag})`,
      workload,
      figure: createSeconds,
      unit: 's',
    },
    ...figures(created, {
      name: `small creates, ${clients} clients (${tag})`,
      workload,
      unit: 'creates/s',
    }),
  ];
  return results;
}
