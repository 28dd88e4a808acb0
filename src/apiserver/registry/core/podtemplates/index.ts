import type { KubeObject } from '../../../../api/meta.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  defaultPodTemplateSpec,
  ensure,
  formatLabels,
  jsonEqual,
  layoutContainerCells,
  rec,
  validatePodTemplateSpec,
} from '../shared.ts';

const template = (obj: KubeObject): Record<string, unknown> => rec(obj['template']);

/** core/v1 PodTemplate (upstream pkg/registry/core/podtemplate). */
export const podtemplates: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  strategy: {
    // podtemplateStrategy counts generations of the template, which is not under spec.
    prepareForCreate(obj) {
      obj.metadata.generation = 1;
    },
    specChanged: (obj, old) => !jsonEqual(obj['template'], old['template']),
    defaults(obj) {
      defaultPodTemplateSpec(ensure(obj, 'template'));
    },
    validate: (obj) => validatePodTemplateSpec(template(obj), 'template'),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the pod template', priority: 0 },
      {
        name: 'Containers',
        type: 'string',
        description: 'Names of each container in the template.',
        priority: 0,
      },
      {
        name: 'Images',
        type: 'string',
        description: 'Images referenced by each container in the template.',
        priority: 0,
      },
      { name: 'Pod Labels', type: 'string', description: 'The labels for the pod template.', priority: 0 },
    ],
    row: (obj) => {
      const [names, images] = layoutContainerCells(rec(template(obj)['spec'])['containers']);
      return [obj.metadata.name ?? '', names, images, formatLabels(rec(template(obj)['metadata'])['labels'])];
    },
  },
};
