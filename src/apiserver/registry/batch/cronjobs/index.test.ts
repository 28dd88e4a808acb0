import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, template, update } from '../../apps/testing.ts';
import { cronjobs } from './index.ts';
import { scheduleError } from './schedule.ts';

const base = (spec: Record<string, unknown> = {}, name = 'nightly'): Record<string, unknown> => ({
  metadata: { name },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: { spec: { template: template({ restartPolicy: 'OnFailure' }) } },
    ...spec,
  },
});
const specOf = (obj: KubeObject): Record<string, unknown> => obj['spec'] as Record<string, unknown>;

describe('cron schedules (robfig/cron ParseStandard)', () => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['0 3 * * mon-fri', undefined],
    ['15,45 1-5/2 1 JAN,jul ?', undefined],
    ['@daily', undefined],
    ['@every 1h30m', undefined],
    ['TZ=UTC 0 0 * * *', undefined],
    ['', 'empty spec string'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@sometimes', 'unrecognized descriptor: @sometimes'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Nowhere/Land * * * * *', 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land'],
  ];
  for (const [schedule, want] of cases) {
    it(`${JSON.stringify(schedule)}`, () => assert.equal(scheduleError(schedule), want));
  }
});

describe('cronjobs', () => {
  it('fills batch/v1 defaults; the job template gets only pod template defaults', () => {
    const { obj, errors } = create(cronjobs, base());
    assert.deepEqual(errors, []);
    const spec = specOf(obj);
    assert.equal(spec['concurrencyPolicy'], 'Allow');
    assert.equal(spec['suspend'], false);
    assert.equal(spec['successfulJobsHistoryLimit'], 3);
    assert.equal(spec['failedJobsHistoryLimit'], 1);
    const jobTemplate = spec['jobTemplate'] as { metadata: unknown; spec: Record<string, unknown> };
    assert.deepEqual(jobTemplate.metadata, { creationTimestamp: null });
    assert.equal(jobTemplate.spec['backoffLimit'], undefined);
    assert.equal(
      (jobTemplate.spec['template'] as { spec: Record<string, unknown> }).spec['dnsPolicy'],
      'ClusterFirst',
    );
    assert.deepEqual(obj['status'], {});
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', {}, []],
    ['time zone', { timeZone: 'Europe/Berlin' }, []],
    ['no schedule', { schedule: '' }, ['Required spec.schedule']],
    ['bad schedule', { schedule: '61 * * * *' }, ['Invalid spec.schedule']],
    ['TZ in schedule', { schedule: 'CRON_TZ=UTC 0 * * * *' }, ['Invalid spec.schedule']],
    ['unknown zone', { timeZone: 'Mars/Olympus' }, ['Invalid spec.timeZone']],
    ['empty zone', { timeZone: '' }, ['Invalid spec.timeZone']],
    ['Local zone', { timeZone: 'Local' }, ['Invalid spec.timeZone']],
    ['concurrency', { concurrencyPolicy: 'Sometimes' }, ['NotSupported spec.concurrencyPolicy']],
    ['negative deadline', { startingDeadlineSeconds: -1 }, ['Invalid spec.startingDeadlineSeconds']],
    ['negative history', { failedJobsHistoryLimit: -1 }, ['Invalid spec.failedJobsHistoryLimit']],
    [
      'job template selector',
      {
        jobTemplate: {
          spec: {
            selector: { matchLabels: { a: 'b' } },
            manualSelector: true,
            template: template({ restartPolicy: 'Never' }),
          },
        },
      },
      ['Invalid spec.jobTemplate.spec.selector', 'NotSupported spec.jobTemplate.spec.manualSelector'],
    ],
    [
      'job template restartPolicy',
      { jobTemplate: { spec: { template: template() } } },
      ['Required spec.jobTemplate.spec.template.spec.restartPolicy'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates: ${name}`, () => assert.deepEqual(errorKeys(create(cronjobs, base(spec)).errors), want));
  }

  it('prints upstream messages and limits new names to 52 characters', () => {
    const { errors } = create(cronjobs, base({ schedule: 'TZ=UTC 0 * * * *' }));
    assert.equal(
      errorString(errors[0]!),
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    const long = create(cronjobs, base({}, 'a'.repeat(53)));
    assert.deepEqual(errorKeys(long.errors), ['Invalid metadata.name']);
    // Old long names stay updatable, and a TZ already in the schedule may stay.
    const old = structuredClone(long.obj);
    (old['spec'] as Record<string, unknown>)['schedule'] = 'TZ=UTC 0 * * * *';
    assert.deepEqual(update(cronjobs, structuredClone(old), old).errors, []);
  });

  it('prints NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const { obj } = create(cronjobs, base({ timeZone: 'Etc/UTC' }));
    obj['status'] = { active: [{ name: 'nightly-1' }], lastScheduleTime: '2025-01-01T00:55:00Z' };
    assert.deepEqual(cronjobs.table?.row(obj, new Date('2025-01-01T01:00:00Z')), [
      'nightly',
      '*/5 * * * *',
      'Etc/UTC',
      'False',
      1,
      '5m',
      '60m',
      'web',
      'nginx:1.27',
      '<none>',
    ]);
    const bare: KubeObject = { metadata: { name: 'b' }, spec: { schedule: '@hourly' } };
    assert.deepEqual(cronjobs.table?.row(bare, new Date()).slice(0, 6), [
      'b',
      '@hourly',
      '<none>',
      '<unset>',
      0,
      '<none>',
    ]);
    assert.deepEqual(cronjobs.shortNames, ['cj']);
  });
});
