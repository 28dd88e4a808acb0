// Subresources that are not the object itself: `scale` (autoscaling/v1 Scale over a workload's
// replica count, upstream's ScaleREST), `pods/binding` (the scheduler's write, BindingREST) and
// `pods/eviction` (a delete that respects PodDisruptionBudgets, EvictionREST).
import { isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import { labelSelectorAsSelector, selectorFromSet, selectorToString } from '../../api/labels.ts';
import type { FieldError } from '../../api/field-errors.ts';
import {
  badRequest,
  conflict,
  internalError,
  invalid,
  StatusError,
  tooManyRequests,
  unsupportedMediaType,
} from '../../api/status.ts';
import type { ScaleSubresource } from '../registry/types.ts';
import { type Handling, isFinalized, sendObject, unsupported } from './objects.ts';
import { deleteStored } from './delete.ts';
import { saveUpdate } from './write.ts';
import { mergePatch } from './patch.ts';

// ---- scale ----

function read(obj: KubeObject, path: string): unknown {
  let at: unknown = obj;
  for (const part of path.split('.').filter((p) => p !== '')) at = isRecord(at) ? at[part] : undefined;
  return at;
}

function write(obj: KubeObject, path: string, value: unknown): void {
  const parts = path.split('.').filter((p) => p !== '');
  let at: Record<string, unknown> = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(at[part])) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

/** The selector string of a workload: a LabelSelector, or a replication controller's label map. */
function selectorString(obj: KubeObject): string {
  const selector = read(obj, '.spec.selector');
  if (!isRecord(selector)) return '';
  try {
    if ('matchLabels' in selector || 'matchExpressions' in selector) {
      return selectorToString(labelSelectorAsSelector(selector));
    }
    return selectorToString(selectorFromSet(selector as Record<string, string>));
  } catch {
    return '';
  }
}

function toScale(scale: ScaleSubresource, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const metadata: Record<string, unknown> = { name: m.name };
  if (m.namespace !== undefined) metadata['namespace'] = m.namespace;
  Object.assign(metadata, {
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: m.creationTimestamp,
  });
  const status: Record<string, unknown> = { replicas: Number(read(obj, scale.statusReplicasPath) ?? 0) };
  const selector = selectorString(obj);
  if (selector !== '') status['selector'] = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: Number(read(obj, scale.specReplicasPath) ?? 0) },
    status,
  } as KubeObject;
}

async function current(h: Handling): Promise<KubeObject> {
  return h.served.objects.get(h.served.def.namespaced ? h.info.namespace : undefined, h.info.name);
}

export async function serveScale(h: Handling): Promise<void> {
  const scale = h.served.storageDef.scale!;
  switch (h.info.verb) {
    case 'get':
      h.ctx.send(200, toScale(scale, await current(h)));
      return;
    case 'update': {
      const body = await h.ctx.bodyObject();
      await applyScale(h, scale, body, await current(h));
      return;
    }
    case 'patch': {
      const type = h.ctx.header('content-type').split(';')[0]!.trim();
      if (type !== 'application/merge-patch+json') {
        throw new StatusError(unsupportedMediaType(['application/merge-patch+json']));
      }
      const patch = await h.ctx.bodyObject();
      const old = await current(h);
      const patched = mergePatch(toScale(scale, old), patch);
      if (!isRecord(patched)) throw new StatusError(badRequest('the patch must be an object'));
      await applyScale(h, scale, patched, old);
      return;
    }
    default:
      unsupported(h);
  }
}

async function applyScale(
  h: Handling,
  scale: ScaleSubresource,
  body: Record<string, unknown>,
  old: KubeObject,
): Promise<void> {
  if (body['kind'] !== 'Scale' || body['apiVersion'] !== 'autoscaling/v1') {
    throw new StatusError(
      badRequest(
        `the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (autoscaling/v1)`,
      ),
    );
  }
  const replicas = isRecord(body['spec']) ? body['spec']['replicas'] : undefined;
  const errors: FieldError[] = [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      badValue: replicas ?? null,
      detail: 'must be greater than or equal to 0',
    });
  }
  if (errors.length > 0) {
    throw new StatusError(invalid({ group: 'autoscaling', kind: 'Scale' }, h.info.name, errors));
  }
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  const next = structuredClone(old);
  write(next, scale.specReplicasPath, replicas);
  // A Scale that names a resourceVersion is a precondition on the object (upstream's scaleUpdatedObjectInfo).
  if (typeof meta['resourceVersion'] === 'string' && meta['resourceVersion'] !== '') {
    next.metadata.resourceVersion = meta['resourceVersion'];
  }
  const saved = await saveUpdate(h, next, old);
  h.ctx.send(200, toScale(scale, saved));
}

// ---- pods/binding ----

const success = (code: number): Record<string, unknown> => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  code,
});

/** Upstream's assignPod: set spec.nodeName once, add the PodScheduled condition, merge annotations. */
export async function bindPod(h: Handling): Promise<void> {
  if (h.info.verb !== 'create') unsupported(h);
  const body = await h.ctx.bodyObject();
  const target = isRecord(body['target']) ? body['target'] : {};
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  if (meta['name'] !== undefined && meta['name'] !== h.info.name) {
    throw new StatusError(
      badRequest(
        `the name of the object (${String(meta['name'])}) does not match the name on the URL (${h.info.name})`,
      ),
    );
  }
  const node = typeof target['name'] === 'string' ? target['name'] : '';
  const errors: FieldError[] = [];
  if (node === '')
    errors.push({ type: 'FieldValueRequired', field: 'target.name', badValue: '', detail: '' });
  if (target['kind'] !== undefined && target['kind'] !== '' && target['kind'] !== 'Node') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'target.kind',
      badValue: target['kind'],
      detail: 'supported values: "Node"',
    });
  }
  if (errors.length > 0) throw new StatusError(invalid({ group: '', kind: 'Binding' }, h.info.name, errors));
  const old = await current(h);
  const resource = { group: '', resource: 'pods' };
  if (old.metadata.deletionTimestamp !== undefined) {
    throw new StatusError(
      conflict(resource, h.info.name, `pod ${h.info.name} is being deleted, cannot be assigned to a host`),
    );
  }
  const spec = isRecord(old['spec']) ? old['spec'] : {};
  if (typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '') {
    throw new StatusError(
      conflict(resource, h.info.name, `pod ${h.info.name} is already assigned to node "${spec['nodeName']}"`),
    );
  }
  const next = structuredClone(old);
  (next['spec'] as Record<string, unknown>)['nodeName'] = node;
  if (isRecord(meta['annotations'])) {
    next.metadata.annotations = {
      ...next.metadata.annotations,
      ...(meta['annotations'] as Record<string, string>),
    };
  }
  const status = (isRecord(next['status']) ? next['status'] : {}) as Record<string, unknown>;
  const conditions = (Array.isArray(status['conditions']) ? status['conditions'] : []).filter(
    (c: unknown) => !(isRecord(c) && c['type'] === 'PodScheduled'),
  );
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: nowTimestamp(),
  });
  status['conditions'] = conditions;
  next['status'] = status;
  // Binding writes spec and status together, below the strategies that keep them apart.
  await h.served.objects.update(next, Number(old.metadata.resourceVersion));
  h.ctx.send(201, success(201));
}

// ---- pods/eviction ----

/**
 * Upstream's EvictionREST.Create: a pod covered by a PodDisruptionBudget is deleted only while the
 * budget allows a disruption, and the budget's allowance is spent in the same step.
 */
export async function evictPod(h: Handling): Promise<void> {
  if (h.info.verb !== 'create') unsupported(h);
  const body = await h.ctx.bodyObject();
  if (body['kind'] !== 'Eviction') {
    throw new StatusError(badRequest(`expected an Eviction, got ${String(body['kind'])}`));
  }
  const pod = await current(h);
  const phase = isRecord(pod['status']) ? pod['status']['phase'] : undefined;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const pdbs = h.registry.storage('policy', 'poddisruptionbudgets');
  if (!terminal && pod.metadata.deletionTimestamp === undefined && pdbs !== undefined) {
    const labels = pod.metadata.labels ?? {};
    const { items } = await pdbs.objects.list({ namespace: pod.metadata.namespace });
    const matching = items.filter((pdb) => {
      const selector = isRecord(pdb['spec']) ? pdb['spec']['selector'] : undefined;
      if (!isRecord(selector)) return false;
      try {
        const s = labelSelectorAsSelector(selector);
        // In policy/v1 an empty selector selects every pod in the namespace.
        return !s.matchesNothing && s.matches(labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1) {
      throw new StatusError(
        internalError(
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        ),
      );
    }
    const pdb = matching[0];
    if (pdb !== undefined) {
      const status = (isRecord(pdb['status']) ? pdb['status'] : {}) as Record<string, unknown>;
      const allowed = Number(status['disruptionsAllowed'] ?? 0);
      if (allowed <= 0) {
        const body = tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.");
        body.details = {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: `The disruption budget ${pdb.metadata.name ?? ''} needs ${Number(status['desiredHealthy'] ?? 0)} healthy pods and has ${Number(status['currentHealthy'] ?? 0)} currently`,
            },
          ],
        };
        throw new StatusError(body);
      }
      const spent = structuredClone(pdb);
      spent['status'] = {
        ...status,
        disruptionsAllowed: allowed - 1,
        disruptedPods: {
          ...(isRecord(status['disruptedPods']) ? status['disruptedPods'] : {}),
          [pod.metadata.name ?? '']: nowTimestamp(),
        },
      };
      await pdbs.objects.update(spent, Number(pdb.metadata.resourceVersion));
    }
  }
  const options = isRecord(body['deleteOptions']) ? body['deleteOptions'] : {};
  await deleteStored(h, pod, options);
  h.ctx.send(201, success(201));
}

// ---- namespaces/finalize ----

/**
 * Upstream's FinalizeREST: only `spec.finalizers` change. The namespace controller removes
 * `kubernetes` here once the namespace is empty; a namespace marked for deletion with no
 * finalizers left is then removed.
 */
export async function finalizeNamespace(h: Handling): Promise<void> {
  if (h.info.verb !== 'update') unsupported(h);
  const body = await h.ctx.bodyObject();
  const spec = isRecord(body['spec']) ? body['spec'] : {};
  const requested = spec['finalizers'] ?? [];
  if (!Array.isArray(requested) || requested.some((f) => typeof f !== 'string')) {
    throw new StatusError(badRequest('spec.finalizers must be a list of strings'));
  }
  const old = await current(h);
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  const expected =
    typeof meta['resourceVersion'] === 'string' && meta['resourceVersion'] !== ''
      ? Number(meta['resourceVersion'])
      : Number(old.metadata.resourceVersion);
  const next = structuredClone(old);
  next['spec'] = {
    ...(isRecord(old['spec']) ? old['spec'] : {}),
    finalizers: [...new Set(requested as string[])],
  };
  const saved = isFinalized(next)
    ? await h.served.objects.delete(undefined, h.info.name, expected)
    : await h.served.objects.update(next, expected);
  sendObject(h, 200, saved);
}
