// /openapi/v3: the root index of group-version documents (hashed URLs) and, per group-version,
// the paths and operations of every served resource with their query parameters and
// `x-kubernetes-group-version-kind` (upstream's kube-openapi handler3).
//
// Today the documents carry the operations but not the type schemas (issue 4 brings those, with
// `kubectl explain`). That is what kubectl's QueryParamVerifierV3 reads to learn that the server
// takes `fieldValidation`: it then leaves validation to the server instead of downloading schemas,
// so `kubectl create -f` and `kubectl apply -f` work without `--validate=false`.
import { createHash } from 'node:crypto';
import { groupVersionString } from '../../api/meta.ts';
import { gitVersion } from '../../version.ts';
import type { RequestContext } from '../http/context.ts';
import type { Registry } from '../registry/registry.ts';
import { allVerbs, type ResourceDefinition } from '../registry/types.ts';

const prefix = '/openapi/v3';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function queryParam(name: string, description: string): Record<string, unknown> {
  return { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const writeParams = [
  queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
];

function operation(
  def: ResourceDefinition,
  action: string,
  id: string,
  parameters: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    description: `${action} ${def.kind}`,
    operationId: id,
    parameters,
    responses: { '200': { description: 'OK' }, '401': { description: 'Unauthorized' } },
    tags: [def.group === '' ? 'core_v1' : `${def.group.split('.')[0]}_${def.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
  };
}

/** The OpenAPI v3 document of one group-version: its resources' collection and item paths. */
export function groupVersionDocument(
  registry: Registry,
  group: string,
  version: string,
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const base = group === '' ? `/api/${version}` : `/apis/${groupVersionString(group, version)}`;
  for (const def of registry.resources(group, version)) {
    const verbs = new Set(def.verbs ?? allVerbs);
    const collection = def.namespaced
      ? `${base}/namespaces/{namespace}/${def.resource}`
      : `${base}/${def.resource}`;
    const id = `${def.kind}${def.group === '' ? 'CoreV1' : def.version}`;
    const list: Record<string, unknown> = {};
    if (verbs.has('list')) list['get'] = operation(def, 'list', `list${id}`, []);
    if (verbs.has('create')) list['post'] = operation(def, 'post', `create${id}`, writeParams);
    if (verbs.has('deletecollection'))
      list['delete'] = operation(def, 'deletecollection', `deleteCollection${id}`, []);
    paths[collection] = list;
    const item: Record<string, unknown> = {};
    if (verbs.has('get')) item['get'] = operation(def, 'get', `read${id}`, []);
    if (verbs.has('update')) item['put'] = operation(def, 'put', `replace${id}`, writeParams);
    if (verbs.has('patch')) {
      item['patch'] = operation(def, 'patch', `patch${id}`, [
        ...writeParams,
        queryParam('force', 'Force is going to "force" Apply requests.'),
      ]);
    }
    if (verbs.has('delete'))
      item['delete'] = operation(def, 'delete', `delete${id}`, writeParams.slice(0, 1));
    paths[`${collection}/{name}`] = item;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths,
    components: { schemas: {} },
  };
}

// The documents change only with the served resources: made once per registry.
const cache = new WeakMap<Registry, Map<string, string>>();

function documents(registry: Registry): Map<string, string> {
  let docs = cache.get(registry);
  if (docs === undefined) {
    docs = new Map();
    for (const { group, versions } of registry.groups()) {
      for (const version of versions) {
        docs.set(gvPath(group, version), JSON.stringify(groupVersionDocument(registry, group, version)));
      }
    }
    cache.set(registry, docs);
  }
  return docs;
}

/** Serves /openapi/v3 and its group-version documents; false when the path is not one of them. */
export function serveOpenApi(ctx: RequestContext, registry: Registry): boolean {
  if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return false;
  const docs = documents(registry);
  if (ctx.path === prefix || ctx.path === `${prefix}/`) {
    const paths: Record<string, unknown> = {};
    for (const [path, doc] of docs) {
      const hash = createHash('sha512').update(doc).digest('hex').toUpperCase();
      paths[path] = { serverRelativeURL: `${prefix}/${path}?hash=${hash}` };
    }
    ctx.send(200, { paths });
    return true;
  }
  const doc = docs.get(ctx.path.slice(prefix.length + 1));
  if (doc === undefined) return false;
  ctx.sendJsonText(200, doc);
  return true;
}
