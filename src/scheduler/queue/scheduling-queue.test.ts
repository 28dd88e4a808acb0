import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionType, type ClusterEventWithHint } from '../framework/interface.ts';
import { PrioritySort } from '../plugins/queue-sort/index.ts';
import { FakeClock, makeNode, makePod } from '../testing.ts';
import type { Node, Pod } from '../types.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

const sort = new PrioritySort();

function queue(events: [string, ClusterEventWithHint[]][] = []) {
  const clock = new FakeClock();
  const q = new SchedulingQueue({
    less: (a, b) => sort.less(a, b),
    clock,
    events: new Map(events),
    preEnqueue: (pod) =>
      pod.spec.schedulingGates?.length
        ? { code: 'UnschedulableAndUnresolvable', reasons: ['gated'], plugin: 'SchedulingGates' }
        : { code: 'Success', reasons: [] },
  });
  return { q, clock };
}

/** Pops and fails a pod as rejected by the given plugin. */
async function fail(q: SchedulingQueue, plugin?: string) {
  const p = (await q.pop())!;
  if (plugin) p.unschedulablePlugins.add(plugin);
  q.addUnschedulableIfNotPresent(p, q.schedulingCycle);
  return p;
}

describe('SchedulingQueue', () => {
  it('pops by priority, then arrival', async () => {
    const { q, clock } = queue();
    q.add(makePod('low-1', { priority: 1 }));
    clock.advance(1);
    q.add(makePod('high', { priority: 10 }));
    clock.advance(1);
    q.add(makePod('low-2', { priority: 1 }));
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push((await q.pop())!.pod.metadata.name!);
    assert.deepEqual(order, ['high', 'low-1', 'low-2']);
  });

  it('waits for a pod and returns undefined when aborted', async () => {
    const { q } = queue();
    const pending = q.pop();
    q.add(makePod('late'));
    assert.equal((await pending)?.pod.metadata.name, 'late');
    const ac = new AbortController();
    const waiting = q.pop(ac.signal);
    ac.abort();
    assert.equal(await waiting, undefined);
  });

  it('backs off 1 s, doubling per attempt up to 10 s', async () => {
    const { q, clock } = queue();
    q.add(makePod('p'));
    const durations: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await fail(q); // an error: straight to backoffQ
      durations.push(q.backoffDuration(p));
      assert.equal(q.stats().backoff, 1);
      clock.advance(q.backoffDuration(p) - 1);
      q.flushBackoffQCompleted();
      assert.equal(q.stats().active, 0, 'still backing off');
      clock.advance(1);
      q.flushBackoffQCompleted();
      assert.equal(q.stats().active, 1);
    }
    assert.deepEqual(durations, [1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('moves unschedulable pods back only on events their plugins registered, per queueing hint', async () => {
    const labelled: ClusterEventWithHint = {
      event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
      hint: (_pod, _old, n) => ((n as Node).metadata.labels?.ssd ? 'Queue' : 'QueueSkip'),
    };
    const { q, clock } = queue([['NodeAffinity', [labelled]]]);
    q.add(makePod('p'));
    await fail(q, 'NodeAffinity');
    assert.equal(q.stats().unschedulable, 1);
    q.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Delete }, makePod('x'));
    assert.equal(q.stats().unschedulable, 1, 'an unregistered event does nothing');
    q.moveAllToActiveOrBackoffQueue(
      { resource: 'Node', actionType: ActionType.Add },
      undefined,
      makeNode('plain'),
    );
    assert.equal(q.stats().unschedulable, 1, 'the hint said QueueSkip');
    clock.advance(5000);
    q.moveAllToActiveOrBackoffQueue(
      { resource: 'Node', actionType: ActionType.Add },
      undefined,
      makeNode('fast', { labels: { ssd: 'true' } }),
    );
    assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0, inFlight: 0 });
  });

  it('sends a pod to backoff when it is moved before its backoff expired', async () => {
    const { q } = queue([
      ['NodeResourcesFit', [{ event: { resource: 'Pod', actionType: ActionType.Delete } }]],
    ]);
    q.add(makePod('p'));
    await fail(q, 'NodeResourcesFit');
    q.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Delete }, makePod('x'));
    assert.equal(q.stats().backoff, 1);
  });

  it('sends a pod to backoff when an event arrived during its scheduling cycle', async () => {
    const { q } = queue([['NodeResourcesFit', []]]);
    q.add(makePod('p'));
    const p = (await q.pop())!;
    q.moveAllToActiveOrBackoffQueue(
      { resource: 'Node', actionType: ActionType.Add },
      undefined,
      makeNode('n'),
    );
    p.unschedulablePlugins.add('NodeResourcesFit');
    q.addUnschedulableIfNotPresent(p, q.schedulingCycle);
    assert.equal(q.stats().backoff, 1);
  });

  it('flushes pods unschedulable for more than 5 minutes', async () => {
    const { q, clock } = queue([['X', []]]);
    q.add(makePod('p'));
    await fail(q, 'X');
    clock.advance(5 * 60_000);
    q.flushUnschedulablePodsLeftover();
    assert.equal(q.stats().unschedulable, 1);
    clock.advance(1);
    q.flushUnschedulablePodsLeftover();
    assert.equal(q.stats().active, 1);
  });

  it('keeps gated pods out of activeQ until the gates are removed', async () => {
    const { q } = queue();
    const gated: Pod = makePod('g', { spec: { schedulingGates: [{ name: 'wait' }] } });
    q.add(gated);
    assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
    q.update(gated, makePod('g'));
    assert.equal(q.stats().active, 1);
  });

  it('tracks nominated pods per node', () => {
    const { q } = queue();
    const p = makePod('p', { priority: 5 });
    q.addNominatedPod(p, 'n1');
    assert.equal(q.nominatedPodsForNode('n1').length, 1);
    q.addNominatedPod(p, 'n2');
    assert.equal(q.nominatedPodsForNode('n1').length, 0);
    q.delete(p);
    assert.equal(q.nominatedPodsForNode('n2').length, 0);
  });
});
