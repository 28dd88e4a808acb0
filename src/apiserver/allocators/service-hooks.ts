// The Service storage hooks: ClusterIP and NodePort allocation around the store write, as
// upstream's service REST storage does it (pkg/registry/core/service/storage/alloc.go,
// allocateCreate / allocateUpdate / releaseAllocatedResources). What a write reserves is released
// again by `undo`; what an update frees is only released by `commit`, once the write is stored.
import { invalid as invalidField, type FieldError } from '../../api/field-errors.ts';
import type { KubeObject } from '../../api/meta.ts';
import { internalError, invalid, StatusError } from '../../api/status.ts';
import type { HookResult, StorageHooks } from '../registry/types.ts';
import { type Allocation, AllocationError, type BitmapAllocator } from './bitmap-allocator.ts';
import {
  checkIPFamilies,
  heldClusterIPs,
  heldHealthCheckNodePort,
  heldNodePorts,
  needsHealthCheck,
  needsNodePorts,
  nodePortOf,
  portsOf,
  readSpec,
  requestedClusterIPs,
  type ServiceSpec,
  shouldAllocateNodePorts,
  specOf,
  typeOf,
} from './service-fields.ts';

export interface ServiceAllocators {
  readonly ips: BitmapAllocator<string>;
  readonly ports: BitmapAllocator<number>;
}

function invalidService(obj: KubeObject, errors: FieldError[]): StatusError {
  return new StatusError(invalid({ group: '', kind: 'Service' }, obj.metadata.name ?? '', errors));
}

/** What one write reserved (undone on failure) and what it frees (released on commit). */
class Transaction {
  readonly reservedIPs: string[] = [];
  readonly reservedPorts: number[] = [];
  readonly freedIPs: string[] = [];
  readonly freedPorts: number[] = [];
  private readonly alloc: ServiceAllocators;
  readonly dryRun: boolean;

  constructor(alloc: ServiceAllocators, dryRun: boolean) {
    this.alloc = alloc;
    this.dryRun = dryRun;
  }

  async undo(): Promise<void> {
    if (this.dryRun) return;
    await this.alloc.ips.release(...this.reservedIPs);
    await this.alloc.ports.release(...this.reservedPorts);
  }

  result(): HookResult {
    return {
      commit: async () => {
        if (this.dryRun) return;
        // A value freed and reserved again by the same write stays reserved.
        await this.alloc.ips.release(...this.freedIPs.filter((ip) => !this.reservedIPs.includes(ip)));
        await this.alloc.ports.release(...this.freedPorts.filter((p) => !this.reservedPorts.includes(p)));
      },
      undo: () => this.undo(),
    };
  }
}

/** allocClusterIPs: a requested address exactly, or a free one; none for headless services. */
async function allocClusterIP(obj: KubeObject, alloc: ServiceAllocators, txn: Transaction): Promise<void> {
  const s = specOf(obj);
  const requested = requestedClusterIPs(s);
  const ip = requested[0] ?? '';
  if (ip === 'None') {
    s.clusterIP = 'None';
    s.clusterIPs = ['None'];
    return;
  }
  let allocated: string;
  try {
    allocated = await alloc.ips.update((a) => (ip === '' ? a.allocateNext() : a.allocate(ip)), {
      dryRun: txn.dryRun,
    });
  } catch (e: unknown) {
    if (!(e instanceof AllocationError)) throw e;
    if (ip === '') throw new StatusError(internalError(`failed to allocate a serviceIP: ${e.message}`));
    throw invalidService(obj, [
      invalidField('spec.clusterIPs', requested, `failed to allocate IP ${ip}: ${e.message}`),
    ]);
  }
  if (!txn.dryRun) txn.reservedIPs.push(allocated);
  s.clusterIP = allocated;
  s.clusterIPs = [allocated];
}

/** The node ports a write ends up with: one per service port (0: none) and the health check port. */
interface PortPlan {
  readonly nodePorts: number[];
  healthCheck: number | undefined;
  readonly reserved: number[];
  readonly freed: number[];
}

function portError(obj: KubeObject, i: number, port: number, e: unknown): unknown {
  if (!(e instanceof AllocationError)) return e;
  return invalidService(obj, [invalidField(`spec.ports[${i}].nodePort`, port, e.message)]);
}

function allocateNextPort(a: Allocation<number>, what: string): number {
  try {
    return a.allocateNext();
  } catch (e: unknown) {
    if (e instanceof AllocationError)
      throw new StatusError(internalError(`failed to allocate ${what}: ${e.message}`));
    throw e;
  }
}

/** initNodePorts: ports with the same port number (TCP and UDP 53) share one node port. */
function planCreateNodePorts(obj: KubeObject, s: ServiceSpec, a: Allocation<number>, plan: PortPlan): void {
  const ports = portsOf(s);
  const np = plan.nodePorts;
  const byPort = new Map<unknown, number>();
  ports.forEach((p, i) => {
    if (np[i] === 0 && !shouldAllocateNodePorts(s)) return;
    const shared = byPort.get(p.port) ?? 0;
    if (shared === 0) {
      const requested = np.find((n, j) => n !== 0 && ports[j]!.port === p.port) ?? 0;
      if (requested !== 0) {
        try {
          plan.reserved.push(a.allocate(requested));
        } catch (e: unknown) {
          throw portError(obj, i, requested, e);
        }
        np[i] = requested;
      } else {
        np[i] = allocateNextPort(a, 'a nodePort');
        plan.reserved.push(np[i]);
      }
      byPort.set(p.port, np[i]);
    } else if (np[i] !== shared) {
      if (np[i] === 0) np[i] = shared;
      else {
        try {
          plan.reserved.push(a.allocate(np[i]!));
        } catch (e: unknown) {
          throw portError(obj, i, np[i]!, e);
        }
      }
    }
  });
}

/** updateNodePorts: keep the old service's node ports, reserve new ones, free the dropped ones. */
function planUpdateNodePorts(
  obj: KubeObject,
  s: ServiceSpec,
  old: ServiceSpec,
  a: Allocation<number>,
  plan: PortPlan,
): void {
  const oldPorts = heldNodePorts(old);
  const np = plan.nodePorts;
  const reservedHere = new Set<number>();
  const seen = new Set<string>();
  portsOf(s).forEach((p, i) => {
    if (np[i] === 0 && !shouldAllocateNodePorts(s)) return;
    if (np[i] !== 0) {
      const port = np[i]!;
      if (!oldPorts.includes(port) && !reservedHere.has(port)) {
        try {
          plan.reserved.push(a.allocate(port));
        } catch (e: unknown) {
          throw portError(obj, i, port, e);
        }
        reservedHere.add(port);
      }
    } else {
      np[i] = allocateNextPort(a, 'a nodePort');
      plan.reserved.push(np[i]);
    }
    const key = `{${p.protocol ?? 'TCP'} ${np[i]}}`;
    if (seen.has(key)) throw new StatusError(internalError(`duplicate nodePort: ${key}`));
    seen.add(key);
  });
  plan.freed.push(...oldPorts.filter((port) => !np.includes(port)));
}

/** allocHealthCheckNodePort: the requested port or a free one; failures are internal errors upstream. */
function allocHealthCheck(a: Allocation<number>, plan: PortPlan): void {
  const requested = plan.healthCheck ?? 0;
  if (requested === 0) {
    plan.healthCheck = allocateNextPort(a, 'a HealthCheck NodePort 0');
    plan.reserved.push(plan.healthCheck);
    return;
  }
  try {
    plan.reserved.push(a.allocate(requested));
  } catch (e: unknown) {
    if (!(e instanceof AllocationError)) throw e;
    throw new StatusError(
      internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${e.message}`),
    );
  }
}

/** Node ports for a create (old undefined) or an update, in one write to the port bitmap. */
async function allocNodePorts(
  obj: KubeObject,
  old: KubeObject | undefined,
  alloc: ServiceAllocators,
  txn: Transaction,
): Promise<void> {
  const s = specOf(obj);
  const o = old === undefined ? undefined : readSpec(old);
  const hcRequested = typeof s.healthCheckNodePort === 'number' ? s.healthCheckNodePort : 0;
  const plan = await alloc.ports.update(
    (a) => {
      // Planned on copies: a conflict reruns this from a fresh read.
      const plan: PortPlan = {
        nodePorts: portsOf(s).map(nodePortOf),
        healthCheck: hcRequested,
        reserved: [],
        freed: [],
      };
      if (o === undefined) {
        if (needsNodePorts(s)) planCreateNodePorts(obj, s, a, plan);
        if (needsHealthCheck(s)) allocHealthCheck(a, plan);
        return plan;
      }
      if (needsNodePorts(o) && ['ExternalName', 'ClusterIP'].includes(typeOf(s)))
        plan.freed.push(...heldNodePorts(o));
      if (needsNodePorts(s)) planUpdateNodePorts(obj, s, o, a, plan);
      if (!needsHealthCheck(o) && needsHealthCheck(s)) allocHealthCheck(a, plan);
      const oldHealthCheck = heldHealthCheckNodePort(o);
      if (oldHealthCheck !== undefined && !needsHealthCheck(s)) plan.freed.push(oldHealthCheck);
      return plan;
    },
    { dryRun: txn.dryRun },
  );
  portsOf(s).forEach((p, i) => {
    const port = plan.nodePorts[i] ?? 0;
    if (port !== 0) p.nodePort = port;
  });
  if (plan.healthCheck !== undefined && plan.healthCheck !== 0) s.healthCheckNodePort = plan.healthCheck;
  if (!txn.dryRun) txn.reservedPorts.push(...plan.reserved);
  txn.freedPorts.push(...plan.freed);
}

function checkFamilies(obj: KubeObject, old: KubeObject | undefined): void {
  const errors = checkIPFamilies(specOf(obj), old === undefined ? undefined : readSpec(old));
  if (errors.length > 0) throw invalidService(obj, errors);
}

export function serviceHooks(alloc: ServiceAllocators): StorageHooks {
  return {
    async beforeCreate(obj, { dryRun }) {
      checkFamilies(obj, undefined);
      const txn = new Transaction(alloc, dryRun);
      try {
        if (typeOf(specOf(obj)) !== 'ExternalName') await allocClusterIP(obj, alloc, txn);
        await allocNodePorts(obj, undefined, alloc, txn);
      } catch (e: unknown) {
        await txn.undo();
        throw e;
      }
      return txn.result();
    },

    async beforeUpdate(obj, old, { dryRun }) {
      checkFamilies(obj, old);
      const txn = new Transaction(alloc, dryRun);
      const s = specOf(obj);
      const o = readSpec(old);
      try {
        // ExternalName -> a type with a ClusterIP: allocate; the other way: free the old one.
        if (typeOf(o) === 'ExternalName' && typeOf(s) !== 'ExternalName')
          await allocClusterIP(obj, alloc, txn);
        else if (typeOf(o) !== 'ExternalName' && typeOf(s) === 'ExternalName')
          txn.freedIPs.push(...heldClusterIPs(old));
        await allocNodePorts(obj, old, alloc, txn);
      } catch (e: unknown) {
        await txn.undo();
        throw e;
      }
      return txn.result();
    },

    /** releaseAllocatedResources: everything the deleted service held. */
    async afterDelete(obj) {
      const s = readSpec(obj);
      await alloc.ips.release(...heldClusterIPs(obj));
      const hc = heldHealthCheckNodePort(s);
      await alloc.ports.release(...heldNodePorts(s), ...(hc === undefined ? [] : [hc]));
    },
  };
}
