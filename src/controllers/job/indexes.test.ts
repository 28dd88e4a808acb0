import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  firstPendingIndexes,
  formatIntervals,
  generateNameWithIndex,
  parseIntervals,
  totalIndexes,
  withIndexes,
} from './indexes.ts';

describe('completed indexes', () => {
  const cases: [string, number, string, number][] = [
    ['', 5, '', 0],
    ['0-2,4', 5, '0-2,4', 4],
    ['0,1,2,4', 5, '0-2,4', 4],
    ['3-9', 5, '3-4', 2],
    ['1,x,3', 5, '1,3', 2],
    ['7', 5, '', 0],
  ];
  for (const [text, completions, want, total] of cases) {
    it(`parses ${JSON.stringify(text)} of ${completions}`, () => {
      const iv = parseIntervals(text, completions);
      assert.equal(formatIntervals(iv), want);
      assert.equal(totalIndexes(iv), total);
    });
  }
  it('merges new indexes into intervals', () => {
    assert.equal(formatIntervals(withIndexes(parseIntervals('0-2,6', 10), [3, 5, 8])), '0-3,5-6,8');
    assert.equal(formatIntervals(withIndexes([], [4, 2, 3, 2])), '2-4');
  });
  it('picks the lowest pending indexes', () => {
    assert.deepEqual(firstPendingIndexes(parseIntervals('0,2', 6), new Set([1, 4]), 2, 6), [3, 5]);
    assert.deepEqual(firstPendingIndexes([], new Set(), 5, 3), [0, 1, 2]);
  });
  it('names pods <job>-<index>-', () => {
    assert.equal(generateNameWithIndex('pi', 3), 'pi-3-');
    assert.equal(generateNameWithIndex('x'.repeat(80), 12).length, 58);
  });
});
