// internalcache.Snapshot: the read-only view one scheduling cycle works on. Plugins read it through
// the framework Handle; only the Cache writes it, in updateSnapshot.
import type { Node, Pod } from '../types.ts';
import { NodeInfo } from './node-info.ts';

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
    s.rebuildLists([...s.nodeInfoMap.keys()]);
    return s;
  }
}
