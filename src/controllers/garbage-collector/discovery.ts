// What the API serves, from legacy discovery (/api, /api/v1, /apis, /apis/<g>/<v>): the preferred
// version of every resource with its verbs (client-go's ServerPreferredResources), and a kind →
// resource mapping over every served version (a RESTMapper) so owner references in any version
// resolve. Used by the garbage collector and the namespace controller.
import { isRecord } from '../../api/meta.ts';
import type { ResourceDescriptor, RestClient } from '../../client/index.ts';

export interface DiscoveredResource extends ResourceDescriptor {
  readonly kind: string;
  readonly verbs: readonly string[];
}

export interface Discovery {
  /** The preferred version of each group's resources (no subresources). */
  readonly preferred: readonly DiscoveredResource[];
  /** Group versions whose resource list could not be read, with the reason. */
  readonly failed: ReadonlyMap<string, string>;
  /** Every served (group, version, kind), to map an ownerReference to its resource. */
  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined;
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: '', version: parts[0]! };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '')
    return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

/** The resources of one APIResourceList, without subresources. */
export function resourcesOfList(group: string, version: string, list: unknown): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  const items = isRecord(list) && Array.isArray(list['resources']) ? list['resources'] : [];
  for (const r of items) {
    if (!isRecord(r) || typeof r['name'] !== 'string' || r['name'].includes('/')) continue;
    out.push({
      group,
      version,
      resource: r['name'],
      namespaced: r['namespaced'] === true,
      kind: typeof r['kind'] === 'string' ? r['kind'] : '',
      verbs: Array.isArray(r['verbs']) ? r['verbs'].filter((v): v is string => typeof v === 'string') : [],
    });
  }
  return out;
}

/** True when the resource supports every one of `verbs` (discovery.SupportsAllVerbs). */
export function supportsAll(r: DiscoveredResource, verbs: readonly string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

export async function discover(client: RestClient, signal?: AbortSignal): Promise<Discovery> {
  const versions: Array<{ group: string; version: string; preferred: boolean }> = [];
  const core = await client.request<unknown>({ method: 'GET', path: '/api', signal });
  const coreVersions = isRecord(core) && Array.isArray(core['versions']) ? core['versions'] : [];
  coreVersions.forEach((v, i) => {
    if (typeof v === 'string') versions.push({ group: '', version: v, preferred: i === 0 });
  });
  const groups = await client.request<unknown>({ method: 'GET', path: '/apis', signal });
  for (const g of isRecord(groups) && Array.isArray(groups['groups']) ? groups['groups'] : []) {
    if (!isRecord(g) || typeof g['name'] !== 'string' || !Array.isArray(g['versions'])) continue;
    const preferred = isRecord(g['preferredVersion']) ? g['preferredVersion']['version'] : undefined;
    for (const v of g['versions']) {
      if (!isRecord(v) || typeof v['version'] !== 'string') continue;
      versions.push({ group: g['name'], version: v['version'], preferred: v['version'] === preferred });
    }
  }
  const failed = new Map<string, string>();
  const lists = await Promise.all(
    versions.map(async ({ group, version, preferred }) => {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        const list = await client.request<unknown>({ method: 'GET', path, signal });
        return { preferred, resources: resourcesOfList(group, version, list) };
      } catch (e: unknown) {
        failed.set(
          group === '' ? version : `${group}/${version}`,
          e instanceof Error ? e.message : String(e),
        );
        return { preferred, resources: [] };
      }
    }),
  );
  const byKind = new Map<string, DiscoveredResource>();
  const preferred: DiscoveredResource[] = [];
  for (const { preferred: isPreferred, resources } of lists) {
    for (const r of resources) {
      const key = `${r.group}/${r.version}/${r.kind}`;
      if (!byKind.has(key)) byKind.set(key, r);
      if (isPreferred) preferred.push(r);
    }
  }
  return {
    preferred,
    failed,
    resourceFor(apiVersion, kind) {
      const gv = parseGroupVersion(apiVersion);
      return gv === undefined ? undefined : byKind.get(`${gv.group}/${gv.version}/${kind}`);
    },
  };
}

/** `resource.group`, the name used in logs and conditions (e.g. `deployments.apps`). */
export function resourceName(r: ResourceDescriptor): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}
