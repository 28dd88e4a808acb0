import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../job/index.ts';
import { ttlLeftMs } from './ttl.ts';

const t0 = Date.UTC(2024, 0, 1);
const job = (ttl: number | undefined, finished: string | undefined): Job => ({
  metadata: { name: 'j' },
  spec: { ttlSecondsAfterFinished: ttl },
  status:
    finished === undefined
      ? {}
      : { conditions: [{ type: finished, status: 'True', lastTransitionTime: new Date(t0).toISOString() }] },
});

describe('ttl after finished', () => {
  it('counts from the finish time', () => {
    assert.equal(ttlLeftMs(job(10, 'Complete'), t0 + 4000), 6000);
    assert.equal(ttlLeftMs(job(0, 'Failed'), t0 + 1), -1);
  });
  it('ignores jobs without a TTL or still running', () => {
    assert.equal(ttlLeftMs(job(undefined, 'Complete'), t0), undefined);
    assert.equal(ttlLeftMs(job(10, undefined), t0), undefined);
    assert.equal(ttlLeftMs(job(10, 'SuccessCriteriaMet'), t0), undefined);
  });
});
