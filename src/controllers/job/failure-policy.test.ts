import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../framework/index.ts';
import { failJobMessage, matchPodFailurePolicy } from './failure-policy.ts';
import type { JobSpec } from './types.ts';

const failed = (exitCode: number, conditions: { type: string; status: string }[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  status: {
    phase: 'Failed',
    conditions,
    containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }],
  },
});

const spec: JobSpec = {
  podFailurePolicy: {
    rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
    ],
  },
};

describe('pod failure policy', () => {
  it('fails the job on a matching exit code', () => {
    const v = matchPodFailurePolicy(spec, failed(42));
    assert.equal(v.action, 'FailJob');
    assert.equal(
      v.failJobMessage,
      'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0',
    );
    assert.equal(failJobMessage(spec, [failed(1), failed(42)]), v.failJobMessage);
  });
  it('ignores disruptions and counts the rest', () => {
    assert.deepEqual(matchPodFailurePolicy(spec, failed(1, [{ type: 'DisruptionTarget', status: 'True' }])), {
      countFailed: false,
      action: 'Ignore',
    });
    assert.deepEqual(matchPodFailurePolicy(spec, failed(3)), { countFailed: true, action: 'Count' });
    assert.deepEqual(matchPodFailurePolicy(spec, failed(1)), { countFailed: true });
    assert.equal(failJobMessage(spec, [failed(1)]), undefined);
    assert.equal(failJobMessage({}, [failed(42)]), undefined);
  });
});
