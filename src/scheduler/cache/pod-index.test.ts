import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelSelectorAsSelector } from '../../api/labels.ts';
import { makeNode, makePod } from '../testing.ts';
import type { Pod } from '../types.ts';
import { Cache } from './cache.ts';
import { equalityKey } from './pod-index.ts';
import { Snapshot } from './snapshot.ts';

const names = (m: ReadonlyMap<{ pod: Pod }, unknown> | undefined): string[] =>
  [...(m?.keys() ?? [])].map((pi) => pi.pod.metadata.name!).sort();

const anti = (app: string): Pod['spec'] => ({
  containers: [{ name: 'c' }],
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  },
});

describe('PodIndex', () => {
  it('keys selectors by an equality requirement', () => {
    assert.equal(equalityKey(labelSelectorAsSelector({ matchLabels: { app: 'a' } })), 'app\0a');
    assert.equal(
      equalityKey(labelSelectorAsSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })),
      null,
    );
    assert.equal(equalityKey(labelSelectorAsSelector(null)), '');
  });

  it('follows the cache through updateSnapshot: adds, moves, forgets, node removal', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    cache.addNode(makeNode('n1'));
    cache.addNode(makeNode('n2'));
    const a1 = makePod('a1', { nodeName: 'n1', labels: { app: 'a' } });
    const a2 = makePod('a2', { nodeName: 'n2', labels: { app: 'a' }, spec: anti('a') });
    const b1 = makePod('b1', { nodeName: 'n1', labels: { app: 'b' } });
    for (const p of [a1, a2, b1]) cache.addPod(p);
    cache.updateSnapshot(snap);
    const sel = labelSelectorAsSelector({ matchLabels: { app: 'a' } });
    assert.deepEqual(names(snap.pods.candidates(sel)), ['a1', 'a2']);
    assert.equal(snap.pods.candidates(sel)!.get([...snap.pods.candidates(sel)!.keys()][0]!)!.name, 'n1');
    assert.deepEqual(names(snap.pods.antiAffinityCandidates({ app: 'a' })), ['a2']);
    assert.deepEqual(names(snap.pods.antiAffinityCandidates({ app: 'b' })), []);
    assert.equal(snap.pods.size, 3);

    // An assumed pod counts, a forgotten one stops counting; a relabelled pod moves keys.
    const a3 = makePod('a3', { nodeName: 'n2', labels: { app: 'a' } });
    cache.assumePod(a3);
    const b1c = { ...b1, metadata: { ...b1.metadata, labels: { app: 'a' } } };
    cache.updatePod(b1, b1c);
    cache.updateSnapshot(snap);
    assert.deepEqual(names(snap.pods.candidates(sel)), ['a1', 'a2', 'a3', 'b1']);
    cache.forgetPod(a3);
    cache.removePod(a2);
    cache.updateSnapshot(snap);
    assert.deepEqual(names(snap.pods.candidates(sel)), ['a1', 'b1']);
    assert.deepEqual(names(snap.pods.antiAffinityCandidates({ app: 'a' })), []);

    // A node deleted with its pods gone leaves nothing behind.
    cache.removePod(a1);
    cache.removePod(b1c);
    cache.removeNode(makeNode('n1'));
    cache.updateSnapshot(snap);
    assert.equal(snap.pods.size, 0);
    assert.deepEqual(names(snap.pods.candidates(sel)), []);
  });

  it('caches topology domains until nodes change', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    cache.addNode(makeNode('n1', { labels: { zone: 'z1' } }));
    cache.addNode(makeNode('n2', { labels: { zone: 'z2' } }));
    cache.addNode(makeNode('n3'));
    cache.updateSnapshot(snap);
    assert.deepEqual([...snap.topologyDomains(['zone'])[0]!].sort(), ['z1', 'z2']);
    cache.updateNode(makeNode('n3'), makeNode('n3', { labels: { zone: 'z3' } }));
    cache.updateSnapshot(snap);
    assert.deepEqual([...snap.topologyDomains(['zone'])[0]!].sort(), ['z1', 'z2', 'z3']);
  });
});
