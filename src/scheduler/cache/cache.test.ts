import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNode, makePod } from '../testing.ts';
import { Cache } from './cache.ts';
import { Snapshot } from './snapshot.ts';

describe('Cache', () => {
  it('assumes, confirms and forgets pods', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    cache.addNode(makeNode('n1', { cpu: '4' }));
    const pod = makePod('p', { cpu: '1', nodeName: 'n1' });
    cache.assumePod(pod);
    cache.updateSnapshot(snap);
    assert.equal(snap.get('n1')!.requested.milliCPU, 1000);
    assert.equal(cache.isAssumedPod(pod), true);
    cache.forgetPod(pod);
    cache.updateSnapshot(snap);
    assert.equal(snap.get('n1')!.requested.milliCPU, 0);
    cache.assumePod(pod);
    cache.addPod(pod); // the informer confirms the binding
    assert.equal(cache.isAssumedPod(pod), false);
    cache.updateSnapshot(snap);
    assert.equal(snap.get('n1')!.pods.length, 1);
    cache.removePod(pod);
    cache.updateSnapshot(snap);
    assert.equal(snap.get('n1')!.pods.length, 0);
  });

  it('copies only changed NodeInfos into the snapshot', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    for (let i = 0; i < 100; i++) cache.addNode(makeNode(`n${i}`));
    cache.updateSnapshot(snap);
    const before = new Map([...snap.nodeInfoMap].map(([k, v]) => [k, v.generation]));
    const list = snap.nodeInfoList;
    cache.addPod(makePod('p', { cpu: '1', nodeName: 'n42' }));
    cache.updateSnapshot(snap);
    const changed = [...snap.nodeInfoMap].filter(([k, v]) => before.get(k) !== v.generation).map(([k]) => k);
    assert.deepEqual(changed, ['n42']);
    assert.equal(snap.nodeInfoList, list, 'lists are not rebuilt when no node came or went');
    assert.equal(list.find((n) => n.name === 'n42')!.pods.length, 1, 'the list sees the copy in place');
  });

  it('drops deleted nodes and interleaves zones', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    for (const [n, z] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['b2', 'b'],
    ]) {
      cache.addNode(makeNode(n!, { labels: { 'topology.kubernetes.io/zone': z! } }));
    }
    cache.updateSnapshot(snap);
    assert.deepEqual(
      snap.nodeInfoList.map((n) => n.name),
      ['a1', 'b1', 'a2', 'b2'],
    );
    cache.removeNode(makeNode('b1'));
    cache.updateSnapshot(snap);
    assert.deepEqual(
      snap.nodeInfoList.map((n) => n.name),
      ['a1', 'b2', 'a2'],
    );
    assert.equal(snap.get('b1'), undefined);
  });

  it('tracks pods with affinity and host ports', () => {
    const cache = new Cache();
    const snap = new Snapshot();
    cache.addNode(makeNode('n'));
    const anti = makePod('a', {
      nodeName: 'n',
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: {} }],
          },
        },
      },
      containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }],
    });
    cache.addPod(anti);
    cache.updateSnapshot(snap);
    assert.equal(snap.havePodsWithRequiredAntiAffinityList.length, 1);
    assert.equal(snap.get('n')!.usedPorts.conflicts({ ip: '0.0.0.0', protocol: 'TCP', port: 80 }), true);
    cache.removePod(anti);
    cache.updateSnapshot(snap);
    assert.equal(snap.havePodsWithRequiredAntiAffinityList.length, 0);
  });
});
