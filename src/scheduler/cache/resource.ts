// framework.Resource and the pod request rules of k8s.io/component-helpers resource.PodRequests:
// regular containers and sidecars add up, ordinary init containers run one at a time (the max rule),
// and the RuntimeClass overhead comes on top. Quantities are parsed once into numbers: milli-CPU
// and bytes fit a double exactly.
import { parseQuantity, toMilli, toValue } from '../../api/quantity.ts';
import type { Container, Pod, ResourceList } from '../types.ts';

export const resourceCPU = 'cpu';
export const resourceMemory = 'memory';
export const resourceEphemeralStorage = 'ephemeral-storage';
export const resourcePods = 'pods';

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what scoring assumes when a request is missing. */
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources, hugepages, attachable volumes: whole units. */
  scalar = new Map<string, number>();

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list !== undefined) for (const [name, q] of Object.entries(list)) r.set(name, quantityOf(name, q));
    return r;
  }

  get(name: string): number {
    switch (name) {
      case resourceCPU:
        return this.milliCPU;
      case resourceMemory:
        return this.memory;
      case resourceEphemeralStorage:
        return this.ephemeralStorage;
      case resourcePods:
        return this.allowedPodNumber;
      default:
        return this.scalar.get(name) ?? 0;
    }
  }

  set(name: string, value: number): void {
    switch (name) {
      case resourceCPU:
        this.milliCPU = value;
        break;
      case resourceMemory:
        this.memory = value;
        break;
      case resourceEphemeralStorage:
        this.ephemeralStorage = value;
        break;
      case resourcePods:
        this.allowedPodNumber = value;
        break;
      default:
        this.scalar.set(name, value);
    }
  }

  add(other: Resource, sign = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    for (const [k, v] of other.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) + sign * v);
  }

  max(other: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, other.allowedPodNumber);
    for (const [k, v] of other.scalar) this.scalar.set(k, Math.max(this.scalar.get(k) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    if (this.scalar.size > 0) r.scalar = new Map(this.scalar);
    return r;
  }
}

function quantityOf(name: string, q: string): number {
  try {
    const parsed = parseQuantity(q);
    return Number(name === resourceCPU ? toMilli(parsed) : toValue(parsed));
  } catch {
    return 0; // the API server validated quantities; an unparsable one counts as nothing
  }
}

interface RequestOptions {
  /** Substitute the defaults for a missing cpu or memory request (NonMissingContainerRequests). */
  nonZero: boolean;
}

function containerRequests(c: Container, opts: RequestOptions): Resource {
  const requests = c.resources?.requests;
  const r = Resource.fromList(requests);
  if (opts.nonZero) {
    if (requests?.[resourceCPU] === undefined) r.milliCPU = defaultMilliCPURequest;
    if (requests?.[resourceMemory] === undefined) r.memory = defaultMemoryRequest;
  }
  return r;
}

/** resource.PodRequests: containers and sidecars summed, init containers by the max rule, plus overhead. */
export function podRequests(pod: Pod, opts: RequestOptions = { nonZero: false }): Resource {
  const reqs = new Resource();
  for (const c of pod.spec.containers ?? []) reqs.add(containerRequests(c, opts));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, opts);
    if (c.restartPolicy === 'Always') {
      reqs.add(r);
      sidecars.add(r);
      initMax.max(sidecars);
    } else {
      r.add(sidecars);
      initMax.max(r);
    }
  }
  reqs.max(initMax);
  if (pod.spec.overhead !== undefined) reqs.add(Resource.fromList(pod.spec.overhead));
  return reqs;
}
