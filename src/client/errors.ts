// Errors from the API as client-go's k8s.io/apimachinery/pkg/api/errors sees them: every failure
// response becomes a Status, so callers check `reason` (IsNotFound, IsConflict, IsResourceExpired...),
// never the message text. A body that is not a Status is turned into one from the HTTP code, as
// NewGenericServerResponse does.
import { StatusError, type StatusBody, type StatusDetails, type StatusReason } from '../api/status.ts';
import { isRecord } from '../api/meta.ts';

/** A failed API call: the server's Status (or one made from the HTTP code), thrown as an Error. */
export class ApiError extends StatusError {
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason;
  }
  get details(): StatusDetails | undefined {
    return this.status.details;
  }
}

const reasonByCode: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The Status in a failure response, or one built from the code when the body is not a Status. */
export function statusFromResponse(code: number, body: string): StatusBody {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed) && parsed['kind'] === 'Status' && typeof parsed['reason'] === 'string') {
      return { ...(parsed as unknown as StatusBody), code: Number(parsed['code'] ?? code) };
    }
  } catch {
    // not JSON: fall through to the generic Status
  }
  const text = body.trim();
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: text === '' ? `the server responded with the status code ${code}` : text.slice(0, 1024),
    reason: reasonByCode[code] ?? 'InternalError',
    code,
  };
}

/** A client-side Status, e.g. a request that ran past its timeout. */
export function clientStatus(code: number, reason: StatusReason, message: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

export function reasonOf(e: unknown): StatusReason | undefined {
  return e instanceof StatusError ? e.status.reason : undefined;
}

export const isNotFound = (e: unknown): boolean => reasonOf(e) === 'NotFound';
export const isAlreadyExists = (e: unknown): boolean => reasonOf(e) === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => reasonOf(e) === 'Conflict';
/** IsResourceExpired or IsGone: the resourceVersion was compacted away; relist. */
export const isExpired = (e: unknown): boolean => reasonOf(e) === 'Expired' || reasonOf(e) === 'Gone';
