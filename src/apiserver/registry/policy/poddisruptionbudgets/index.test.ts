import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys } from '../../apps/testing.ts';
import { poddisruptionbudgets as pdbs } from './index.ts';

const base = (spec: Record<string, unknown>): Record<string, unknown> => ({
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

describe('poddisruptionbudgets', () => {
  it('starts with the zero counters', () => {
    assert.deepEqual(create(pdbs, base({ minAvailable: 1 })).obj['status'], {
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['minAvailable', { minAvailable: 2 }, []],
    ['maxUnavailable percent', { maxUnavailable: '25%' }, []],
    // Upstream accepts neither; only both together is an error.
    ['neither', {}, []],
    ['both', { minAvailable: 1, maxUnavailable: 1 }, ['Invalid spec']],
    ['negative', { minAvailable: -1 }, ['Invalid spec.minAvailable']],
    ['over 100%', { maxUnavailable: '101%' }, ['Invalid spec.maxUnavailable']],
    ['not a percent', { minAvailable: 'half' }, ['Invalid spec.minAvailable']],
    [
      'eviction policy',
      { minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' },
      ['NotSupported spec.unhealthyPodEvictionPolicy'],
    ],
    [
      'selector',
      {
        minAvailable: 1,
        selector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] },
      },
      ['Forbidden spec.selector.matchExpressions[0].values'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(pdbs, base(spec)).errors), want));
  }

  it('prints upstream messages', () => {
    const [both] = create(pdbs, base({ minAvailable: 1, maxUnavailable: 1 })).errors;
    assert.match(
      errorString(both!),
      /^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/,
    );
    const [percent] = create(pdbs, base({ minAvailable: 'half' })).errors;
    assert.equal(
      errorString(percent!),
      `spec.minAvailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    );
  });

  it('validates status counters', () => {
    const old = create(pdbs, base({ minAvailable: 1 })).obj;
    const next: KubeObject = { ...old, status: { disruptionsAllowed: -1, expectedPods: 2 } };
    assert.deepEqual(errorKeys(pdbs.status?.validateUpdate?.(next, old) ?? []), [
      'Invalid status.disruptionsAllowed',
    ]);
  });

  it('prints NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE', () => {
    const { obj } = create(pdbs, base({ maxUnavailable: '25%' }));
    obj['status'] = { disruptionsAllowed: 1 };
    assert.deepEqual(pdbs.table?.row(obj, new Date('2025-01-01T00:00:09Z')), ['web', 'N/A', '25%', 1, '9s']);
    assert.deepEqual(pdbs.shortNames, ['pdb']);
  });
});
