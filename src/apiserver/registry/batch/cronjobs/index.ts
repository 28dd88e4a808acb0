import { type FieldError, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  containerCells,
  containersColumnDescription,
  defaultPodTemplate,
  ensure,
  formatLabelSelector,
  imagesColumnDescription,
  nonNegative,
  printBoolPtr,
  rec,
} from '../../apps/workload.ts';
import { type JobSpec, validateJobSpec } from '../jobs/index.ts';
import { knownTimeZone, scheduleError } from './schedule.ts';

interface CronJobSpec {
  schedule?: string;
  timeZone?: string | null;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  jobTemplate?: {
    metadata?: { creationTimestamp?: string | null; [field: string]: unknown };
    spec?: JobSpec;
  };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

const spec = (obj: KubeObject): CronJobSpec => rec(obj['spec']) as CronJobSpec;
const status = (obj: KubeObject): { active?: unknown[]; lastScheduleTime?: string } => rec(obj['status']);

/** batch/v1 SetDefaults_CronJob; the job template gets the pod template's defaults, not a Job's. */
function defaults(obj: KubeObject): void {
  const s = ensure<CronJobSpec>(obj, 'spec');
  s.concurrencyPolicy ||= 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  s.jobTemplate ??= {};
  s.jobTemplate.metadata ??= {};
  if (s.jobTemplate.metadata.creationTimestamp === undefined) s.jobTemplate.metadata.creationTimestamp = null;
  s.jobTemplate.spec ??= {};
  s.jobTemplate.spec.template ??= {};
  defaultPodTemplate(s.jobTemplate.spec.template);
}

// Time zone names as the IANA theory file describes them; digits and '+' for legacy names.
const timeZonePart = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone. */
function validateTimeZone(zone: string | null | undefined): FieldError[] {
  const path = 'spec.timeZone';
  if (zone === undefined || zone === null) return [];
  if (zone === '') return [invalid(path, zone, 'timeZone must be nil or non-empty string')];
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !timeZonePart.test(part)) {
      return [invalid(path, zone, `unknown time zone ${zone}`)];
    }
  }
  const errors: FieldError[] = [];
  if (zone.toLowerCase() === 'local') {
    errors.push(
      invalid(
        path,
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  }
  if (!knownTimeZone(zone)) errors.push(invalid(path, zone, `unknown time zone ${zone}`));
  return errors;
}

/** validateCronJobSpec; `old` is set on update. */
function validateSpec(s: CronJobSpec, old: CronJobSpec | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const schedule = s.schedule ?? '';
  if (schedule === '') {
    errors.push(required('spec.schedule', ''));
  } else {
    // validateScheduleFormat: TZ in the schedule only stays allowed where it already was.
    const allowTZ = old !== undefined && (old.schedule ?? '').includes('TZ');
    const parseError = scheduleError(schedule);
    if (parseError !== undefined) errors.push(invalid('spec.schedule', schedule, parseError));
    if (allowTZ && schedule.includes('TZ') && s.timeZone !== undefined && s.timeZone !== null) {
      errors.push(
        invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'),
      );
    } else if (!allowTZ && schedule.includes('TZ')) {
      errors.push(
        invalid(
          'spec.schedule',
          schedule,
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      );
    }
  }
  errors.push(...nonNegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (old === undefined || (old.timeZone ?? null) !== (s.timeZone ?? null))
    errors.push(...validateTimeZone(s.timeZone));
  const policy = s.concurrencyPolicy ?? '';
  if (policy === '') errors.push(required('spec.concurrencyPolicy', ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) {
    errors.push(notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  }
  // ValidateJobTemplateSpec: the Job's selector is always generated.
  const jobSpec = s.jobTemplate?.spec ?? {};
  errors.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector !== undefined && jobSpec.selector !== null) {
    errors.push(
      invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'),
    );
  }
  if (jobSpec.manualSelector === true) {
    errors.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  }
  errors.push(...nonNegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errors.push(...nonNegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errors;
}

/** ValidateCronJobCreate: the controller names Jobs `<cronjob>-<11 characters>`, within 63. */
function validate(obj: KubeObject): FieldError[] {
  const errors = validateSpec(spec(obj), undefined);
  const name = obj.metadata.name ?? '';
  if (name.length > 52) errors.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errors;
}

/** batch/v1 CronJob (upstream pkg/registry/batch/cronjob and printCronJob). */
export const cronjobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  // The status strategy validates nothing.
  status: { validateUpdate: () => [] },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
    },
    defaults,
    validate,
    // Old names beyond 52 characters stay updatable.
    validateUpdate: (obj, old) => validateSpec(spec(obj), spec(old)),
  },
  table: {
    columns: [
      nameColumn('cronjob'),
      {
        name: 'Schedule',
        type: 'string',
        description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
        priority: 0,
      },
      {
        name: 'Timezone',
        type: 'string',
        description:
          'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.',
        priority: 0,
      },
      {
        name: 'Suspend',
        type: 'boolean',
        description:
          'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
        priority: 0,
      },
      {
        name: 'Active',
        type: 'integer',
        description: 'A list of pointers to currently running jobs.',
        priority: 0,
      },
      {
        name: 'Last Schedule',
        type: 'string',
        description: 'Information when was the last time the job was successfully scheduled.',
        priority: 0,
      },
      ageColumn('cronjob'),
      { name: 'Containers', type: 'string', description: containersColumnDescription, priority: 1 },
      { name: 'Images', type: 'string', description: imagesColumnDescription, priority: 1 },
      {
        name: 'Selector',
        type: 'string',
        description:
          'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const st = status(obj);
      const jobSpec = s.jobTemplate?.spec;
      const [names, images] = containerCells(jobSpec?.template);
      const last = st.lastScheduleTime;
      return [
        obj.metadata.name ?? '',
        s.schedule ?? '',
        typeof s.timeZone === 'string' ? s.timeZone : '<none>',
        printBoolPtr(s.suspend),
        Array.isArray(st.active) ? st.active.length : 0,
        last === undefined ? '<none>' : age({ metadata: { creationTimestamp: last } }, now),
        age(obj, now),
        names,
        images,
        formatLabelSelector(jobSpec?.selector),
      ];
    },
  },
};
