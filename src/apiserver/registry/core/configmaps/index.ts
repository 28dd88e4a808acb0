import { age } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

const count = (v: unknown): number => (v !== null && typeof v === 'object' ? Object.keys(v).length : 0);

/** core/v1 ConfigMap (upstream pkg/registry/core/configmap). */
export const configmaps: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the configmap', priority: 0 },
      { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData', priority: 0 },
      { name: 'Age', type: 'string', description: 'CreationTimestamp of the configmap', priority: 0 },
    ],
    row: (obj, now) => [obj.metadata.name ?? '', count(obj['data']) + count(obj['binaryData']), age(obj, now)],
  },
};
