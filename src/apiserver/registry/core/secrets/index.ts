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
      // stringData is write-only: its entries replace data's, base64-encoded, and it is not stored
      // (upstream's v1 → internal Secret conversion).
      const plain = obj['stringData'];
      if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
        const data = (obj['data'] ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(plain))
          data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        obj['data'] = data;
      }
      delete obj['stringData'];
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
