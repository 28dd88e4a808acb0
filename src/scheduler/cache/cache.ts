// internalcache.Cache (pkg/scheduler/backend/cache/cache.go): the scheduler's own view of nodes and
// pods. Bound pods come from the informers; a pod the scheduler has chosen a node for is *assumed*
// at once, so the next cycle sees its resources taken before the binding is written, and is
// forgotten if the binding fails. NodeInfos sit in a list, most recently changed first, and
// updateSnapshot copies only those newer than the snapshot's generation.
import type { Logger } from '../../log.ts';
import { type Node, type Pod, podKey, podUid } from '../types.ts';
import { NodeInfo, nextGeneration, normalizedImageName } from './node-info.ts';
import type { Snapshot } from './snapshot.ts';

interface Item {
  info: NodeInfo;
  prev: Item | undefined;
  next: Item | undefined;
}

interface PodState {
  pod: Pod;
  assumed: boolean;
  bindingFinished: boolean;
}

export class CacheError extends Error {
  override readonly name = 'CacheError';
}

/** utilnode.GetZoneKey: region and zone, so the node order can interleave zones. */
function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

export class Cache {
  private readonly items = new Map<string, Item>();
  private head: Item | undefined;
  private readonly podStates = new Map<string, PodState>();
  /** nodeTree: zone → node names, to build the zone-interleaved order. */
  private readonly zones = new Map<string, string[]>();
  private readonly nodeZone = new Map<string, string>();
  private order: string[] | undefined;
  private orderChanged = true;
  private readonly imageNodes = new Map<string, Set<string>>();
  private imagesChanged = true;
  private readonly log: Logger | undefined;

  constructor(options: { logger?: Logger } = {}) {
    this.log = options.logger;
  }

  get nodeCount(): number {
    return this.nodeZone.size;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  private moveToHead(name: string): Item {
    let item = this.items.get(name);
    if (item === undefined) {
      item = { info: new NodeInfo(), prev: undefined, next: undefined };
      this.items.set(name, item);
    } else {
      if (item === this.head) return item;
      if (item.prev) item.prev.next = item.next;
      if (item.next) item.next.prev = item.prev;
      item.prev = undefined;
    }
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
    return item;
  }

  private unlink(name: string): void {
    const item = this.items.get(name);
    if (item === undefined) return;
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (item === this.head) this.head = item.next;
    this.items.delete(name);
  }

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const item = this.moveToHead(name);
    const old = item.info.node;
    this.setZone(name, zoneKey(node));
    this.updateImages(name, old, node);
    item.info.setNode(node);
  }

  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  /** A deleted node with pods still on it stays as a NodeInfo without a node until they go. */
  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const item = this.items.get(name);
    if (item === undefined) return;
    this.updateImages(name, item.info.node, undefined);
    if (item.info.pods.length === 0) this.unlink(name);
    else {
      item.info.node = undefined;
      item.info.generation = nextGeneration();
      this.moveToHead(name);
    }
    this.setZone(name, undefined);
  }

  private setZone(name: string, zone: string | undefined): void {
    const old = this.nodeZone.get(name);
    if (old === zone) return;
    if (old !== undefined) {
      const list = this.zones.get(old)!.filter((n) => n !== name);
      if (list.length === 0) this.zones.delete(old);
      else this.zones.set(old, list);
      this.nodeZone.delete(name);
    }
    if (zone !== undefined) {
      const list = this.zones.get(zone);
      if (list === undefined) this.zones.set(zone, [name]);
      else list.push(name);
      this.nodeZone.set(name, zone);
    }
    this.order = undefined;
    this.orderChanged = true;
  }

  private updateImages(name: string, old: Node | undefined, node: Node | undefined): void {
    const names = (n: Node | undefined): string[] =>
      (n?.status?.images ?? []).flatMap((i) => (i.names ?? []).map(normalizedImageName));
    for (const img of names(old)) this.imageNodes.get(img)?.delete(name);
    for (const img of names(node)) {
      let s = this.imageNodes.get(img);
      if (s === undefined) this.imageNodes.set(img, (s = new Set()));
      s.add(name);
    }
    if (old !== undefined || node !== undefined) this.imagesChanged = true;
  }

  /** nodeTree.list(): one node from each zone in turn. */
  private nodeOrder(): string[] {
    if (this.order !== undefined) return this.order;
    const zones = [...this.zones.values()];
    const out: string[] = [];
    for (let i = 0; out.length < this.nodeZone.size; i++) {
      for (const z of zones) if (i < z.length) out.push(z[i]!);
    }
    return (this.order = out);
  }

  private addToNode(pod: Pod): void {
    const item = this.moveToHead(pod.spec.nodeName ?? '');
    item.info.addPod(pod);
  }

  private removeFromNode(pod: Pod): void {
    const name = pod.spec.nodeName ?? '';
    const item = this.items.get(name);
    if (item === undefined || !item.info.removePod(pod)) {
      this.log?.warn('pod not found on its node in the scheduler cache', { pod: podKey(pod), node: name });
      return;
    }
    this.moveToHead(name);
    if (item.info.node === undefined && item.info.pods.length === 0) this.unlink(name);
  }

  /** AssumePod: the pod (with spec.nodeName set) counts on its node from now on. */
  assumePod(pod: Pod): void {
    const uid = podUid(pod);
    if (this.podStates.has(uid))
      throw new CacheError(`pod ${podKey(pod)} is in the cache, so can't be assumed`);
    this.addToNode(pod);
    this.podStates.set(uid, { pod, assumed: true, bindingFinished: false });
  }

  finishBinding(pod: Pod): void {
    const st = this.podStates.get(podUid(pod));
    if (st?.assumed) st.bindingFinished = true;
  }

  /** ForgetPod: the binding failed; give the node its resources back. */
  forgetPod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (st === undefined || !st.assumed) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(uid);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.podStates.get(podUid(pod))?.assumed ?? false;
  }

  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(podUid(pod))?.pod;
  }

  /** AddPod: a bound pod seen by the informer; confirms an assumed one. */
  addPod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (st !== undefined && !st.assumed) {
      this.updatePod(st.pod, pod);
      return;
    }
    if (st !== undefined) this.removeFromNode(st.pod);
    this.addToNode(pod);
    this.podStates.set(uid, { pod, assumed: false, bindingFinished: true });
  }

  updatePod(old: Pod, pod: Pod): void {
    const st = this.podStates.get(podUid(old));
    if (st === undefined || st.assumed) {
      this.addPod(pod);
      return;
    }
    this.removeFromNode(st.pod);
    this.addToNode(pod);
    st.pod = pod;
  }

  removePod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (st === undefined) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(uid);
  }

  /**
   * UpdateSnapshot: copy the NodeInfos changed since the snapshot's generation (walking the list
   * from the most recent), and rebuild the node lists only when nodes came or went or a node
   * started or stopped holding pods with affinity.
   */
  updateSnapshot(snapshot: Snapshot): void {
    const before = snapshot.generation;
    let updateAll = false;
    let updateAffinity = false;
    for (let item = this.head; item !== undefined; item = item.next) {
      if (item.info.generation <= before) break;
      const node = item.info.node;
      if (node === undefined) continue;
      const name = node.metadata.name ?? '';
      let existing = snapshot.nodeInfoMap.get(name);
      if (existing === undefined) {
        updateAll = true;
        existing = new NodeInfo();
        snapshot.nodeInfoMap.set(name, existing);
      } else if (
        existing.podsWithAffinity.length > 0 !== item.info.podsWithAffinity.length > 0 ||
        existing.podsWithRequiredAntiAffinity.length > 0 !== item.info.podsWithRequiredAntiAffinity.length > 0
      ) {
        updateAffinity = true;
      }
      if (existing.node !== item.info.node) snapshot.nodesChanged();
      if (existing.pods !== item.info.pods) snapshot.pods.replace(existing, existing.pods, item.info.pods);
      existing.copyFrom(item.info);
    }
    if (this.head !== undefined) snapshot.generation = Math.max(before, this.head.info.generation);
    if (snapshot.nodeInfoMap.size > this.nodeZone.size) {
      for (const name of snapshot.nodeInfoMap.keys()) {
        const gone = this.items.get(name)?.info.node === undefined;
        if (gone) for (const pi of snapshot.nodeInfoMap.get(name)!.pods) snapshot.pods.remove(pi);
        if (gone) snapshot.nodeInfoMap.delete(name);
      }
      updateAll = true;
    }
    if (updateAll || this.orderChanged) snapshot.nodesChanged();
    if (updateAll || updateAffinity || this.orderChanged) {
      this.orderChanged = false;
      snapshot.rebuildLists(this.nodeOrder());
    }
    if (this.imagesChanged) {
      snapshot.imageNumNodes = new Map([...this.imageNodes].map(([k, v]) => [k, v.size]));
      this.imagesChanged = false;
    }
  }
}
