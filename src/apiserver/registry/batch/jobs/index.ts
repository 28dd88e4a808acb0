import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  containerCells,
  containersColumnDescription,
  formatLabelSelector,
  imagesColumnDescription,
  int,
} from '../../apps/workload.ts';
import { defaults, generateSelector } from './defaults.ts';
import { controllerUidLabel, jobNameLabel, spec, status } from './spec.ts';
import { validateStatus } from './status.ts';
import { completionsCell, durationCell, jobStatus } from './table.ts';
import { validateJob, validateJobUpdate } from './validation.ts';

export { controllerUidLabel, type JobSpec, jobNameLabel } from './spec.ts';
export { validateJobSpec } from './validation.ts';

/** batch/v1 Job (upstream pkg/registry/batch/job and printJob). */
export const jobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  status: { validateUpdate: validateStatus },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
      // generateSelectorIfNeeded runs before the defaults here, so an unset manualSelector is false.
      if (spec(obj).manualSelector !== true) generateSelector(obj);
    },
    defaults,
    validate: (obj) => validateJob(obj, true),
    validateUpdate(obj, old) {
      // Jobs from before the prefixed labels existed are not asked for them.
      const oldLabels = spec(old).template?.metadata?.labels ?? {};
      const prefixed = Object.hasOwn(oldLabels, jobNameLabel) && Object.hasOwn(oldLabels, controllerUidLabel);
      return [...validateJob(obj, prefixed), ...validateJobUpdate(obj, old)];
    },
  },
  table: {
    columns: [
      nameColumn('job'),
      { name: 'Status', type: 'string', description: 'Status of the job.', priority: 0 },
      {
        name: 'Completions',
        type: 'string',
        description:
          'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
        priority: 0,
      },
      { name: 'Duration', type: 'string', description: 'Time required to complete the job.', priority: 0 },
      ageColumn('job'),
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
      const [names, images] = containerCells(s.template);
      return [
        obj.metadata.name ?? '',
        jobStatus(obj),
        completionsCell(obj),
        durationCell(obj, now),
        age(obj, now),
        names,
        images,
        formatLabelSelector(s.selector),
      ];
    },
  },
  // JobToSelectableFields.
  fields: (obj) => ({ 'status.successful': String(int(status(obj).succeeded)) }),
};
