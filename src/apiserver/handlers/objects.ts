// The generic verbs over one resource: get, list, create, update, delete. One implementation for
// every resource; what differs per kind lives in its ResourceDefinition (upstream's generic
// registry Store + the endpoints/handlers package).
import { randomUUID } from 'node:crypto';
import { groupVersionString, isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import {
  badRequest,
  conflict,
  forbidden,
  invalid,
  methodNotSupported,
  notFound,
  StatusError,
} from '../../api/status.ts';
import type { FieldError } from '../../api/field-errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { Registry, ServedResource } from '../registry/registry.ts';
import type { HookResult, ResourceDefinition } from '../registry/types.ts';
import type { ResourceRequest } from '../request-info.ts';
import { metadataTypeError, validateObjectMeta } from '../rest/meta-validation.ts';
import { listFilter, listOptions } from '../rest/selectors.ts';
import { decodeObject, encodeObject, servedText } from '../rest/object-store.ts';
import { tableRequested, tableRow, toTable } from './table.ts';

export interface Handling {
  readonly ctx: RequestContext;
  readonly info: ResourceRequest;
  readonly served: ServedResource;
  readonly registry: Registry;
}

/** The object as this resource's version shows it: converted from storage, with its apiVersion and kind. */
export function withTypeMeta(def: ResourceDefinition, obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = def.conversion?.fromStorage(obj) ?? obj;
  return { apiVersion: groupVersionString(def.group, def.version), kind: def.kind, ...rest } as KubeObject;
}

/** A body of this resource's version as the stored version holds it. */
export function toStorage(def: ResourceDefinition, obj: KubeObject): KubeObject {
  return def.conversion?.toStorage(obj) ?? obj;
}

function namespaceOf(h: Handling): string | undefined {
  return h.served.def.namespaced ? h.info.namespace : undefined;
}

export async function getObject(h: Handling): Promise<void> {
  const { def, objects } = h.served;
  const kv = await objects.getStored(namespaceOf(h), h.info.name);
  // The common case answers with the stored text (see servedText); tables, other versions and
  // subresources decode.
  if (def.conversion === undefined && h.info.subresource === '' && !tableRequested(h.ctx.header('accept'))) {
    const text = servedText(kv, groupVersionString(def.group, def.version), def.kind);
    if (text !== undefined) {
      h.ctx.sendJsonText(200, text);
      return;
    }
  }
  sendObject(h, 200, decodeObject(kv));
}

export async function listObjects(h: Handling): Promise<void> {
  const { def, objects, storageDef } = h.served;
  const opts = listOptions(h.ctx.query, storageDef, '', def.fieldLabels);
  const includeObject = tableRequested(h.ctx.header('accept'));
  if (
    opts.limit === undefined &&
    opts.continueToken === undefined &&
    includeObject === undefined &&
    h.ctx.method !== 'HEAD'
  ) {
    await streamList(h, listFilter(storageDef, opts), opts.exactRevision);
    return;
  }
  const result = await objects.list({
    namespace: namespaceOf(h),
    limit: opts.limit,
    continueToken: opts.continueToken,
    revision: opts.exactRevision,
    filter: listFilter(storageDef, opts),
  });
  if (includeObject !== undefined) {
    h.ctx.send(
      200,
      toTable(storageDef, result.items, {
        includeObject:
          (h.ctx.query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? includeObject,
        resourceVersion: String(result.revision),
        continueToken: result.continueToken,
        remainingItemCount: result.remainingItemCount,
      }),
    );
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continueToken !== undefined) metadata['continue'] = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata['remainingItemCount'] = result.remainingItemCount;
  h.ctx.send(200, {
    kind: `${def.kind}List`,
    apiVersion: groupVersionString(def.group, def.version),
    metadata,
    items: result.items.map((o) => withTypeMeta(def, o)),
  });
}

/**
 * An unpaged list, written as it is read: a page of the store at a time is decoded, encoded and
 * sent, so memory stays flat however many objects there are (as upstream's streaming list encoder).
 */
async function streamList(
  h: Handling,
  filter: (obj: KubeObject) => boolean,
  exactRevision: number | undefined,
): Promise<void> {
  const { def, objects } = h.served;
  const pages = exactRevision === undefined ? objects.scan({ namespace: namespaceOf(h), filter }) : undefined;
  if (pages === undefined) {
    // resourceVersionMatch=Exact: the list at that revision, through the paging reader.
    const result = await objects.list({ namespace: namespaceOf(h), revision: exactRevision, filter });
    h.ctx.send(200, {
      kind: `${def.kind}List`,
      apiVersion: groupVersionString(def.group, def.version),
      metadata: { resourceVersion: String(result.revision) },
      items: result.items.map((o) => withTypeMeta(def, o)),
    });
    return;
  }
  // The first page is read before anything is sent, so an error still gets its Status.
  const first = await pages.next();
  const revision = first.done ? 0 : first.value.revision;
  const head = JSON.stringify({
    kind: `${def.kind}List`,
    apiVersion: groupVersionString(def.group, def.version),
    metadata: { resourceVersion: String(revision) },
  });
  h.ctx.startStream();
  await h.ctx.write(`${head.slice(0, -1)},"items":[`);
  let count = 0;
  const send = async (items: KubeObject[]): Promise<void> => {
    if (items.length === 0) return;
    const chunk = items.map((o) => JSON.stringify(withTypeMeta(def, o))).join(',');
    await h.ctx.write(count === 0 ? chunk : `,${chunk}`);
    count += items.length;
  };
  if (!first.done) await send(first.value.items);
  for await (const page of pages) await send(page.items);
  await h.ctx.write(']}');
  h.ctx.end();
}

/** Parses a body into an object of this resource, checking kind, apiVersion, name and namespace. */
async function readObject(h: Handling): Promise<KubeObject> {
  const body = await h.ctx.bodyObject();
  const { def } = h.served;
  const gv = groupVersionString(def.group, def.version);
  if (body['kind'] === undefined || body['kind'] === '') {
    throw new StatusError(badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`));
  }
  if (body['kind'] !== def.kind || body['apiVersion'] !== gv) {
    throw new StatusError(
      badRequest(
        `the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${gv})`,
      ),
    );
  }
  if (body['metadata'] !== undefined && body['metadata'] !== null && !isRecord(body['metadata'])) {
    throw new StatusError(badRequest('metadata must be an object'));
  }
  const typeError = isRecord(body['metadata']) ? metadataTypeError(body['metadata']) : undefined;
  if (typeError !== undefined) throw new StatusError(badRequest(typeError));
  const obj = {
    ...body,
    metadata: { ...((body['metadata'] as Record<string, unknown> | undefined) ?? {}) },
  } as KubeObject;
  if (def.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns !== undefined && ns !== '' && ns !== h.info.namespace) {
      throw new StatusError(
        badRequest('the namespace of the provided object does not match the namespace sent on the request'),
      );
    }
    obj.metadata.namespace = h.info.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  return toStorage(def, obj);
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream's SimpleNameGenerator: generateName + 5 random characters. */
function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameChars[Math.floor(Math.random() * nameChars.length)];
  return `${base.length > 58 ? base.slice(0, 58) : base}${suffix}`;
}

function failIfInvalid(def: ResourceDefinition, name: string, errors: FieldError[]): void {
  if (errors.length > 0) throw new StatusError(invalid({ group: def.group, kind: def.kind }, name, errors));
}

async function checkNamespace(h: Handling, obj: KubeObject): Promise<void> {
  if (!h.served.def.namespaced) return;
  const namespaces = h.registry.storage('', 'namespaces');
  if (namespaces === undefined) return;
  const ns = obj.metadata.namespace ?? '';
  let nsObj: KubeObject;
  try {
    nsObj = await namespaces.objects.get(undefined, ns);
  } catch (e: unknown) {
    if (e instanceof StatusError && e.status.code === 404)
      throw new StatusError(notFound({ group: '', resource: 'namespaces' }, ns));
    throw e;
  }
  const status = nsObj['status'];
  if (
    nsObj.metadata.deletionTimestamp !== undefined ||
    (isRecord(status) && status['phase'] === 'Terminating')
  ) {
    throw new StatusError(
      forbidden(
        { group: h.served.def.group, resource: h.served.def.resource },
        obj.metadata.name ?? '',
        `unable to create new content in namespace ${ns} because it is being terminated`,
      ),
    );
  }
}

export async function createObject(h: Handling): Promise<void> {
  const { storageDef: def, objects } = h.served;
  const obj = await readObject(h);
  const meta = obj.metadata;
  if ((meta.name === undefined || meta.name === '') && meta.generateName)
    meta.name = generateName(meta.generateName);
  if (h.info.name !== '' && meta.name !== h.info.name) {
    throw new StatusError(
      badRequest(
        `the name of the object (${meta.name ?? ''}) does not match the name on the URL (${h.info.name})`,
      ),
    );
  }
  // Fields the server owns (upstream's rest.FillObjectMetaSystemFields and BeforeCreate).
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if ('spec' in obj) meta.generation = 1;
  else delete meta.generation;
  const strategy = def.strategy;
  const errors = fromClientInput(() => {
    strategy?.prepareForCreate?.(obj, { user: h.ctx.user ?? { name: '', groups: [] } });
    strategy?.defaults?.(obj);
    return [...validateObjectMeta(obj, def), ...(strategy?.validate?.(obj) ?? [])];
  });
  failIfInvalid(def, meta.name ?? '', errors);
  await checkNamespace(h, obj);
  const dryRun = isDryRun(h);
  const hook = await h.served.hooks.beforeCreate?.(obj, { dryRun });
  if (dryRun) {
    sendObject(h, 201, obj);
    return;
  }
  const created = await withHook(hook, () => objects.create(obj));
  sendObject(h, 201, created);
}

export async function updateObject(h: Handling): Promise<void> {
  const { objects } = h.served;
  const obj = await readObject(h);
  if (obj.metadata.name !== h.info.name) {
    throw new StatusError(
      badRequest(
        `the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${h.info.name})`,
      ),
    );
  }
  const old = await objects.get(namespaceOf(h), h.info.name);
  await prepareUpdateAndSave(h, obj, old);
}

/** The common tail of update and patch: server-owned fields, validation, compare-and-swap. */
export async function prepareUpdateAndSave(h: Handling, obj: KubeObject, old: KubeObject): Promise<void> {
  sendObject(h, 200, await saveUpdate(h, obj, old));
}

/** Validates and stores an update of `old` (the dry-run result is returned unsaved). */
export async function saveUpdate(h: Handling, obj: KubeObject, old: KubeObject): Promise<KubeObject> {
  const { storageDef: def, objects } = h.served;
  const requested = obj.metadata.resourceVersion;
  const status = h.info.subresource === 'status';
  const typeError = metadataTypeError(obj.metadata as Record<string, unknown>);
  if (typeError !== undefined) throw new StatusError(badRequest(typeError));
  const next = fromClientInput(() => prepareUpdate(def, obj, old, status));
  failIfInvalid(
    def,
    h.info.name,
    fromClientInput(() => [
      ...validateObjectMeta(next, def),
      ...((status ? def.status?.validateUpdate?.(next, old) : def.strategy?.validateUpdate?.(next, old)) ??
        def.strategy?.validate?.(next) ??
        []),
    ]),
  );
  const dryRun = isDryRun(h);
  const hook = status ? undefined : await h.served.hooks.beforeUpdate?.(next, old, { dryRun });
  if (dryRun) return next;
  // An update without resourceVersion is unconditional (AllowUnconditionalUpdate); with one,
  // a stale version is a 409 Conflict from the store's compare-and-swap.
  const expected =
    requested !== undefined && requested !== '' ? Number(requested) : Number(old.metadata.resourceVersion);
  if (!Number.isInteger(expected))
    throw new StatusError(badRequest(`invalid resourceVersion ${requested ?? ''}`));
  // An update that changes nothing writes nothing (upstream's GuaranteedUpdate compares the bytes):
  // the resourceVersion stays, and no watch event is sent.
  if (expected === Number(old.metadata.resourceVersion) && sameStored(next, old)) {
    await hook?.undo?.();
    return old;
  }
  if (isFinalized(next)) {
    const deleted = await objects.delete(namespaceOf(h), h.info.name, expected);
    await h.served.hooks.afterDelete?.(deleted);
    return deleted;
  }
  return withHook(hook, () => objects.update(next, expected));
}

/**
 * Runs strategy code over a client's object. A field of the wrong type (a number where a list
 * belongs) can trip it before validation names the field; that is the client's error, a 400, as
 * upstream's decoding into Go types would have refused the body.
 */
function fromClientInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e: unknown) {
    if (e instanceof StatusError || !(e instanceof TypeError || e instanceof RangeError)) throw e;
    throw new StatusError(badRequest(`the object could not be decoded: ${e.message}`));
  }
}

function sameStored(a: KubeObject, b: KubeObject): boolean {
  return Buffer.from(encodeObject(a)).equals(Buffer.from(encodeObject(b)));
}

/** Runs a store write between a hook's reservation and its commit or undo. */
async function withHook<T>(hook: HookResult | undefined, write: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (e: unknown) {
    await hook?.undo?.();
    throw e;
  }
  await hook?.commit?.();
  return result;
}

/** What an update writes: server-owned metadata from `old`, the spec or the status from the body. */
export function prepareUpdate(
  def: ResourceDefinition,
  obj: KubeObject,
  old: KubeObject,
  statusOnly: boolean,
): KubeObject {
  let next: KubeObject = structuredClone(obj);
  const meta = next.metadata;
  meta.uid = old.metadata.uid;
  meta.creationTimestamp = old.metadata.creationTimestamp;
  meta.deletionTimestamp = old.metadata.deletionTimestamp;
  meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  meta.namespace = old.metadata.namespace;
  if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  meta.generation = old.metadata.generation;
  if (meta.generation === undefined) delete meta.generation;
  if (statusOnly) {
    // The status subresource changes status only (upstream's *StatusStrategy.PrepareForUpdate).
    const custom = def.status?.prepareForUpdate;
    if (custom !== undefined) custom(next, old);
    else
      next = {
        ...structuredClone(old),
        status: next['status'],
        metadata: { ...old.metadata, resourceVersion: meta.resourceVersion },
      };
    return next;
  }
  if (def.status !== undefined) {
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = old['status'];
  }
  def.strategy?.prepareForUpdate?.(next, old);
  def.strategy?.defaults?.(next);
  const changed =
    def.strategy?.specChanged?.(next, old) ?? JSON.stringify(next['spec']) !== JSON.stringify(old['spec']);
  if (changed && meta.generation !== undefined) meta.generation += 1;
  return next;
}

/** Marked for deletion with nothing left to wait for: metadata finalizers, and a namespace's spec ones. */
export function isFinalized(obj: KubeObject): boolean {
  if (obj.metadata.deletionTimestamp === undefined || (obj.metadata.finalizers?.length ?? 0) > 0)
    return false;
  const spec = obj['spec'];
  const specFinalizers = obj.kind === 'Namespace' && isRecord(spec) ? spec['finalizers'] : undefined;
  return !Array.isArray(specFinalizers) || specFinalizers.length === 0;
}

function isDryRun(h: Handling): boolean {
  const dryRun = h.ctx.query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All'))
    throw new StatusError(badRequest(`unsupported dry run value: ${dryRun.join(',')}`));
  return dryRun.length > 0;
}

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

export function sendObject(h: Handling, code: number, obj: KubeObject): void {
  const { def, storageDef } = h.served;
  const includeObject = tableRequested(h.ctx.header('accept'));
  if (includeObject !== undefined && h.info.subresource === '') {
    h.ctx.send(code, {
      ...toTable(storageDef, [obj], { includeObject, resourceVersion: obj.metadata.resourceVersion ?? '' }),
      rows: [tableRow(storageDef, obj, { includeObject }, new Date())],
    });
    return;
  }
  h.ctx.send(code, withTypeMeta(def, obj));
}

export function unsupported(h: Handling): never {
  throw new StatusError(
    methodNotSupported({ group: h.served.def.group, resource: h.served.def.resource }, h.info.verb),
  );
}
