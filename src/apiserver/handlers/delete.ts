// The delete verbs (upstream's generic registry Store.Delete/DeleteCollection): preconditions,
// graceful deletion, the garbage collector's finalizers, finalizer waits and removal.
import { groupVersionString, isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import { badRequest, conflict, StatusError } from '../../api/status.ts';
import { listFilter, listOptions } from '../rest/selectors.ts';
import { type Handling, withTypeMeta, namespaceOf, isDryRun, sendObject } from './objects.ts';

export async function deleteObject(h: Handling): Promise<void> {
  const options = await deleteOptions(h);
  const old = await h.served.objects.get(namespaceOf(h), h.info.name);
  const result = await deleteStored(h, old, options);
  sendObject(h, 200, result);
}

/** DeleteOptions from the body (JSON, YAML or protobuf, or none) and the query. */
async function deleteOptions(h: Handling): Promise<Record<string, unknown>> {
  const options = (await h.ctx.body()).length > 0 ? await h.ctx.bodyObject() : {};
  for (const [name, value] of h.ctx.query) {
    if (name === 'gracePeriodSeconds') options['gracePeriodSeconds'] = Number(value);
    if (name === 'propagationPolicy') options['propagationPolicy'] = value;
  }
  return options;
}

/**
 * DELETE on a collection (upstream's DeleteCollection): every object the selectors match, each
 * deleted as a single delete would be; the answer is the list of what was deleted.
 */
export async function deleteCollection(h: Handling): Promise<void> {
  const { def, storageDef, objects } = h.served;
  const options = await deleteOptions(h);
  const opts = listOptions(h.ctx.query, storageDef, '', def.fieldLabels);
  const deleted: KubeObject[] = [];
  let revision = 0;
  for await (const page of objects.scan({
    namespace: namespaceOf(h),
    filter: listFilter(storageDef, opts),
  })) {
    revision = page.revision;
    for (const obj of page.items) {
      try {
        deleted.push(await deleteStored(h, obj, options));
      } catch (e: unknown) {
        // Gone or changed since the list: someone else deleted it; not an error for the collection.
        if (!(e instanceof StatusError && (e.status.code === 404 || e.status.code === 409))) throw e;
      }
    }
  }
  h.ctx.send(200, {
    kind: `${def.kind}List`,
    apiVersion: groupVersionString(def.group, def.version),
    metadata: { resourceVersion: String(revision) },
    items: deleted.map((o) => withTypeMeta(def, o)),
  });
}

/**
 * Deletes `old` as DeleteOptions say (upstream's generic Store.Delete): preconditions, then a
 * graceful delete (only marked, with a deadline), a finalizer wait (only marked), or removal.
 */
export async function deleteStored(
  h: Handling,
  old: KubeObject,
  options: Record<string, unknown>,
): Promise<KubeObject> {
  const { storageDef: def, objects } = h.served;
  const name = old.metadata.name ?? '';
  const pre = isRecord(options['preconditions']) ? options['preconditions'] : {};
  if (typeof pre['uid'] === 'string' && pre['uid'] !== old.metadata.uid) {
    throw new StatusError(
      conflict(
        { group: def.group, resource: def.resource },
        name,
        `Precondition failed: UID in precondition: ${pre['uid']}, UID in object meta: ${old.metadata.uid ?? ''}`,
      ),
    );
  }
  if (typeof pre['resourceVersion'] === 'string' && pre['resourceVersion'] !== old.metadata.resourceVersion) {
    throw new StatusError(
      conflict(
        { group: def.group, resource: def.resource },
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre['resourceVersion']}, ResourceVersion in object meta: ${old.metadata.resourceVersion ?? ''}`,
      ),
    );
  }
  const requestedGrace = options['gracePeriodSeconds'];
  if (
    requestedGrace !== undefined &&
    (typeof requestedGrace !== 'number' || !Number.isInteger(requestedGrace))
  ) {
    throw new StatusError(badRequest('gracePeriodSeconds must be an integer'));
  }
  const expected = Number(old.metadata.resourceVersion);
  if (isDryRun(h)) return old;
  const grace = def.strategy?.gracePeriod?.(old, requestedGrace) ?? 0;
  // Foreground and Orphan deletion hand the object to the garbage collector through a finalizer
  // (upstream's deletionFinalizersForGarbageCollection); Background needs none.
  const policy =
    options['propagationPolicy'] ?? (options['orphanDependents'] === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
    throw new StatusError(
      badRequest(
        `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`,
      ),
    );
  }
  const gcFinalizer =
    policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
  const finalizers =
    (old.metadata.finalizers?.length ?? 0) > 0 || gcFinalizer !== undefined || def.resource === 'namespaces';
  if (grace > 0 || finalizers) {
    const marked = structuredClone(old);
    const meta = marked.metadata;
    if (gcFinalizer !== undefined) {
      const other = gcFinalizer === 'orphan' ? 'foregroundDeletion' : 'orphan';
      meta.finalizers = [
        ...(meta.finalizers ?? []).filter((f) => f !== other && f !== gcFinalizer),
        gcFinalizer,
      ];
    }
    if (grace > 0) {
      // A later delete may shorten the deadline, never extend it (upstream's BeforeDelete).
      const deadline = new Date(Date.now() + grace * 1000);
      const current = meta.deletionTimestamp === undefined ? undefined : Date.parse(meta.deletionTimestamp);
      if (current !== undefined && deadline.getTime() >= current) return old;
      meta.deletionTimestamp = nowTimestamp(deadline);
      meta.deletionGracePeriodSeconds = grace;
    } else {
      meta.deletionTimestamp ??= nowTimestamp();
      meta.deletionGracePeriodSeconds ??= 0;
    }
    if (def.resource === 'namespaces') {
      marked['status'] = { ...(isRecord(old['status']) ? old['status'] : {}), phase: 'Terminating' };
    }
    if (JSON.stringify(marked) === JSON.stringify(old)) return old;
    return objects.update(marked, expected);
  }
  const deleted = await objects.delete(old.metadata.namespace, name, expected);
  await h.served.hooks.afterDelete?.(deleted);
  return deleted;
}
