// The API server as its clients see it: a real `navis server` child process on a temporary data
// dir (sqlite, durable settings), driven over HTTPS (HTTP/2, the admin client certificate) from
// this process. Creates, gets and lists of ConfigMaps, watch delivery to 1,000 watchers, resident
// memory with 100,000 stored objects, and the ceiling: a bare node:http2 server answering a fixed
// body under the same load. `npm run bench api`.
//
// The client is node:http2, 64 requests in flight over 8 sessions (TLS connections), as client-go
// multiplexes over HTTP/2; 8 sessions gave the bare server its best figure (1 and 64 were 20-35%
// lower). The load generator runs in this process and shares the machine's cores with the server,
// so the ceiling is the machine's, not only the server's: the "server CPU" rows say how busy each
// server process was.

import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiServerOnly, type Child, fixedBody, startCeiling, startNavis, stopChild } from './api/children.ts';
import { Client, createConfigMap, createNamespace, expect, getConfigMap, getFixed } from './api/client.ts';
import { drive, figures, measure } from './api/load.ts';
import {
  clients,
  createTotal,
  getSeconds,
  h2,
  listClients,
  listObjects,
  listSeconds,
  payload,
  rssObjects,
  sessions,
  watchers,
  watchEvents,
  watchIntervalMs,
} from './api/settings.ts';
import { memory, watchFanOut } from './api/workloads.ts';
import type { BenchContext, BenchResult } from './run.ts';

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const children = new Set<Child>();
  const dirs: string[] = [];
  const open: Client[] = [];
  const results: BenchResult[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'navis-bench-api-'));
    dirs.push(d);
    return d;
  };
  try {
    // Issue 3's goals are the API server's: its controllers and scheduler stay off here (they
    // watch what the workloads create). The memory workload also measures the whole server.
    context.log('starting navis server (the API server alone)');
    const navis = await startNavis(tempDir(), children, apiServerOnly);
    context.log(`navis server pid ${navis.child.pid} on ${navis.creds.server}`);
    const client = await Client.open(navis.creds, sessions);
    open.push(client);

    await createNamespace(client, 'bench-warm');
    await createNamespace(client, 'bench-create');
    context.log('warm-up: 1,000 creates');
    await drive(clients, { total: 1000 }, (i) => createConfigMap(client, 'bench-warm', `cm-${i}`, payload));

    context.log(`creates: ${createTotal.toLocaleString('en-US')} ConfigMaps, ${clients} in flight`);
    results.push(
      ...(await measure(navis.child, async () =>
        drive(clients, { total: createTotal }, (i) =>
          createConfigMap(client, 'bench-create', `cm-${i}`, payload),
        ),
      ).then((m) =>
        figures(m, {
          name: `creates, ${clients} clients`,
          workload: `${createTotal.toLocaleString('en-US')} ConfigMaps with 1 KiB data into one namespace, ${clients} in flight, ${h2}; sqlite, synchronous=FULL`,
          unit: 'creates/s',
          goal: { atLeast: 5000 },
          p99Goal: { below: 50 },
        }),
      )),
    );

    context.log(`gets: ${getSeconds} s, ${clients} in flight`);
    await drive(clients, { seconds: 1 }, () => getConfigMap(client, randomInt(createTotal)));
    const gets = await measure(navis.child, () =>
      drive(clients, { seconds: getSeconds }, () => getConfigMap(client, randomInt(createTotal))),
    );
    const getResults = figures(gets, {
      name: `gets, ${clients} clients`,
      workload: `GET of one random ConfigMap (1 KiB data, ~1.4 KB response) of ${createTotal.toLocaleString('en-US')}, ${clients} in flight for ${getSeconds} s, ${h2}`,
      unit: 'gets/s',
      goal: { atLeast: 15_000 },
      p99Goal: { below: 50 },
    });
    results.push(...getResults);

    context.log('ceiling: a bare node:http2 server with a fixed body');
    const ceiling = await startCeiling(navis.dataDir, children);
    const ceilingClient = await Client.open({ ...navis.creds, server: ceiling.url }, sessions);
    open.push(ceilingClient);
    await drive(clients, { seconds: 1 }, () => getFixed(ceilingClient));
    const bare = await measure(ceiling.child, () =>
      drive(clients, { seconds: getSeconds }, () => getFixed(ceilingClient)),
    );
    ceilingClient.close();
    await stopChild(ceiling.child, children);
    const ceilingWorkload = `a node:http2 createSecureServer (allowHTTP1, the navis serving cert, P-256) child process answering a fixed ${fixedBody.length}-byte JSON body; same client, ${clients} in flight for ${getSeconds} s, ${h2}`;
    results.push(
      ...figures(bare, {
        name: 'ceiling: bare node:http2 server, GET',
        workload: ceilingWorkload,
        unit: 'req/s',
      }),
      {
        name: 'gets vs ceiling',
        workload: 'navis gets/s as a share of the bare server req/s',
        figure: (100 * gets.count) / gets.seconds / (bare.count / bare.seconds),
        unit: '%',
      },
    );

    context.log(`lists: a namespace of ${listObjects} ConfigMaps, ${listClients} in flight`);
    await createNamespace(client, 'bench-list');
    await drive(clients, { total: listObjects }, (i) =>
      createConfigMap(client, 'bench-list', `cm-${i}`, payload),
    );
    const listPath = '/api/v1/namespaces/bench-list/configmaps';
    const first = await client.request('GET', listPath);
    const firstList = JSON.parse(first.body.toString('utf8')) as { items: { metadata: { name: string } }[] };
    // The root-CA publisher adds kube-root-ca.crt to every namespace: count only the bench's own.
    const own = firstList.items.filter((i) => i.metadata.name.startsWith('cm-')).length;
    if (first.status !== 200 || own !== listObjects) {
      throw new Error(`list returned ${first.status} with ${firstList.items.length} items`);
    }
    const listBytes = first.body.length;
    await drive(listClients, { seconds: 1 }, () => expect(client.request('GET', listPath), 200));
    const lists = await measure(navis.child, () =>
      drive(listClients, { seconds: listSeconds }, () => expect(client.request('GET', listPath), 200)),
    );
    results.push(
      ...figures(lists, {
        name: `lists of ${listObjects.toLocaleString('en-US')}, ${listClients} clients`,
        workload: `GET of a namespace holding exactly ${listObjects.toLocaleString('en-US')} ConfigMaps of 1 KiB data (${(listBytes / 1e6).toFixed(2)} MB JSON, no limit), ${listClients} in flight for ${listSeconds} s (64 would only queue: the server is saturated at 8), ${h2}`,
        unit: 'lists/s',
      }),
    );

    context.log(`watch: ${watchers} watchers, ${watchEvents} creates every ${watchIntervalMs} ms`);
    results.push(...(await watchFanOut(navis, context)));
    client.close();

    const crashed = navis.child.exitCode;
    if (crashed !== null) throw new Error(`navis server exited with ${crashed}: ${navis.child.tail()}`);
    await stopChild(navis.child, children);
    if (navis.child.problems.length > 0) {
      context.log(
        `server warnings/errors (${navis.child.problemCount}):\n${navis.child.problems.join('\n')}`,
      );
    }

    for (const alone of [true, false]) {
      const who = alone ? 'the API server alone' : 'the whole server';
      context.log(`memory: ${who}, ${rssObjects.toLocaleString('en-US')} small ConfigMaps`);
      results.push(...(await memory(tempDir(), children, context, open, { apiServerOnly: alone })));
    }
  } finally {
    for (const c of open) c.close();
    await Promise.all([...children].map((c) => stopChild(c, children)));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return results;
}
