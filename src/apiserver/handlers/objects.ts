// What every generic verb shares: the request's resource, the version conversions, dry-run,
// validation failures as 422, and how an object is answered (as itself or as a Table row).
import { groupVersionString, isRecord, type KubeObject } from '../../api/meta.ts';
import { badRequest, invalid, methodNotSupported, StatusError } from '../../api/status.ts';
import type { FieldError } from '../../api/field-errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { Registry, ServedResource } from '../registry/registry.ts';
import type { ResourceDefinition } from '../registry/types.ts';
import type { ResourceRequest } from '../request-info.ts';
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

export function namespaceOf(h: Handling): string | undefined {
  return h.served.def.namespaced ? h.info.namespace : undefined;
}

export function failIfInvalid(def: ResourceDefinition, name: string, errors: FieldError[]): void {
  if (errors.length > 0) throw new StatusError(invalid({ group: def.group, kind: def.kind }, name, errors));
}

/**
 * Runs strategy code over a client's object. A field of the wrong type (a number where a list
 * belongs) can trip it before validation names the field; that is the client's error, a 400, as
 * upstream's decoding into Go types would have refused the body.
 */
export function fromClientInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e: unknown) {
    if (e instanceof StatusError || !(e instanceof TypeError || e instanceof RangeError)) throw e;
    throw new StatusError(badRequest(`the object could not be decoded: ${e.message}`));
  }
}

/** Marked for deletion with nothing left to wait for: metadata finalizers, and a namespace's spec ones. */
export function isFinalized(obj: KubeObject): boolean {
  if (obj.metadata.deletionTimestamp === undefined || (obj.metadata.finalizers?.length ?? 0) > 0)
    return false;
  const spec = obj['spec'];
  const specFinalizers = obj.kind === 'Namespace' && isRecord(spec) ? spec['finalizers'] : undefined;
  return !Array.isArray(specFinalizers) || specFinalizers.length === 0;
}

export function isDryRun(h: Handling): boolean {
  const dryRun = h.ctx.query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All'))
    throw new StatusError(badRequest(`unsupported dry run value: ${dryRun.join(',')}`));
  return dryRun.length > 0;
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
