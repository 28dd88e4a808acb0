// The scheduler core alone, no API server: pods/s through a Scheduler with an instant in-memory
// binder (which confirms the binding to the cache as an informer would). `npm run bench scheduler-core`.
// Figures only: the goals are end to end through the API, measured elsewhere.
import { Scheduler } from '../src/scheduler/index.ts';
import { makeNode, makePod } from '../src/scheduler/testing.ts';
import type { Pod } from '../src/scheduler/types.ts';
import type { BenchContext, BenchResult } from './run.ts';

const nodes = 5000;
const zones = 10;

async function measure(
  context: BenchContext,
  label: string,
  pods: Pod[],
): Promise<{ rate: number; bound: number }> {
  const byName = new Map(pods.map((p) => [p.metadata.name!, p]));
  let bound = 0;
  const sched: Scheduler = new Scheduler({
    binder: {
      bind: async (pod, node) => {
        const old = byName.get(pod.metadata.name!)!;
        bound++;
        sched.onPodUpdate(old, { ...old, spec: { ...old.spec, nodeName: node } });
      },
    },
  });
  for (let i = 0; i < nodes; i++) {
    sched.onNodeAdd(
      makeNode(`node-${i}`, {
        cpu: '4',
        memory: '32Gi',
        pods: '110',
        labels: { 'topology.kubernetes.io/zone': `zone-${i % zones}` },
      }),
    );
  }
  const ac = new AbortController();
  const running = sched.run(ac.signal);
  const started = performance.now();
  for (const p of pods) sched.onPodAdd(p);
  await sched.settle();
  const seconds = (performance.now() - started) / 1000;
  ac.abort();
  await running;
  context.log(`${label}: ${bound}/${pods.length} bound in ${seconds.toFixed(1)} s`);
  return { rate: bound / seconds, bound };
}

function owned(p: Pod, app: string): Pod {
  p.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, uid: app, controller: true },
  ];
  return p;
}

export async function run(context: BenchContext): Promise<BenchResult[]> {
  const small = Array.from({ length: 10_000 }, (_, i) =>
    owned(
      makePod(`small-${i}`, { cpu: '100m', memory: '128Mi', labels: { app: `app-${i % 100}` } }),
      `app-${i % 100}`,
    ),
  );
  const a = await measure(context, 'small requests', small);
  const spread = Array.from({ length: 5000 }, (_, i) => {
    const app = `svc-${i % 100}`;
    return owned(
      makePod(`spread-${i}`, {
        cpu: '100m',
        memory: '128Mi',
        labels: { app },
        spec: {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app } },
            },
          ],
        },
      }),
      app,
    );
  });
  const b = await measure(context, 'anti-affinity + spread', spread);
  return [
    {
      name: 'pods scheduled, small requests',
      workload: `${nodes} nodes (4 CPU, 32 GiB, 110 pods), 10,000 pods (100m, 128Mi), instant binder; ${a.bound} bound`,
      figure: a.rate,
      unit: 'pods/s',
    },
    {
      name: 'pods scheduled, anti-affinity + spread',
      workload: `${nodes} nodes in ${zones} zones, 5,000 pods in 100 apps: hostname anti-affinity + zone spread (maxSkew 1); ${b.bound} bound`,
      figure: b.rate,
      unit: 'pods/s',
    },
  ];
}
