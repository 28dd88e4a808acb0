// The named API groups beyond core, in the order upstream's discovery lists them (the aggregator's group
// priorities: events.k8s.io 17750, networking 17200, rbac 17000, storage 16800, apiextensions 16700,
// scheduling 16600, coordination 16500, discovery 16200), resources by name within a group.
import { customresourcedefinitions } from './apiextensions/customresourcedefinitions/index.ts';
import { leases } from './coordination/leases/index.ts';
import { endpointslices } from './discovery/endpointslices/index.ts';
import { events } from './events/events/index.ts';
import { ingressclasses } from './networking/ingressclasses/index.ts';
import { ingresses } from './networking/ingresses/index.ts';
import { networkpolicies } from './networking/networkpolicies/index.ts';
import { clusterrolebindings } from './rbac/clusterrolebindings/index.ts';
import { clusterroles } from './rbac/clusterroles/index.ts';
import { rolebindings } from './rbac/rolebindings/index.ts';
import { roles } from './rbac/roles/index.ts';
import { priorityclasses } from './scheduling/priorityclasses/index.ts';
import { storageclasses } from './storage/storageclasses/index.ts';
import type { ResourceDefinition } from './types.ts';

export const groupResources: readonly ResourceDefinition[] = [
  events,
  ingressclasses,
  ingresses,
  networkpolicies,
  clusterrolebindings,
  clusterroles,
  rolebindings,
  roles,
  storageclasses,
  customresourcedefinitions,
  priorityclasses,
  leases,
  endpointslices,
];
