// What a request is about, from its method and path alone (upstream's
// staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go). Authorization and the
// handlers both work from this.
import type { Verb } from './registry/types.ts';

export interface ResourceRequest {
  readonly isResourceRequest: true;
  readonly path: string;
  /** `api` or `apis`. */
  readonly apiPrefix: string;
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  readonly verb: Verb | 'proxy' | 'connect';
}

export interface NonResourceRequest {
  readonly isResourceRequest: false;
  readonly path: string;
  /** Lower-case HTTP method. */
  readonly verb: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

/** Sub-paths of a namespace that are its own subresources rather than resources inside it. */
const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const nonResource: NonResourceRequest = { isResourceRequest: false, path, verb: method.toLowerCase() };
  const parts = path.split('/').filter((p) => p !== '');
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  let rest = parts.slice(1);
  let group = '';
  if (prefix === 'apis') {
    // /apis/<group>/<version>/...; /apis and /apis/<group> are discovery.
    if (rest.length < 3) return nonResource;
    group = rest[0]!;
    rest = rest.slice(1);
  } else if (rest.length < 2) {
    return nonResource; // /api, /api/v1
  }
  const version = rest[0]!;
  rest = rest.slice(1);

  let verb: ResourceRequest['verb'];
  switch (method) {
    case 'POST':
      verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      verb = 'get';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = 'delete';
      break;
    default:
      verb = 'get';
  }
  // The deprecated /watch/ path prefix (still served upstream).
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }

  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';

  if (name === '' && verb === 'get') verb = isWatch(query) ? 'watch' : 'list';
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  if (verb === 'get' && isWatch(query)) verb = 'watch';
  return {
    isResourceRequest: true,
    path,
    apiPrefix: prefix,
    group,
    version,
    namespace,
    resource,
    subresource,
    name,
    verb,
  };
}

function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}
