import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import { ControllerExpectations, expectationsTimeoutMs } from './expectations.ts';

describe('ControllerExpectations', () => {
  it('is satisfied without a record', () => {
    assert.equal(new ControllerExpectations().satisfiedExpectations('ns/rs'), true);
  });

  it('waits until every expected creation is observed', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfiedExpectations('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), true);
    // More observations than expected (someone else's pods) stay satisfied.
    e.creationObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), true);
  });

  it('tracks deletions, raising and lowering', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    e.expectDeletions('k', 1);
    e.raiseExpectations('k', 1, 0);
    assert.deepEqual({ ...e.get('k'), timestamp: 0 }, { add: 1, del: 1, timestamp: 0 });
    e.deletionObserved('k');
    assert.equal(e.satisfiedExpectations('k'), false);
    // A create that failed will never be observed.
    e.lowerExpectations('k', 1, 0);
    assert.equal(e.satisfiedExpectations('k'), true);
    e.deleteExpectations('k');
    assert.equal(e.get('k'), undefined);
  });

  it('counts an expectation older than the 5 minute TTL as satisfied', async () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    e.expectCreations('k', 3);
    await clock.advance(expectationsTimeoutMs);
    assert.equal(e.satisfiedExpectations('k'), false);
    await clock.advance(1);
    assert.equal(e.satisfiedExpectations('k'), true);
  });
});
