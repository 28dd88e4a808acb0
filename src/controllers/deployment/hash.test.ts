import assert from 'node:assert/strict';
import { it } from 'node:test';
import { computeHash, fnv32a, safeEncodeString } from './hash.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

it('is FNV-32a (the published test vectors)', () => {
  assert.equal(fnv32a(bytes('')), 0x811c9dc5);
  assert.equal(fnv32a(bytes('a')), 0xe40c292c);
  assert.equal(fnv32a(bytes('foobar')), 0xbf9cf968);
});

it("maps digits through rand.SafeEncodeString's alphabet", () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  assert.equal(safeEncodeString('123'), '567');
});

it('is stable, ignores key order and empty fields, and changes with the collision count', () => {
  const t = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };
  const reordered = {
    spec: { containers: [{ image: 'nginx:1.27', name: 'nginx' }], volumes: [] },
    metadata: { labels: { app: 'web' } },
  };
  const h = computeHash(t);
  assert.match(h, /^[456789bcdf]{6,10}$/);
  assert.equal(computeHash(reordered), h);
  assert.notEqual(computeHash(t, 1), h);
  assert.notEqual(computeHash({ ...t, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } }), h);
});
