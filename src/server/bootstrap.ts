// Objects every cluster has from its first start (upstream's bootstrap controllers): the system
// namespaces. Created through the registry's storage, idempotently, on every start.
import { randomUUID } from 'node:crypto';
import { nowTimestamp } from '../api/meta.ts';
import { isStatusReason } from '../api/status.ts';
import type { Registry } from '../apiserver/registry/registry.ts';
import { systemPriorityClasses } from '../apiserver/admission/priority.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export async function bootstrapObjects(registry: Registry): Promise<void> {
  await bootstrapPriorityClasses(registry);
  const ns = registry.storage('', 'namespaces');
  if (ns === undefined) return;
  for (const name of systemNamespaces) {
    const obj = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: nowTimestamp(),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    try {
      await ns.objects.create(obj);
    } catch (e: unknown) {
      // Already there from an earlier start: fine.
      if (!isStatusReason(e, 'AlreadyExists')) throw e;
    }
  }
}

/** The two system PriorityClasses every cluster has (upstream's scheduling bootstrap). */
async function bootstrapPriorityClasses(registry: Registry): Promise<void> {
  const pcs = registry.storage('scheduling.k8s.io', 'priorityclasses');
  if (pcs === undefined) return;
  for (const pc of systemPriorityClasses) {
    try {
      await pcs.objects.create({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: pc.name, uid: randomUUID(), creationTimestamp: nowTimestamp(), generation: 1 },
        value: pc.value,
        description: pc.description,
        preemptionPolicy: 'PreemptLowerPriority',
      });
    } catch (e: unknown) {
      if (!isStatusReason(e, 'AlreadyExists')) throw e;
    }
  }
}
