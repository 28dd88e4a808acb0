// PATCH (upstream's endpoints/handlers/patch.go): the content type picks the algorithm, which
// applies to the object as the requested version shows it; the result then goes through the
// update path (defaults, validation, compare-and-swap). JSON patch (RFC 6902), JSON merge patch
// (RFC 7386) and strategic merge patch for built-in kinds; server-side apply gets 415 until it lands.
import { invalid as fieldInvalid } from '../../api/field-errors.ts';
import { groupVersionString, isRecord, type KubeObject } from '../../api/meta.ts';
import { badRequest, invalid, isStatusReason, StatusError, unsupportedMediaType } from '../../api/status.ts';
import { PatchError, patchErrorStatus } from '../patch/errors.ts';
import { applyJsonPatch, decodeJsonPatch, deepEqual, type JsonPatchOperation } from '../patch/json-patch.ts';
import { kindSchema, type PatchSchema } from '../patch/schema.ts';
import { strategicMergePatch } from '../patch/strategic.ts';
import { type Handling, sendObject, toStorage, withTypeMeta } from './objects.ts';
import { prepareUpdate, saveUpdate } from './write.ts';

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const jsonPatchType = 'application/json-patch+json';
export const mergePatchType = 'application/merge-patch+json';
export const strategicMergePatchType = 'application/strategic-merge-patch+json';

/** The patch types a kind accepts: custom resources (no Go types) get no strategic merge patch. */
export function patchTypes(schema: PatchSchema | undefined): string[] {
  return schema === undefined
    ? [jsonPatchType, mergePatchType]
    : [jsonPatchType, mergePatchType, strategicMergePatchType];
}

type DecodedPatch =
  | { type: 'json'; ops: JsonPatchOperation[] }
  | { type: 'merge' | 'strategic'; body: Record<string, unknown> };

/** Parses the body for its patch type; a malformed body is a 400. */
export function decodePatch(type: string, raw: string): DecodedPatch {
  if (type === jsonPatchType) return { type: 'json', ops: decodeJsonPatch(raw) };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e: unknown) {
    throw new PatchError('bad-request', (e as Error).message);
  }
  if (type === mergePatchType) {
    // evanphx/json-patch's MergePatch needs an object (ErrBadJSONPatch).
    if (!isRecord(body)) throw new PatchError('bad-request', 'Invalid JSON Patch');
    return { type: 'merge', body };
  }
  if (!isRecord(body)) {
    const what = Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body;
    throw new PatchError(
      'bad-request',
      `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`,
    );
  }
  return { type: 'strategic', body };
}

/** Applies a decoded patch to `current` (not changed). */
export function applyPatch(
  current: KubeObject,
  patch: DecodedPatch,
  schema: PatchSchema | undefined,
): unknown {
  switch (patch.type) {
    case 'json':
      return applyJsonPatch(current, patch.ops);
    case 'merge':
      return mergePatch(structuredClone(current), structuredClone(patch.body));
    case 'strategic':
      if (schema === undefined) throw new PatchError('internal', 'strategic merge patch needs a schema');
      return strategicMergePatch(current, patch.body, schema);
  }
}

function contentType(h: Handling): string {
  return h.ctx.header('content-type').split(';')[0]!.trim();
}

/** Attempts at a patch that names no resourceVersion, re-read on a conflict (GuaranteedUpdate's retries). */
const maxAttempts = 5;

export async function patchObject(h: Handling): Promise<void> {
  const { def } = h.served;
  const gv = groupVersionString(def.group, def.version);
  const schema = kindSchema(gv, def.kind);
  const accepted = patchTypes(schema);
  const type = contentType(h);
  if (!accepted.includes(type)) throw new StatusError(unsupportedMediaType(accepted));
  let patch: DecodedPatch;
  try {
    patch = decodePatch(type, (await h.ctx.body()).toString('utf8'));
  } catch (e: unknown) {
    if (e instanceof PatchError) throw new StatusError(patchErrorStatus(e));
    throw e;
  }
  const namespace = def.namespaced ? h.info.namespace : undefined;
  for (let attempt = 1; ; attempt++) {
    const old = await h.served.objects.get(namespace, h.info.name);
    const current = withTypeMeta(def, old);
    let patched: unknown;
    try {
      patched = applyPatch(current, patch, schema);
    } catch (e: unknown) {
      if (e instanceof PatchError) throw new StatusError(patchErrorStatus(e));
      throw e;
    }
    const obj = toStorage(def, checkPatched(h, gv, patched));
    // A patch that changes resourceVersion makes it a precondition; otherwise the patch applies
    // to the version just read.
    const named = obj.metadata.resourceVersion !== current.metadata.resourceVersion;
    if (!named) obj.metadata.resourceVersion = old.metadata.resourceVersion;
    const rv = obj.metadata.resourceVersion;
    if ((rv === undefined || rv === '' || rv === old.metadata.resourceVersion) && unchanged(h, obj, old)) {
      // Upstream's store writes nothing when the update changes nothing.
      sendObject(h, 200, old);
      return;
    }
    try {
      sendObject(h, 200, await saveUpdate(h, obj, old));
      return;
    } catch (e: unknown) {
      if (named || attempt >= maxAttempts || !isStatusReason(e, 'Conflict')) throw e;
    }
  }
}

/** The patched document as an object of this resource (upstream decodes it, then checkName and the namespace check). */
function checkPatched(h: Handling, gv: string, patched: unknown): KubeObject {
  const { def } = h.served;
  if (!isRecord(patched) || patched['apiVersion'] !== gv || patched['kind'] !== def.kind) {
    const detail = !isRecord(patched)
      ? 'the patched document is not an object'
      : `the patched object's apiVersion and kind (${String(patched['apiVersion'])}, ${String(patched['kind'])}) are not ${gv}, ${def.kind}`;
    throw new StatusError(
      invalid({ group: '', kind: '' }, '', [fieldInvalid('patch', JSON.stringify(patched), detail)]),
    );
  }
  const metadata = patched['metadata'];
  if (metadata !== undefined && !isRecord(metadata)) {
    throw new StatusError(badRequest('metadata must be an object'));
  }
  const obj = { ...patched, metadata: { ...(metadata ?? {}) } } as KubeObject;
  const meta = obj.metadata;
  if (meta.name !== h.info.name) {
    throw new StatusError(
      badRequest(
        `the name of the object (${meta.name ?? ''}) does not match the name on the URL (${h.info.name})`,
      ),
    );
  }
  const requestNamespace = def.namespaced ? h.info.namespace : '';
  const ns = meta.namespace ?? '';
  if (ns === '' || requestNamespace === '') meta.namespace = requestNamespace;
  else if (ns !== requestNamespace) {
    throw new StatusError(
      badRequest('the namespace of the provided object does not match the namespace sent on the request'),
    );
  }
  if (meta.namespace === '') delete meta.namespace;
  return obj;
}

/** Whether storing `obj` over `old` would change nothing (checked on the prepared update). */
function unchanged(h: Handling, obj: KubeObject, old: KubeObject): boolean {
  let next: KubeObject;
  try {
    next = prepareUpdate(h.served.storageDef, obj, old, h.info.subresource === 'status');
  } catch {
    return false; // saveUpdate reports it
  }
  const strip = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: undefined },
  });
  return deepEqual(JSON.parse(JSON.stringify(strip(next))), JSON.parse(JSON.stringify(strip(old))));
}
