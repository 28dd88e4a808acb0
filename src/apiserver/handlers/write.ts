// The write verbs: create and update (upstream's generic registry Store.Create/Update and
// rest.BeforeCreate/BeforeUpdate): server-owned fields, defaults, validation, storage hooks, CAS.
import { randomUUID } from 'node:crypto';
import { groupVersionString, isRecord, type KubeObject, nowTimestamp } from '../../api/meta.ts';
import { badRequest, forbidden, notFound, StatusError } from '../../api/status.ts';
import type { HookResult, ResourceDefinition } from '../registry/types.ts';
import { metadataTypeError, validateObjectMeta } from '../rest/meta-validation.ts';
import { encodeObject } from '../rest/object-store.ts';
import {
  type Handling,
  toStorage,
  namespaceOf,
  failIfInvalid,
  fromClientInput,
  isFinalized,
  isDryRun,
  sendObject,
} from './objects.ts';

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
