import type { KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

/** core/v1 Namespace (upstream pkg/registry/core/namespace). */
export const namespaces: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  status: {},
  actions: [{ name: 'finalize', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] }],
  strategy: {
    defaults(obj: KubeObject) {
      // The kubernetes finalizer keeps a deleted namespace until the namespace controller empties it.
      obj['spec'] ??= {};
      obj['status'] ??= {};
      const spec = obj['spec'] as { finalizers?: string[] };
      spec.finalizers ??= ['kubernetes'];
      const status = obj['status'] as { phase?: string };
      status.phase ??= 'Active';
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name ?? '',
      };
    },
  },
  table: {
    columns: [
      nameColumn('namespace'),
      { name: 'Status', type: 'string', description: 'The status of the namespace', priority: 0 },
      ageColumn('namespace'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      (obj['status'] as { phase?: string } | undefined)?.phase ?? '',
      age(obj, now),
    ],
  },
  fields: (obj) => ({ 'status.phase': (obj['status'] as { phase?: string } | undefined)?.phase ?? '' }),
};
