// metav1.Status failure bodies, built as k8s.io/apimachinery v1.32 pkg/api/errors/errors.go builds
// them (plus the two media-type errors of apiserver's handlers/negotiation/errors.go). Clients such
// as kubectl and client-go read `reason`, `code` and `details`, so those are filled in exactly as
// upstream fills them; properties are in Go's field order, so JSON.stringify gives upstream's bytes.

import { errorBody, errorListString, type FieldError, goQuote } from './field-errors.ts';
import type { ListMeta } from './meta.ts';

export type StatusReason =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  /** For validation failures, the FieldValue* type of the field error. */
  reason?: string;
  message?: string;
  field?: string;
}

/** Go's omitempty leaves out empty members, so an object here may be `{}`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  /** The resource (`pods`) for most reasons; the kind (`Pod`) for Invalid. */
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: ListMeta;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** schema.GroupResource, e.g. `{ group: 'apps', resource: 'deployments' }`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** schema.GroupKind, e.g. `{ group: 'apps', kind: 'Deployment' }`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** A Status carried as an exception, so handlers can `throw new StatusError(notFound(...))`. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: StatusBody;

  constructor(status: StatusBody) {
    super(status.message);
    this.status = status;
  }
}

/** Whether `e` is a StatusError of this reason; errors are told apart by reason, never by message. */
export function isStatusReason(e: unknown, reason: StatusReason): boolean {
  return e instanceof StatusError && e.status.reason === reason;
}

/** The message registries send with a Conflict on a stale resourceVersion (OptimisticLockErrorMsg). */
export const optimisticLockErrorMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

function body(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusBody {
  const head = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  } as const;
  return details === undefined ? { ...head, code } : { ...head, details, code };
}

// StatusDetails with Go's omitempty applied, members in Go's order.
function details(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.causes !== undefined && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** GroupResource.String(): `pods`, `deployments.apps`. */
function resourceString(r: GroupResource): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

/** GroupKind.String(): `Pod`, `Deployment.apps`. */
function kindString(k: GroupKind): string {
  return k.group === '' ? k.kind : `${k.kind}.${k.group}`;
}

function resourceDetails(r: GroupResource, name: string): StatusDetails {
  return details({ name, group: r.group, kind: r.resource });
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(resource: GroupResource, name: string): StatusBody {
  const message = `${resourceString(resource)} ${goQuote(name)} not found`;
  return body(404, 'NotFound', message, resourceDetails(resource, name));
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function alreadyExists(resource: GroupResource, name: string): StatusBody {
  const message = `${resourceString(resource)} ${goQuote(name)} already exists`;
  return body(409, 'AlreadyExists', message, resourceDetails(resource, name));
}

/** 409 Conflict: `Operation cannot be fulfilled on pods "x": <reason>`, by default the stale-write reason. */
export function conflict(
  resource: GroupResource,
  name: string,
  reason = optimisticLockErrorMessage,
): StatusBody {
  const message = `Operation cannot be fulfilled on ${resourceString(resource)} ${goQuote(name)}: ${reason}`;
  return body(409, 'Conflict', message, resourceDetails(resource, name));
}

/**
 * 422 Invalid: `Pod "x" is invalid: <errors>`, one cause per field error whose reason is the
 * error's type and whose message is the error without its field.
 */
export function invalid(kind: GroupKind, name: string, errors: readonly FieldError[]): StatusBody {
  const causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const summary = errors.length === 0 ? '' : `: ${errorListString(errors)}`;
  const message = `${kindString(kind)} ${goQuote(name)} is invalid${summary}`;
  return body(422, 'Invalid', message, details({ name, group: kind.group, kind: kind.kind, causes }));
}

/** 400 BadRequest with the message as given. */
export function badRequest(message: string): StatusBody {
  return body(400, 'BadRequest', message);
}

/** 401 Unauthorized; upstream's default message is "not authorized". */
export function unauthorized(message = ''): StatusBody {
  return body(401, 'Unauthorized', message === '' ? 'not authorized' : message);
}

/**
 * 403 Forbidden: `pods "x" is forbidden: <reason>`, or `pods is forbidden: ...` without a name, or
 * `forbidden: ...` without a resource.
 */
export function forbidden(resource: GroupResource, name: string, reason: string): StatusBody {
  let message: string;
  if (resource.group === '' && resource.resource === '') message = `forbidden: ${reason}`;
  else if (name === '') message = `${resourceString(resource)} is forbidden: ${reason}`;
  else message = `${resourceString(resource)} ${goQuote(name)} is forbidden: ${reason}`;
  return body(403, 'Forbidden', message, resourceDetails(resource, name));
}

/** 405 MethodNotAllowed: `create is not supported on resources of kind "pods"`. */
export function methodNotSupported(resource: GroupResource, action: string): StatusBody {
  const message = `${action} is not supported on resources of kind ${goQuote(resourceString(resource))}`;
  return body(405, 'MethodNotAllowed', message, details({ group: resource.group, kind: resource.resource }));
}

/** 406 NotAcceptable, listing the media types the server can produce. */
export function notAcceptable(accepted: readonly string[]): StatusBody {
  return body(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

/** 410 Gone (deprecated upstream in favour of Expired). */
export function gone(message: string): StatusBody {
  return body(410, 'Gone', message);
}

/** 410 Expired: the requested resourceVersion has been compacted away. */
export function expired(message: string): StatusBody {
  return body(410, 'Expired', message);
}

/** The watch cache's Expired: `too old resource version: 5 (10)`, with the oldest version still held. */
export function tooOldResourceVersion(requested: number, oldest: number): StatusBody {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

/** 413 RequestEntityTooLarge: `Request entity too large: <message>`. */
export function requestEntityTooLarge(message: string): StatusBody {
  return body(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** 415 UnsupportedMediaType, listing the media types the server can read. */
export function unsupportedMediaType(accepted: readonly string[]): StatusBody {
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return body(415, 'UnsupportedMediaType', message);
}

/** 429 TooManyRequests, as NewTooManyRequests: details are always present, maybe empty. */
export function tooManyRequests(message: string, retryAfterSeconds = 0): StatusBody {
  return body(429, 'TooManyRequests', message, details({ retryAfterSeconds }));
}

/** 500 InternalError: `Internal error occurred: <error>`, the error also as the one cause. */
export function internalError(error: unknown): StatusBody {
  const text = error instanceof Error ? error.message : String(error);
  return body(
    500,
    'InternalError',
    `Internal error occurred: ${text}`,
    details({ causes: [{ message: text }] }),
  );
}

/** 503 ServiceUnavailable with the message as given. */
export function serviceUnavailable(message: string): StatusBody {
  return body(503, 'ServiceUnavailable', message);
}

/** 504 Timeout: `Timeout: <message>`; details are always present, maybe empty. */
export function timeout(message: string, retryAfterSeconds = 0): StatusBody {
  return body(504, 'Timeout', `Timeout: ${message}`, details({ retryAfterSeconds }));
}
