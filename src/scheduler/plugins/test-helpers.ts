// A framework over an in-memory snapshot, for plugin tests.
import { Snapshot } from '../cache/snapshot.ts';
import { type KubeSchedulerProfile, resolveProfile } from '../framework/config.ts';
import { CycleState } from '../framework/cycle-state.ts';
import type { Listers } from '../framework/interface.ts';
import { Framework } from '../framework/runtime.ts';
import type { Status } from '../framework/status.ts';
import { FakeClock } from '../testing.ts';
import type { Node, Pod } from '../types.ts';
import { inTreeRegistry } from './registry.ts';

export function frameworkOver(
  nodes: Node[],
  pods: Pod[] = [],
  o: { profile?: KubeSchedulerProfile; listers?: Listers } = {},
): { fwk: Framework; snapshot: Snapshot } {
  const snapshot = Snapshot.from(nodes, pods);
  const fwk = new Framework({
    profile: resolveProfile(o.profile ?? {}, undefined),
    registry: inTreeRegistry(),
    snapshot: () => snapshot,
    binder: { bind: async () => {} },
    clock: new FakeClock(),
    nominator: { nominatedPodsForNode: () => [] },
    ...(o.listers ? { listers: o.listers } : {}),
  });
  return { fwk, snapshot };
}

/** PreFilter, then Filter on each node: node name → status (Success or the failing one). */
export function filterAll(fwk: Framework, snapshot: Snapshot, pod: Pod): Map<string, Status> {
  const state = new CycleState();
  const pre = fwk.runPreFilterPlugins(state, pod, snapshot.nodeInfoList);
  const out = new Map<string, Status>();
  for (const ni of snapshot.nodeInfoList) {
    out.set(ni.name, pre.status.code === 'Success' ? fwk.runFilterPlugins(state, pod, ni) : pre.status);
  }
  return out;
}

/** PreScore and Score over all nodes: node name → weighted total. */
export function scoreAll(fwk: Framework, snapshot: Snapshot, pod: Pod): Map<string, number> {
  const state = new CycleState();
  fwk.runPreFilterPlugins(state, pod, snapshot.nodeInfoList);
  const pre = fwk.runPreScorePlugins(state, pod, snapshot.nodeInfoList);
  if (pre.code !== 'Success') throw new Error(pre.reasons.join());
  const r = fwk.runScorePlugins(state, pod, snapshot.nodeInfoList);
  if (r.status.code !== 'Success') throw new Error(r.status.reasons.join());
  return new Map(r.scores.map((s) => [s.name, s.totalScore]));
}

/** A profile with only the named plugin (at every point it implements) and the binder. */
export function only(plugin: string, weight = 1): KubeSchedulerProfile {
  return {
    plugins: {
      multiPoint: {
        disabled: [{ name: '*' }],
        enabled: [{ name: plugin, weight }, { name: 'DefaultBinder' }],
      },
    },
  };
}
