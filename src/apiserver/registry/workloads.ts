// The workload APIs: apps/v1, autoscaling/v2 and v1, batch/v1 and policy/v1, in the order
// upstream's discovery lists them (groups by priority, resources sorted, the preferred version first).
import { controllerrevisions } from './apps/controllerrevisions/index.ts';
import { daemonsets } from './apps/daemonsets/index.ts';
import { deployments } from './apps/deployments/index.ts';
import { replicasets } from './apps/replicasets/index.ts';
import { statefulsets } from './apps/statefulsets/index.ts';
import {
  horizontalpodautoscalers,
  horizontalpodautoscalersV1,
} from './autoscaling/horizontalpodautoscalers/index.ts';
import { cronjobs } from './batch/cronjobs/index.ts';
import { jobs } from './batch/jobs/index.ts';
import { poddisruptionbudgets } from './policy/poddisruptionbudgets/index.ts';
import type { ResourceDefinition } from './types.ts';

export const workloadResources: readonly ResourceDefinition[] = [
  controllerrevisions,
  daemonsets,
  deployments,
  replicasets,
  statefulsets,
  horizontalpodautoscalers,
  horizontalpodautoscalersV1,
  cronjobs,
  jobs,
  poddisruptionbudgets,
];
