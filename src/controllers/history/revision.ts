// ControllerRevisions (pkg/controller/history/controller_history.go): immutable snapshots of a
// DaemonSet's or StatefulSet's pod template, named `<owner>-<hash>`, numbered by `revision`, and
// labelled with the template labels plus `controller-revision-hash`. `data` is the strategic merge
// patch that restores the template (`kubectl rollout undo` applies it to the owner as is).
import type { KubeObject } from '../../api/meta.ts';
import { type ControllerKind, newControllerRef, type PodTemplateSpec } from '../framework/index.ts';

/** apps.ControllerRevisionHashLabelKey (DefaultDaemonSetUniqueLabelKey, StatefulSetRevisionLabel). */
export const controllerRevisionHashLabel = 'controller-revision-hash';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** hash/fnv New32 (FNV-1: multiply, then xor), as HashControllerRevision uses. */
export function fnv32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString's alphabet: no vowels and no confusable 0/1/3. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += alphanums[b % alphanums.length];
  return out;
}

/** JSON with object keys sorted, as Go's encoding/json writes a map: a stable byte form of `data`. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => stableJson(x === undefined ? null : x)).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const rec = v as Record<string, unknown>;
    const keys = Object.keys(rec)
      .filter((k) => rec[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(rec[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** HashControllerRevision: FNV-1 over the data, then over the decimal collision count if any. */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32(enc.encode(stableJson(data)));
  if (collisionCount !== undefined) h = fnv32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** ControllerRevisionName: the owner name cut to 223 characters, a dash, the hash. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/**
 * getPatch (daemon/update.go, stateful_set_utils.go): `{"spec":{"template":{…,"$patch":"replace"}}}`,
 * a strategic merge patch that replaces the owner's whole pod template.
 */
export function templatePatch(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision restores (its patch's template without the directive). */
export function templateOfRevision(rev: ControllerRevision): PodTemplateSpec | undefined {
  const spec = (rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
  if (spec?.template === undefined) return undefined;
  const { $patch: _directive, ...template } = spec.template;
  return template as PodTemplateSpec;
}

export interface NewRevisionOptions {
  readonly parent: KubeObject;
  readonly kind: ControllerKind;
  readonly templateLabels: Readonly<Record<string, string>> | undefined;
  readonly data: unknown;
  readonly revision: number;
  readonly collisionCount: number;
}

/** NewControllerRevision: labels from the template plus the hash; named `<parent>-<hash>`. */
export function newControllerRevision(o: NewRevisionOptions): ControllerRevision {
  const hash = hashControllerRevision(o.data, o.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(o.parent.metadata.name ?? '', hash),
      namespace: o.parent.metadata.namespace,
      labels: { ...o.templateLabels, [controllerRevisionHashLabel]: hash },
      ownerReferences: [newControllerRef(o.parent, o.kind)],
    },
    data: o.data,
    revision: o.revision,
  };
}

/** SortControllerRevisions: by revision, then creation time, then name. */
export function sortRevisions<R extends ControllerRevision>(revisions: readonly R[]): R[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** EqualRevision: same hash label (when both have one) and the same data. */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ha = a.metadata.labels?.[controllerRevisionHashLabel];
  const hb = b.metadata.labels?.[controllerRevisionHashLabel];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return stableJson(a.data) === stableJson(b.data);
}

/** FindEqualRevisions */
export function findEqualRevisions<R extends ControllerRevision>(
  revisions: readonly R[],
  needle: ControllerRevision,
): R[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** maxRevision: the highest revision number, 0 for none. */
export function maxRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision), 0);
}

/** intstr.GetScaledValueFromIntOrPercent: a percentage of `total`, rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m === null) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
