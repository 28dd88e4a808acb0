// Deleting a terminating namespace's content (upstream's pkg/controller/namespace/deletion
// namespaced_resources_deleter.go): discover every namespaced resource that can be deleted,
// DELETE the collection where `deletecollection` is served (else list and delete each), list
// again to see what remains, record the deletion conditions, and once nothing is left remove the
// `kubernetes` finalizer through `namespaces/{name}/finalize`.
import { isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import { isConflict, isNotFound, reasonOf, resources, type RestClient } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import { type DiscoveredResource, discover, supportsAll } from '../garbage-collector/index.ts';
import { type DeletionReport, emptyReport, type NamespaceCondition, updateConditions } from './conditions.ts';

export const finalizerKubernetes = 'kubernetes';
/** How long to wait for content held by finalizers before looking again (upstream: 15 s). */
export const finalizerEstimateSeconds = 15;

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export interface DeleterOptions {
  readonly client: RestClient;
  readonly log: Logger;
  readonly now?: () => number;
}

/** Left to do after a pass: nothing, or look again after `estimateSeconds`. */
export type DeleteResult = { done: true } | { done: false; estimateSeconds: number };

export class NamespacedResourcesDeleter {
  private readonly client: RestClient;
  private readonly log: Logger;
  private readonly now: () => number;
  /** group/version/resource whose deletecollection or list the server refused (upstream's opCache). */
  private readonly unsupported = new Set<string>();

  constructor(options: DeleterOptions) {
    this.client = options.client;
    this.log = options.log;
    this.now = options.now ?? Date.now;
  }

  private get namespaces() {
    return this.client.resource<Namespace>(resources.namespaces);
  }

  /** One pass over a namespace (Delete): throws on errors, so the caller retries with backoff. */
  async delete(name: string, signal?: AbortSignal): Promise<DeleteResult> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name, { signal });
    } catch (e: unknown) {
      if (isNotFound(e)) return { done: true };
      throw e;
    }
    if (ns.metadata.deletionTimestamp === undefined) return { done: true };
    if (ns.status?.phase !== 'Terminating') {
      ns = await this.updateStatus(name, (s) =>
        s.phase === 'Terminating' ? undefined : { ...s, phase: 'Terminating' },
      );
    }
    if (!(ns.spec?.finalizers ?? []).includes(finalizerKubernetes)) return { done: true };
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp ?? '');
    const { estimate, report, errors } = await this.deleteAllContent(name, deletedAt, signal);
    const now = nowTimestamp(new Date(this.now()));
    await this.updateStatus(name, (s) => {
      const conditions = updateConditions(s.conditions ?? [], report, now);
      return conditions === undefined ? undefined : { ...s, conditions };
    });
    if (errors.length > 0) throw new Error(`namespace ${name}: ${errors.join('; ')}`);
    if (estimate > 0) return { done: false, estimateSeconds: estimate };
    await this.finalize(name);
    return { done: true };
  }

  private async deleteAllContent(
    namespace: string,
    deletedAt: number,
    signal?: AbortSignal,
  ): Promise<{ estimate: number; report: DeletionReport; errors: string[] }> {
    const report = emptyReport();
    const errors: string[] = [];
    const d = await discover(this.client, signal);
    for (const [gv, err] of d.failed) report.discoveryFailures.set(gv, err);
    if (d.failed.size > 0) errors.push(`discovery failed for ${[...d.failed.keys()].join(', ')}`);
    const deletable = d.preferred.filter((r) => r.namespaced && supportsAll(r, ['delete']));
    let estimate = 0;
    for (const r of deletable) {
      try {
        const result = await this.deleteResource(r, namespace, deletedAt, signal);
        estimate = Math.max(estimate, result.estimate);
        if (result.remaining > 0) {
          report.remaining.set(`${r.resource}.${r.group}`, result.remaining);
          for (const [f, n] of result.finalizers)
            report.finalizersRemaining.set(f, (report.finalizersRemaining.get(f) ?? 0) + n);
        }
      } catch (e: unknown) {
        const msg = e instanceof Error ? e.message : String(e);
        report.deleteContentErrors.push(msg);
        errors.push(msg);
      }
    }
    return { estimate, report, errors };
  }

  /** deleteAllContentForGroupVersionResource */
  private async deleteResource(
    r: DiscoveredResource,
    namespace: string,
    deletedAt: number,
    signal?: AbortSignal,
  ): Promise<{ estimate: number; remaining: number; finalizers: Map<string, number> }> {
    const client = this.client.resource<KubeObject>(r);
    const key = `${r.group}/${r.version}/${r.resource}`;
    const gvr = `${r.group}/${r.version}, Resource=${r.resource}`;
    let collected = false;
    if (supportsAll(r, ['deletecollection']) && !this.unsupported.has(`${key}/deletecollection`)) {
      try {
        await this.client.request({
          method: 'DELETE',
          path: client.path({ namespace }),
          body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
          signal,
        });
        collected = true;
      } catch (e: unknown) {
        if (!unsupportedError(e)) throw e;
        this.unsupported.add(`${key}/deletecollection`);
      }
    }
    const listable = supportsAll(r, ['list']) && !this.unsupported.has(`${key}/list`);
    if (!listable) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const list = async (): Promise<readonly KubeObject[]> => {
      try {
        return (await client.list({ namespace, signal })).items;
      } catch (e: unknown) {
        if (!unsupportedError(e)) throw e;
        this.unsupported.add(`${key}/list`);
        return [];
      }
    };
    if (!collected) {
      for (const item of await list()) {
        if (item.metadata.deletionTimestamp !== undefined) continue;
        try {
          await client.delete(item.metadata.name ?? '', {
            namespace,
            propagationPolicy: 'Background',
            signal,
          });
        } catch (e: unknown) {
          if (!unsupportedError(e)) throw e;
        }
      }
    }
    const remaining = await list();
    if (remaining.length === 0) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of remaining)
      for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    let estimate = r.group === '' && r.resource === 'pods' ? this.podEstimate(remaining, deletedAt) : 0;
    if (estimate === 0 && finalizers.size > 0) estimate = finalizerEstimateSeconds;
    if (estimate === 0) {
      // Objects still terminating gracefully: wait for their deadline.
      const deadlines = remaining
        .map((i) => Date.parse(i.metadata.deletionTimestamp ?? ''))
        .filter((t) => Number.isFinite(t));
      if (deadlines.length > 0)
        estimate = Math.max(1, Math.ceil((Math.max(...deadlines) - this.now()) / 1000));
    }
    if (estimate === 0) {
      throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvr}`);
    }
    this.log.debug('namespace content remaining', { namespace, resource: key, remaining: remaining.length });
    return { estimate, remaining: remaining.length, finalizers };
  }

  /** estimateGracefulTermination: the longest grace period of the pods still running. */
  private podEstimate(pods: readonly KubeObject[], deletedAt: number): number {
    let estimate = 0;
    for (const pod of pods) {
      const phase = isRecord(pod['status']) ? pod['status']['phase'] : undefined;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = isRecord(pod['spec']) ? pod['spec']['terminationGracePeriodSeconds'] : undefined;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    // Past the allowed time since the namespace was deleted: no point in waiting longer.
    if (Number.isFinite(deletedAt) && this.now() - deletedAt >= estimate * 1000) return 0;
    return estimate;
  }

  /** retryOnConflictError around an update of the namespace's status. */
  private async updateStatus(
    name: string,
    change: (status: NonNullable<Namespace['status']>) => Namespace['status'] | undefined,
  ): Promise<Namespace> {
    for (let attempt = 0; ; attempt++) {
      const ns = await this.namespaces.get(name);
      const status = change(ns.status ?? {});
      if (status === undefined) return ns;
      try {
        return await this.namespaces.updateStatus({ ...ns, status });
      } catch (e: unknown) {
        if (!isConflict(e) || attempt >= 4) throw e;
      }
    }
  }

  /** finalizeNamespace: removes `kubernetes` from spec.finalizers; the server then deletes it. */
  private async finalize(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let ns: Namespace;
      try {
        ns = await this.namespaces.get(name);
      } catch (e: unknown) {
        if (isNotFound(e)) return;
        throw e;
      }
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(finalizerKubernetes)) return;
      const next: Namespace = {
        ...ns,
        spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== finalizerKubernetes) },
      };
      try {
        await this.namespaces.writeSubresource(name, 'finalize', next, { method: 'PUT' });
        this.log.info('namespace finalized', { namespace: name });
        return;
      } catch (e: unknown) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= 4) throw e;
      }
    }
  }
}

/** NotFound or MethodNotAllowed: the server does not serve the verb here (not an error). */
function unsupportedError(e: unknown): boolean {
  return isNotFound(e) || reasonOf(e) === 'MethodNotAllowed';
}
