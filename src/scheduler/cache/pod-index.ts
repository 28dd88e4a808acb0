// An index over a snapshot's pods, kept up to date as Cache.updateSnapshot copies changed NodeInfos,
// so that PodTopologySpread and InterPodAffinity count matching pods per topology domain without
// walking every node each cycle (upstream walks all nodes 16 ways in parallel; we have one thread).
// Lookups return supersets: callers still apply the full selector / term match, so results are the
// same as a full walk, only cheaper. A selector without an equality requirement has no candidates
// here and callers fall back to the walk.
import type { Selector } from '../../api/labels.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';

/** Pod → the snapshot NodeInfo holding it. */
export type PodEntries = ReadonlyMap<PodInfo, NodeInfo>;

const noEntries: PodEntries = new Map();
const equalityKeys = new WeakMap<Selector, string | null>();

/**
 * The "key\0value" of a requirement every matching object must satisfy (=, == or a one-value in),
 * memoized per compiled selector; null when there is none. A selector matching nothing gives "".
 */
export function equalityKey(selector: Selector): string | null {
  let k = equalityKeys.get(selector);
  if (k !== undefined) return k;
  k = null;
  if (selector.matchesNothing) k = '';
  else {
    for (const r of selector.requirements) {
      const eq = r.operator === '=' || r.operator === '==' || r.operator === 'in';
      if (eq && r.values.length === 1) {
        k = `${r.key}\0${r.values[0]!}`;
        break;
      }
    }
  }
  equalityKeys.set(selector, k);
  return k;
}

function addTo(m: Map<string, Map<PodInfo, NodeInfo>>, key: string, pi: PodInfo, ni: NodeInfo): void {
  let e = m.get(key);
  if (e === undefined) m.set(key, (e = new Map()));
  e.set(pi, ni);
}

function removeFrom(m: Map<string, Map<PodInfo, NodeInfo>>, key: string, pi: PodInfo): void {
  const e = m.get(key);
  if (e === undefined) return;
  e.delete(pi);
  if (e.size === 0) m.delete(key);
}

/** Pods whose terms score other pods: required affinity (hardPodAffinityWeight), preferred either way. */
function scoresOthers(pi: PodInfo): boolean {
  return (
    pi.requiredAffinityTerms.length > 0 ||
    pi.preferredAffinityTerms.length > 0 ||
    pi.preferredAntiAffinityTerms.length > 0
  );
}

export class PodIndex {
  /** "key\0value" of every pod label → the pods carrying it. */
  private readonly byLabel = new Map<string, Map<PodInfo, NodeInfo>>();
  /** Pods with required anti-affinity, by each term's equality key ("*" when a term has none). */
  private readonly antiByLabel = new Map<string, Map<PodInfo, NodeInfo>>();
  private readonly scoring = new Map<PodInfo, NodeInfo>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Pods with required affinity or preferred (anti-)affinity terms, which InterPodAffinity scores with. */
  get podsScoringOthers(): PodEntries {
    return this.scoring;
  }

  add(pi: PodInfo, ni: NodeInfo): void {
    this.count++;
    const labels = pi.pod.metadata.labels;
    if (labels !== undefined) for (const k in labels) addTo(this.byLabel, `${k}\0${labels[k]!}`, pi, ni);
    for (const key of this.antiKeys(pi)) addTo(this.antiByLabel, key, pi, ni);
    if (scoresOthers(pi)) this.scoring.set(pi, ni);
  }

  remove(pi: PodInfo): void {
    this.count--;
    const labels = pi.pod.metadata.labels;
    if (labels !== undefined) for (const k in labels) removeFrom(this.byLabel, `${k}\0${labels[k]!}`, pi);
    for (const key of this.antiKeys(pi)) removeFrom(this.antiByLabel, key, pi);
    this.scoring.delete(pi);
  }

  /** A NodeInfo's pods changed from `before` to `after` (PodInfos are shared, so identity tells). */
  replace(ni: NodeInfo, before: readonly PodInfo[], after: readonly PodInfo[]): void {
    if (before.length === 0) {
      for (const pi of after) this.add(pi, ni);
      return;
    }
    const old = new Set(before);
    for (const pi of after) {
      if (!old.delete(pi)) this.add(pi, ni);
    }
    for (const pi of old) this.remove(pi);
  }

  /** Every pod that can match the selector, or undefined when the selector has no equality key. */
  candidates(selector: Selector): PodEntries | undefined {
    const key = equalityKey(selector);
    if (key === null) return undefined;
    return key === '' ? noEntries : (this.byLabel.get(key) ?? noEntries);
  }

  /**
   * The pods with a required anti-affinity term that may match a pod with these labels: those
   * whose term requires one of the labels, and those whose term has no equality key.
   */
  antiAffinityCandidates(labels: Readonly<Record<string, string>> | undefined): PodEntries {
    const out = new Map<PodInfo, NodeInfo>();
    const add = (e: PodEntries | undefined): void => {
      if (e !== undefined) for (const [pi, ni] of e) out.set(pi, ni);
    };
    add(this.antiByLabel.get('*'));
    if (labels !== undefined) for (const k in labels) add(this.antiByLabel.get(`${k}\0${labels[k]!}`));
    return out;
  }

  /** The distinct index keys of a pod's required anti-affinity terms. */
  private antiKeys(pi: PodInfo): Set<string> {
    const keys = new Set<string>();
    for (const t of pi.requiredAntiAffinityTerms) {
      const k = equalityKey(t.selector);
      if (k !== '') keys.add(k ?? '*'); // a term matching nothing never matches: not indexed
    }
    return keys;
  }
}
