// The pod-template hash that names a Deployment's ReplicaSets (pkg/controller/controller_utils.go
// ComputeHash): FNV-32a over the template, then over the collision count as 8 little-endian bytes
// when there is one, printed in decimal and mapped through rand.SafeEncodeString's alphabet.
//
// Upstream hashes a spew dump of the Go struct (hashutil.DeepHashObject); navis has no Go structs, so
// it hashes a canonical JSON form (sorted keys, empty values dropped) instead. The alphabet, length
// and stability across restarts are upstream's; the exact value for a given template is not.
import type { PodTemplateSpec } from '../framework/index.ts';

/** hash/fnv New32a: FNV-1a with 32-bit offset basis and prime. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString's alphabet: no vowels (no bad words) and no confusable 0/1/3. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte of `s` mapped into the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += alphanums[b % alphanums.length];
  return out;
}

/**
 * A canonical form of JSON data: keys sorted; null, empty objects and empty arrays dropped, as
 * Semantic.DeepEqual treats nil and empty alike.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c === null || c === undefined) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

/** ComputeHash(template, collisionCount) */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const data = new TextEncoder().encode(JSON.stringify(canonical(template)));
  let h = fnv32a(data);
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
