// PATCH. JSON merge patch (RFC 7386) today; JSON patch, strategic merge and server-side apply
// arrive with the patch issue and get 415 until then.
import { isRecord, type KubeObject } from '../../api/meta.ts';
import { badRequest, StatusError, unsupportedMediaType } from '../../api/status.ts';
import { type Handling, prepareUpdateAndSave, toStorage, withTypeMeta } from './objects.ts';

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

export async function patchObject(h: Handling): Promise<void> {
  const type = h.ctx.header('content-type').split(';')[0]!.trim();
  if (type !== 'application/merge-patch+json') {
    throw new StatusError(unsupportedMediaType(['application/merge-patch+json']));
  }
  const patch = await h.ctx.bodyObject();
  const { def } = h.served;
  const old = await h.served.objects.get(def.namespaced ? h.info.namespace : undefined, h.info.name);
  // The patch applies to the object as this version shows it.
  const patched = mergePatch(withTypeMeta(def, old), patch);
  if (!isRecord(patched) || !isRecord(patched['metadata']))
    throw new StatusError(badRequest('patch removed metadata'));
  const obj = toStorage(def, patched as KubeObject);
  // A patch applies to the version read unless it names its own resourceVersion.
  if (!(isRecord(patch['metadata']) && 'resourceVersion' in patch['metadata'])) {
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
  }
  await prepareUpdateAndSave(h, obj, old);
}
