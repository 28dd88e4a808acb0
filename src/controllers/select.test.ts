import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectControllers } from './index.ts';
import type { Controller } from './types.ts';

const named = (name: string): Controller => ({ name, register: () => {}, run: async () => {} });

describe('--controllers', () => {
  const all = ['deployment', 'job', 'cronjob'].map(named);
  const pick = (list: string[]): string[] => selectControllers(all, list).map((c) => c.name);
  it('reads the list as kube-controller-manager does', () => {
    assert.deepEqual(pick(['*']), ['deployment', 'job', 'cronjob']);
    assert.deepEqual(pick(['*', '-job']), ['deployment', 'cronjob']);
    assert.deepEqual(pick(['job']), ['job']);
    assert.deepEqual(pick([]), []);
  });
});
