import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { ensure, formatLabels, keepAllButStatus } from '../shared.ts';
import { defaultIPMode, setDefaults } from './defaults.ts';
import { type ServiceSpec, spec } from './spec.ts';
import { clusterIPCell, externalIP, portString } from './table.ts';
import { dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues } from './update.ts';
import { validateService, validateServiceUpdate } from './validation.ts';

export { externalIP, portString } from './table.ts';
export { validateService, validateServiceUpdate } from './validation.ts';

/** core/v1 Service (upstream pkg/registry/core/service): strategy, printer columns, field selectors. */
export const services: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  status: {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      if (spec(obj).type === 'LoadBalancer') defaultIPMode(obj);
    },
  },
  strategy: {
    defaults: setDefaults,
    prepareForCreate(obj) {
      obj['status'] = { loadBalancer: {} };
      normalizeClusterIPs(ensure(obj, 'spec') as ServiceSpec, undefined);
    },
    prepareForUpdate(obj, old) {
      const s = ensure(obj, 'spec') as ServiceSpec;
      const o = spec(old);
      patchAllocatedValues(s, o);
      normalizeClusterIPs(s, o);
      dropTypeDependentFields(obj, s, o);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  },
  table: {
    columns: [
      nameColumn('service'),
      {
        name: 'Type',
        type: 'string',
        description:
          'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
        priority: 0,
      },
      {
        name: 'Cluster-IP',
        type: 'string',
        description: 'clusterIP is the IP address of the service and is usually assigned randomly.',
        priority: 0,
      },
      {
        name: 'External-IP',
        type: 'string',
        description:
          'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
        priority: 0,
      },
      {
        name: 'Port(s)',
        type: 'string',
        description: 'The list of ports that are exposed by this service.',
        priority: 0,
      },
      ageColumn('service'),
      {
        name: 'Selector',
        type: 'string',
        description: 'Route service traffic to pods with label keys and values matching this selector.',
        priority: 1,
      },
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      spec(obj).type ?? '',
      clusterIPCell(obj),
      externalIP(obj),
      portString(obj),
      age(obj, now),
      formatLabels(spec(obj).selector),
    ],
  },
  fields: (obj) => ({
    'spec.clusterIP': spec(obj).clusterIP ?? '',
    'spec.type': spec(obj).type ?? '',
  }),
};
