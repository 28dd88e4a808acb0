// Matching-pod counts per topology domain for PodTopologySpread's PreFilter and PreScore: from the
// snapshot's pod index when every selector has an equality key (only the pods carrying that label
// are looked at), else by walking every node as upstream does. Both give the same counts.
import type { NodeInfo } from '../../cache/node-info.ts';
import type { PodEntries } from '../../cache/pod-index.ts';
import type { Snapshot } from '../../cache/snapshot.ts';
import { labelHostname, type Pod } from '../../types.ts';
import {
  type Constraint,
  countMatching,
  inclusionChecker,
  nodeHasAllKeys,
  trivialInclusion,
} from './constraints.ts';

/** countPodsMatchSelector for one pod. */
function podMatches(pod: Pod, c: Constraint, namespace: string): boolean {
  const m = pod.metadata;
  return !m.deletionTimestamp && (m.namespace ?? 'default') === namespace && c.selector.matches(m.labels);
}

function candidatesOf(snapshot: Snapshot, constraints: readonly Constraint[]): PodEntries[] | undefined {
  const out: PodEntries[] = [];
  for (const c of constraints) {
    const e = snapshot.pods.candidates(c.selector);
    if (e === undefined) return undefined;
    out.push(e);
  }
  return out;
}

/** PreFilter's counts by walking the nodes: every eligible domain, with its matching pods. */
export function walkCounts(
  pod: Pod,
  constraints: readonly Constraint[],
  nodes: readonly NodeInfo[],
): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  const ns = pod.metadata.namespace ?? 'default';
  const included = inclusionChecker(pod, constraints);
  for (const ni of nodes) {
    const node = ni.node;
    if (node === undefined || !nodeHasAllKeys(node, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!included(node, c)) continue;
      const v = node.metadata.labels![c.topologyKey]!;
      const m = counts[i]!;
      m.set(v, (m.get(v) ?? 0) + countMatching(ni, c.selector, ns));
    }
  }
  return counts;
}

/**
 * PreFilter's counts from the index, when every node is eligible by the inclusion policies (so the
 * domains are the snapshot's cached ones) and every selector has an equality key; else undefined.
 */
export function indexedCounts(
  snapshot: Snapshot,
  pod: Pod,
  constraints: readonly Constraint[],
): Map<string, number>[] | undefined {
  if (!trivialInclusion(pod, constraints)) return undefined;
  const candidates = candidatesOf(snapshot, constraints);
  if (candidates === undefined) return undefined;
  const domains = snapshot.topologyDomains(constraints.map((c) => c.topologyKey));
  const ns = pod.metadata.namespace ?? 'default';
  return constraints.map((c, i) => {
    const m = new Map<string, number>();
    for (const v of domains[i]!) m.set(v, 0);
    for (const [pi, ni] of candidates[i]!) {
      const node = ni.node;
      if (node === undefined || !nodeHasAllKeys(node, constraints) || !podMatches(pi.pod, c, ns)) continue;
      const v = node.metadata.labels![c.topologyKey]!;
      m.set(v, m.get(v)! + 1);
    }
    return m;
  });
}

/**
 * PreScore's counts for the non-hostname constraints, into the domains of the filtered nodes
 * already present in `pairCounts` (every node with pods contributes, as upstream's processAllNode).
 */
export function countPairs(
  snapshot: Snapshot,
  pod: Pod,
  constraints: readonly Constraint[],
  requireAll: boolean,
  pairCounts: Map<string, number>[],
): void {
  const ns = pod.metadata.namespace ?? 'default';
  const included = inclusionChecker(pod, constraints);
  const eligible = (ni: NodeInfo, c: Constraint): string | undefined => {
    const node = ni.node;
    if (node === undefined || (requireAll && !nodeHasAllKeys(node, constraints)) || !included(node, c))
      return undefined;
    return node.metadata.labels?.[c.topologyKey];
  };
  const candidates = candidatesOf(
    snapshot,
    constraints.filter((c) => c.topologyKey !== labelHostname),
  );
  if (candidates !== undefined) {
    let j = 0;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (c.topologyKey === labelHostname) continue;
      const m = pairCounts[i]!;
      for (const [pi, ni] of candidates[j++]!) {
        const v = eligible(ni, c);
        const cur = v === undefined ? undefined : m.get(v);
        if (cur !== undefined && podMatches(pi.pod, c, ns)) m.set(v!, cur + 1);
      }
    }
    return;
  }
  for (const ni of snapshot.nodeInfoList) {
    if (ni.pods.length === 0) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (c.topologyKey === labelHostname) continue;
      const v = eligible(ni, c);
      const m = pairCounts[i]!;
      const cur = v === undefined ? undefined : m.get(v);
      if (cur !== undefined) m.set(v!, cur + countMatching(ni, c.selector, ns));
    }
  }
}
