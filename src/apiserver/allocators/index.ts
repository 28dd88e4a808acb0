// Service ClusterIP and NodePort allocation (upstream's pkg/registry/core/service/ipallocator,
// portallocator and their repair controllers): bitmaps in the store, repaired from the stored
// Services at start and every few minutes, and the Service storage hooks that use them.
import type { KubeObject } from '../../api/meta.ts';
import type { Logger } from '../../log.ts';
import { isStorageError, type Store } from '../../storage/index.ts';
import type { Registry } from '../registry/registry.ts';
import { BitmapAllocator } from './bitmap-allocator.ts';
import { parseCidr, parsePortRange } from './ip-range.ts';
import { RangeRepair } from './repair.ts';
import { heldClusterIPs, heldHealthCheckNodePort, heldNodePorts, readSpec } from './service-fields.ts';
import { type ServiceAllocators, serviceHooks } from './service-hooks.ts';

export { ensureKubernetesService, type KubernetesServiceOptions } from './kubernetes-service.ts';
export { parseCidr, parsePortRange } from './ip-range.ts';

/** Where the bitmaps live, the keys upstream uses in etcd. */
export const serviceIPsKey = '/registry/ranges/serviceips';
export const nodePortsKey = '/registry/ranges/servicenodeports';

/** upstream's repair interval (the controllers' 3 minutes). */
export const defaultRepairInterval = 3 * 60_000;

export interface ServiceAllocatorOptions {
  readonly registry: Registry;
  readonly store: Store;
  /** `--service-cidr`, e.g. 10.43.0.0/16. */
  readonly serviceCidr: string;
  /** `--service-node-port-range`, e.g. 30000-32767. */
  readonly nodePortRange: string;
  readonly log?: Logger;
  /** Milliseconds between repairs after the first; 0 repairs only at start. */
  readonly repairInterval?: number;
  /** Ends the periodic repair (it also ends once the store is closed). */
  readonly signal?: AbortSignal;
}

/** The node ports a Service holds, the health check port included. */
function heldPorts(svc: KubeObject): number[] {
  const s = readSpec(svc);
  const hc = heldHealthCheckNodePort(s);
  return [...new Set([...heldNodePorts(s), ...(hc === undefined ? [] : [hc])])];
}

/**
 * Repairs the ClusterIP and NodePort bitmaps from the stored Services, then installs the Service
 * storage hooks that allocate and release through them. Throws on a bad CIDR or port range.
 */
export async function installServiceAllocators(options: ServiceAllocatorOptions): Promise<void> {
  const { registry, store, log } = options;
  const services = registry.storage('', 'services');
  if (services === undefined)
    throw new Error('cannot install the service allocators: services are not served');
  const alloc: ServiceAllocators = {
    ips: new BitmapAllocator({ store, key: serviceIPsKey, range: parseCidr(options.serviceCidr) }),
    ports: new BitmapAllocator({ store, key: nodePortsKey, range: parsePortRange(options.nodePortRange) }),
  };
  const list = async (): Promise<KubeObject[]> => (await services.objects.list({})).items;
  const repairs = [
    new RangeRepair({ allocator: alloc.ips, list, held: heldClusterIPs, what: 'cluster IP', log }),
    new RangeRepair({ allocator: alloc.ports, list, held: heldPorts, what: 'node port', log }),
  ];
  for (const r of repairs) await r.runOnce();
  registry.setHooks('', 'services', serviceHooks(alloc));

  const interval = options.repairInterval ?? defaultRepairInterval;
  if (interval > 0 && options.signal?.aborted !== true) repairPeriodically(repairs, interval, options);
}

/** Reruns the repairs every `interval`, one pass at a time, until aborted or the store closes. */
function repairPeriodically(
  repairs: readonly { runOnce(): Promise<unknown> }[],
  interval: number,
  options: ServiceAllocatorOptions,
): void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => void pass(), interval);
    // The repair never keeps the process alive on its own.
    timer.unref();
  };
  const pass = async (): Promise<void> => {
    for (const r of repairs) {
      try {
        await r.runOnce();
      } catch (e: unknown) {
        if (isStorageError(e, 'closed')) return;
        options.log?.warn('service allocation repair failed', { error: String(e) });
      }
    }
    if (options.signal?.aborted !== true) schedule();
  };
  options.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
  schedule();
}
