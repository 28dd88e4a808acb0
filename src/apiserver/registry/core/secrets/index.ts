import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

/** core/v1 Secret (upstream pkg/registry/core/secret). */
export const secrets: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  strategy: {
    defaults(obj) {
      obj['type'] ??= 'Opaque';
    },
  },
  table: {
    columns: [
      nameColumn('secret'),
      { name: 'Type', type: 'string', description: 'The type of the secret', priority: 0 },
      { name: 'Data', type: 'integer', description: 'The number of entries in data', priority: 0 },
      ageColumn('secret'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      String(obj['type'] ?? ''),
      obj['data'] !== null && typeof obj['data'] === 'object' ? Object.keys(obj['data']).length : 0,
      age(obj, now),
    ],
  },
  fields: (obj) => ({ type: String(obj['type'] ?? '') }),
};
