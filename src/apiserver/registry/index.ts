// Every built-in resource navis serves: one line per resource, its folder holds the rest.
import { configmaps } from './core/configmaps/index.ts';
import { namespaces } from './core/namespaces/index.ts';
import { pods } from './core/pods/index.ts';
import { secrets } from './core/secrets/index.ts';
import { serviceaccounts } from './core/serviceaccounts/index.ts';
import { coreResources } from './core/index.ts';
import { groupResources } from './groups.ts';
import { workloadResources } from './workloads.ts';
import type { ResourceDefinition } from './types.ts';

export const builtinResources: readonly ResourceDefinition[] = [
  configmaps,
  namespaces,
  pods,
  secrets,
  serviceaccounts,
  ...coreResources,
  ...workloadResources,
  ...groupResources,
];
