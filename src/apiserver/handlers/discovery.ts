// Discovery: /api, /apis, /apis/<group>, the per group-version resource lists, and aggregated
// discovery (apidiscovery.k8s.io/v2, chosen by the Accept header), as upstream's
// endpoints/discovery serves them.
import type { RequestContext } from '../http/context.ts';
import type { Registry } from '../registry/registry.ts';
import { allVerbs, type ResourceDefinition } from '../registry/types.ts';

const aggregatedType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function wantsAggregated(accept: string): boolean {
  return accept
    .split(',')
    .some(
      (p) =>
        p.includes('g=apidiscovery.k8s.io') && p.includes('as=APIGroupDiscoveryList') && p.includes('v=v2'),
    );
}

interface Subresource {
  readonly name: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly verbs: string[];
}

function subresources(def: ResourceDefinition): Subresource[] {
  const subs: Subresource[] = [];
  const own = { group: def.group, version: def.version, kind: def.kind };
  if (def.status !== undefined) subs.push({ name: 'status', ...own, verbs: ['get', 'patch', 'update'] });
  if (def.scale !== undefined) {
    subs.push({
      name: 'scale',
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  for (const a of def.actions ?? []) subs.push({ ...a, verbs: [...(a.verbs ?? ['create'])] });
  return subs.sort((a, b) => a.name.localeCompare(b.name));
}

function verbs(def: ResourceDefinition): string[] {
  return [...(def.verbs ?? allVerbs)].sort();
}

function resourceList(registry: Registry, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const def of registry.resources(group, version)) {
    const entry: Record<string, unknown> = {
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: verbs(def),
    };
    if (def.shortNames !== undefined) entry['shortNames'] = def.shortNames;
    if (def.categories !== undefined) entry['categories'] = def.categories;
    resources.push(entry);
    for (const sub of subresources(def)) {
      const s: Record<string, unknown> = {
        name: `${def.resource}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== def.group) s['group'] = sub.group;
      if (sub.version !== def.version) s['version'] = sub.version;
      resources.push(s);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

function apiGroup(group: string, versions: readonly string[]): Record<string, unknown> {
  const list = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

function aggregated(registry: Registry, core: boolean): Record<string, unknown> {
  const items = registry
    .groups()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: registry.resources(g.group, version).map((def) => {
          const r: Record<string, unknown> = {
            resource: def.resource,
            responseKind: { group: def.group, version: def.version, kind: def.kind },
            scope: def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: def.singular,
            verbs: verbs(def),
          };
          if (def.shortNames !== undefined) r['shortNames'] = def.shortNames;
          if (def.categories !== undefined) r['categories'] = def.categories;
          const subs = subresources(def);
          if (subs.length > 0) {
            r['subresources'] = subs.map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group, version: s.version, kind: s.kind },
              verbs: s.verbs,
            }));
          }
          return r;
        }),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** Answers a discovery path; false when the path is not discovery. */
export function serveDiscovery(ctx: RequestContext, registry: Registry): boolean {
  const parts = ctx.path.split('/').filter((p) => p !== '');
  const accept = ctx.header('accept');
  const sendAggregated = (core: boolean): void => {
    ctx.sendText(200, JSON.stringify(aggregated(registry, core)), aggregatedType);
  };
  if (parts[0] === 'api') {
    if (parts.length === 1) {
      if (wantsAggregated(accept)) sendAggregated(true);
      else {
        ctx.send(200, {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.header('host') }],
        });
      }
      return true;
    }
    if (parts.length === 2 && registry.resources('', parts[1]!).length > 0) {
      ctx.send(200, resourceList(registry, '', parts[1]!));
      return true;
    }
    return false;
  }
  if (parts[0] !== 'apis') return false;
  const groups = registry.groups().filter((g) => g.group !== '');
  if (parts.length === 1) {
    if (wantsAggregated(accept)) sendAggregated(false);
    else
      ctx.send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => apiGroup(g.group, g.versions)),
      });
    return true;
  }
  const g = groups.find((x) => x.group === parts[1]);
  if (g === undefined) return false;
  if (parts.length === 2) {
    ctx.send(200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) });
    return true;
  }
  if (parts.length === 3 && g.versions.includes(parts[2]!)) {
    ctx.send(200, resourceList(registry, g.group, parts[2]!));
    return true;
  }
  return false;
}
