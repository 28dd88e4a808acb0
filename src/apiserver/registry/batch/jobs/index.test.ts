import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../../apps/testing.ts';
import { jobs } from './index.ts';

const uid = '0a1b2c3d-0000-4000-8000-000000000001';
const base = (
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = { name: 'pi' },
): Record<string, unknown> => ({
  metadata,
  spec: { template: template({ restartPolicy: 'Never' }), ...spec },
});
const specOf = (obj: KubeObject): Record<string, unknown> => obj['spec'] as Record<string, unknown>;

describe('jobs', () => {
  it('fills batch/v1 defaults and generates the selector and labels', () => {
    const { obj, errors } = create(jobs, base());
    assert.deepEqual(errors, []);
    const spec = specOf(obj);
    for (const [k, v] of Object.entries({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    })) {
      assert.equal(spec[k], v, k);
    }
    assert.deepEqual(spec['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = {
      app: 'web',
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
    };
    assert.deepEqual((spec['template'] as { metadata: { labels: unknown } }).metadata.labels, labels);
    // A Job without labels of its own gets its pods' labels, generated ones included.
    assert.deepEqual(obj.metadata.labels, labels);
    assert.deepEqual(obj['status'], {});
  });

  const defaultCases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['parallelism only', { parallelism: 3 }, { parallelism: 3, completions: undefined }],
    ['completions only', { completions: 5 }, { parallelism: 1, completions: 5 }],
    [
      'backoff per index',
      { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 },
      { backoffLimit: 2147483647 },
    ],
    [
      'failure policy',
      {
        podFailurePolicy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      },
      { podReplacementPolicy: 'Failed' },
    ],
  ];
  for (const [name, spec, want] of defaultCases) {
    it(`defaults: ${name}`, () => {
      const got = specOf(create(jobs, base(spec)).obj);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, k);
    });
  }

  it('keeps labels the Job has, and a manual selector', () => {
    const manual = create(
      jobs,
      base(
        { manualSelector: true, selector: { matchLabels: { app: 'web' } } },
        { name: 'pi', labels: { team: 'a' } },
      ),
    );
    assert.deepEqual(manual.errors, []);
    assert.deepEqual(manual.obj.metadata.labels, { team: 'a' });
    assert.deepEqual(specOf(manual.obj)['selector'], { matchLabels: { app: 'web' } });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    ['restartPolicy unset', { template: template() }, ['Required spec.template.spec.restartPolicy']],
    [
      'restartPolicy Always',
      { template: template({ restartPolicy: 'Always' }) },
      ['Required spec.template.spec.restartPolicy'],
    ],
    [
      'failure policy needs Never',
      { podFailurePolicy: { rules: [] }, template: template({ restartPolicy: 'OnFailure' }) },
      ['Invalid spec.template.spec.restartPolicy'],
    ],
    [
      'negative counts',
      { parallelism: -1, backoffLimit: -1 },
      ['Invalid spec.parallelism', 'Invalid spec.backoffLimit'],
    ],
    ['bad completion mode', { completionMode: 'Sometimes' }, ['NotSupported spec.completionMode']],
    [
      'indexed without completions',
      { completionMode: 'Indexed', completions: undefined, parallelism: 2 },
      ['Required spec.completions'],
    ],
    ['per-index limit needs indexed', { backoffLimitPerIndex: 1 }, ['Invalid spec.backoffLimitPerIndex']],
    ['replacement policy', { podReplacementPolicy: 'Sometimes' }, ['NotSupported spec.podReplacementPolicy']],
    ['managedBy', { managedBy: 'nodomain' }, ['Invalid spec.managedBy']],
    [
      'manual selector missing',
      { manualSelector: true },
      ['Required spec.selector', 'Invalid spec.template.metadata.labels'],
    ],
    [
      'generated selector overridden',
      { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } } },
      ['Invalid spec.selector', 'Invalid spec.template.metadata.labels'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(jobs, base(spec)).errors), want));
  }

  it('prints upstream messages', () => {
    const { errors } = create(jobs, base({ template: template() }));
    assert.equal(
      errorString(errors[0]!),
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    );
    const long = create(jobs, base({ completionMode: 'Indexed', completions: 10 }, { name: 'a'.repeat(62) }));
    assert.deepEqual(errorKeys(long.errors), ['Invalid metadata.name']);
  });

  it('keeps the selector, completions and template immutable', () => {
    const old = create(jobs, base()).obj;
    const next = structuredClone(old);
    specOf(next)['completions'] = 3;
    specOf(next)['backoffLimit'] = 2;
    (specOf(next)['template'] as { spec: Record<string, unknown> }).spec['nodeSelector'] = { zone: 'a' };
    assert.deepEqual(errorKeys(update(jobs, next, old).errors), [
      'Invalid spec.completions',
      'Invalid spec.template',
    ]);
    // A suspended Job that never started may move its pods.
    const suspended = create(jobs, base({ suspend: true })).obj;
    const moved = structuredClone(suspended);
    (specOf(moved)['template'] as { spec: Record<string, unknown> }).spec['nodeSelector'] = { zone: 'a' };
    assert.deepEqual(update(jobs, moved, suspended).errors, []);
  });

  it('validates status transitions', () => {
    const old = create(jobs, base()).obj;
    old['status'] = { succeeded: 1, failed: 2, startTime: '2025-01-01T00:00:00Z' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ succeeded: 1, failed: 2, active: 1, startTime: '2025-01-01T00:00:00Z' }, []],
      [
        { succeeded: 0, failed: 1, startTime: '2025-01-01T00:00:00Z' },
        ['Invalid status.failed', 'Invalid status.succeeded'],
      ],
      [
        { succeeded: 1, failed: 2, active: 1, conditions: [{ type: 'Complete', status: 'True' }] },
        ['Required status.completionTime', 'Invalid status.active', 'Required status.startTime'],
      ],
    ];
    for (const [st, want] of cases) {
      assert.deepEqual(errorKeys(jobs.status?.validateUpdate?.({ ...old, status: st }, old) ?? []), want);
    }
    const complete = { ...old, status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    const reopened = { ...old, status: { conditions: [] } };
    const errors = jobs.status?.validateUpdate?.(reopened, complete) ?? [];
    assert.equal(
      errorString(errors[0]!),
      'status.conditions: Invalid value: cannot disable the terminal Complete=True condition',
    );
  });

  const now = new Date('2025-01-01T00:10:00Z');
  const rows: [string, Record<string, unknown>, Record<string, unknown>, unknown[]][] = [
    ['running', {}, { startTime: '2025-01-01T00:08:00Z' }, ['Running', '0/1', '2m']],
    [
      'complete',
      {},
      {
        succeeded: 1,
        startTime: '2025-01-01T00:00:00Z',
        completionTime: '2025-01-01T00:00:42Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
      ['Complete', '1/1', '42s'],
    ],
    ['failed', {}, { conditions: [{ type: 'Failed', status: 'True' }] }, ['Failed', '0/1', '']],
    [
      'suspended',
      { suspend: true },
      { conditions: [{ type: 'Suspended', status: 'True' }] },
      ['Suspended', '0/1', ''],
    ],
    ['work queue', { parallelism: 3 }, { succeeded: 2 }, ['Running', '2/1 of 3', '']],
  ];
  for (const [name, spec, st, cells] of rows) {
    it(`prints NAME STATUS COMPLETIONS DURATION AGE: ${name}`, () => {
      const { obj } = create(jobs, base(spec));
      obj['status'] = st;
      const row = jobs.table?.row(obj, now) ?? [];
      assert.deepEqual(row.slice(0, 5), ['pi', ...cells, '10m']);
      assert.deepEqual(row.slice(5), ['web', 'nginx:1.27', `batch.kubernetes.io/controller-uid=${uid}`]);
    });
  }

  it('selects on status.successful', () => {
    assert.deepEqual(jobs.fields?.({ metadata: {}, status: { succeeded: 4 } }), { 'status.successful': '4' });
    assert.deepEqual(jobs.fields?.({ metadata: {} }), { 'status.successful': '0' });
  });
});
