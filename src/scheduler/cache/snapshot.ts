// internalcache.Snapshot: the read-only view one scheduling cycle works on. Plugins read it through
// the framework Handle; only the Cache writes it, in updateSnapshot.
import type { Node, Pod } from '../types.ts';
import { NodeInfo } from './node-info.ts';
import { PodIndex } from './pod-index.ts';

export class Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  /** All nodes, zone-interleaved like upstream's nodeTree, so the first N span the zones. */
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** Image name → how many nodes have it (ImageStateSummary.NumNodes). */
  imageNumNodes: ReadonlyMap<string, number> = new Map();
  /** The newest NodeInfo generation copied in. */
  generation = 0;
  /** The pods of every NodeInfo here, by label and affinity; Cache.updateSnapshot keeps it current. */
  readonly pods = new PodIndex();
  /** Per list of topology keys, the values of each key over the nodes that have all of them. */
  private domains = new Map<string, ReadonlySet<string>[]>();

  /** Nodes came, went or changed (labels): cached domains are stale. */
  nodesChanged(): void {
    if (this.domains.size > 0) this.domains = new Map();
  }

  /**
   * For each key, the distinct values it takes on the nodes carrying every one of the keys
   * (PodTopologySpread's domains), computed once per node set.
   */
  topologyDomains(keys: readonly string[]): readonly ReadonlySet<string>[] {
    const id = keys.join('\0');
    let d = this.domains.get(id);
    if (d !== undefined) return d;
    const sets = keys.map(() => new Set<string>());
    for (const ni of this.nodeInfoList) {
      const labels = ni.node?.metadata.labels;
      if (labels === undefined || !keys.every((k) => labels[k] !== undefined)) continue;
      for (let i = 0; i < keys.length; i++) sets[i]!.add(labels[keys[i]!]!);
    }
    this.domains.set(id, (d = sets));
    return d;
  }

  get(name: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(name);
  }

  get numNodes(): number {
    return this.nodeInfoList.length;
  }

  rebuildLists(order: readonly string[]): void {
    this.nodeInfoList = [];
    this.havePodsWithAffinityList = [];
    this.havePodsWithRequiredAntiAffinityList = [];
    for (const name of order) {
      const ni = this.nodeInfoMap.get(name);
      if (ni === undefined) continue;
      this.nodeInfoList.push(ni);
      if (ni.podsWithAffinity.length > 0) this.havePodsWithAffinityList.push(ni);
      if (ni.podsWithRequiredAntiAffinity.length > 0) this.havePodsWithRequiredAntiAffinityList.push(ni);
    }
  }

  /** A snapshot straight from objects, for tests and tools (internalcache.NewSnapshot). */
  static from(nodes: readonly Node[], pods: readonly Pod[] = []): Snapshot {
    const s = new Snapshot();
    for (const n of nodes) s.nodeInfoMap.set(n.metadata.name ?? '', new NodeInfo(n));
    const images = new Map<string, number>();
    for (const ni of s.nodeInfoMap.values()) {
      for (const img of ni.imageSizes.keys()) images.set(img, (images.get(img) ?? 0) + 1);
    }
    s.imageNumNodes = images;
    for (const p of pods) {
      const ni = p.spec.nodeName === undefined ? undefined : s.nodeInfoMap.get(p.spec.nodeName);
      ni?.addPod(p);
    }
    for (const ni of s.nodeInfoMap.values()) s.pods.replace(ni, [], ni.pods);
    s.rebuildLists([...s.nodeInfoMap.keys()]);
    return s;
  }
}
