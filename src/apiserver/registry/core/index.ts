// The core/v1 resources beyond the first slice's (pods, configmaps, namespaces, secrets,
// serviceaccounts): one folder each, listed here for the registry.
import type { ResourceDefinition } from '../types.ts';
import { endpoints } from './endpoints/index.ts';
import { events } from './events/index.ts';
import { limitranges } from './limitranges/index.ts';
import { nodes } from './nodes/index.ts';
import { persistentvolumeclaims } from './persistentvolumeclaims/index.ts';
import { persistentvolumes } from './persistentvolumes/index.ts';
import { podtemplates } from './podtemplates/index.ts';
import { replicationcontrollers } from './replicationcontrollers/index.ts';
import { resourcequotas } from './resourcequotas/index.ts';
import { services } from './services/index.ts';

export const coreResources: readonly ResourceDefinition[] = [
  endpoints,
  events,
  limitranges,
  nodes,
  persistentvolumeclaims,
  persistentvolumes,
  podtemplates,
  replicationcontrollers,
  resourcequotas,
  services,
];
