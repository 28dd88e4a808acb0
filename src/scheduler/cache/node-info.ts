// framework.NodeInfo (pkg/scheduler/framework/types.go): a node with the pods the scheduler believes
// are on it (bound and assumed), their summed requests, the host ports they hold, and the pods that
// carry (anti-)affinity, which InterPodAffinity walks. Every change takes a new generation, which is
// how Cache.updateSnapshot finds the NodeInfos it must copy.
import { podUid, type Pod, type Node } from '../types.ts';
import { hasAffinity, type HostPort, podInfoOf, type PodInfo } from './pod-info.ts';
import { Resource } from './resource.ts';

let generation = 0;
/** nextGeneration: one counter for every NodeInfo, as upstream's atomic generation. */
export function nextGeneration(): number {
  return ++generation;
}

/** framework.HostPortInfo: ip → "protocol/port" in use; 0.0.0.0 conflicts with every address. */
export class HostPortInfo {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    let m = this.byIp.get(p.ip);
    if (m === undefined) this.byIp.set(p.ip, (m = new Map()));
    const k = `${p.protocol}/${p.port}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const m = this.byIp.get(p.ip);
    const k = `${p.protocol}/${p.port}`;
    const n = m?.get(k);
    if (m === undefined || n === undefined) return;
    if (n > 1) m.set(k, n - 1);
    else m.delete(k);
    if (m.size === 0) this.byIp.delete(p.ip);
  }

  conflicts(p: HostPort): boolean {
    const k = `${p.protocol}/${p.port}`;
    if (p.ip === '0.0.0.0') {
      for (const m of this.byIp.values()) if (m.has(k)) return true;
      return false;
    }
    return (this.byIp.get(p.ip)?.has(k) ?? false) || (this.byIp.get('0.0.0.0')?.has(k) ?? false);
  }

  get size(): number {
    return this.byIp.size;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIp) c.byIp.set(ip, new Map(m));
    return c;
  }
}

export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested = new Resource();
  /** Requests with the cpu/memory defaults for missing ones, for scoring. */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** Image name → size in bytes, from node.status.images. */
  imageSizes: ReadonlyMap<string, number> = new Map();
  generation = nextGeneration();

  constructor(node?: Node) {
    if (node !== undefined) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = Resource.fromList(node.status?.allocatable);
    const images = new Map<string, number>();
    for (const img of node.status?.images ?? []) {
      for (const name of img.names ?? []) images.set(normalizedImageName(name), img.sizeBytes ?? 0);
    }
    this.imageSizes = images;
    this.generation = nextGeneration();
  }

  addPod(pod: Pod): void {
    this.addPodInfo(podInfoOf(pod));
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (hasAffinity(pi)) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** Removes the pod with this pod's UID; false when it was not on the node. */
  removePod(pod: Pod): boolean {
    const uid = podUid(pod);
    const i = this.pods.findIndex((p) => podUid(p.pod) === uid);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    const drop = (list: PodInfo[]): PodInfo[] => (list.includes(pi) ? list.filter((p) => p !== pi) : list);
    this.podsWithAffinity = drop(this.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = drop(this.podsWithRequiredAntiAffinity);
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroRequests.memory;
    for (const p of pi.hostPorts) {
      if (sign > 0) this.usedPorts.add(p);
      else this.usedPorts.remove(p);
    }
    this.generation = nextGeneration();
  }

  /** NodeInfo.Snapshot: a copy whose lists and sums can change without touching this one. */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.copyFrom(this);
    return c;
  }

  /** Overwrites this NodeInfo in place, so that lists holding it stay valid (UpdateSnapshot's `*existing = *clone`). */
  copyFrom(o: NodeInfo): void {
    this.node = o.node;
    this.pods = o.pods.slice();
    this.podsWithAffinity = o.podsWithAffinity.slice();
    this.podsWithRequiredAntiAffinity = o.podsWithRequiredAntiAffinity.slice();
    this.usedPorts = o.usedPorts.size === 0 ? new HostPortInfo() : o.usedPorts.clone();
    this.requested = o.requested.clone();
    this.nonZeroRequested = o.nonZeroRequested.clone();
    this.allocatable = o.allocatable; // replaced, never mutated
    this.imageSizes = o.imageSizes;
    this.generation = o.generation;
  }
}

/** imagelocality normalizedImageName: a name without a tag or digest means ":latest". */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (tail.includes(':') || name.includes('@')) return name;
  return `${name}:latest`;
}
