// The resources the controllers, scheduler and agent watch, as GroupVersionResources with scope.
// Any other resource (a CRD, say) is just another ResourceDescriptor literal.
import type { ResourceDescriptor } from './resource.ts';

const core = (resource: string, namespaced = true): ResourceDescriptor => ({
  group: '',
  version: 'v1',
  resource,
  namespaced,
});

export const resources = {
  pods: core('pods'),
  configmaps: core('configmaps'),
  secrets: core('secrets'),
  services: core('services'),
  endpoints: core('endpoints'),
  events: core('events'),
  serviceaccounts: core('serviceaccounts'),
  persistentvolumeclaims: core('persistentvolumeclaims'),
  replicationcontrollers: core('replicationcontrollers'),
  resourcequotas: core('resourcequotas'),
  limitranges: core('limitranges'),
  nodes: core('nodes', false),
  namespaces: core('namespaces', false),
  persistentvolumes: core('persistentvolumes', false),
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true },
  poddisruptionbudgets: {
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    namespaced: true,
  },
  horizontalpodautoscalers: {
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceDescriptor>;
