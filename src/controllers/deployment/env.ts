// What the deployment sync functions need from their controller: clients, the ReplicaSet lister,
// the recorder, the clock and the queue (DeploymentController's fields upstream).
import type { EventRecorder, Lister, ResourceClient } from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import { revisionAnnotation } from './util.ts';
import { type ControllerKind, type Deployment, type ReplicaSet, referenceTo } from '../framework/index.ts';

export const deploymentKind: ControllerKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

export interface SyncEnv {
  readonly deployments: ResourceClient<Deployment>;
  readonly replicaSets: ResourceClient<ReplicaSet>;
  readonly rsLister: Lister<ReplicaSet>;
  readonly recorder: EventRecorder;
  readonly log: Logger;
  now(): number;
  enqueueAfter(d: Deployment, ms: number): void;
  enqueueRateLimited(d: Deployment): void;
}

/** eventRecorder.Eventf(d, …) with the Deployment's kind filled in. */
export function recordEvent(
  env: SyncEnv,
  d: Deployment,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  env.recorder.event(referenceTo(d, deploymentKind), type, reason, message);
}

/**
 * UpdateStatus of the working copy; its resourceVersion follows so the next write does not conflict.
 * Upstream's status strategy keeps the request's annotations (the controller sets
 * deployment.kubernetes.io/revision this way, and `kubectl rollout undo` relies on the deployment
 * having annotations). Where the server drops them on a status write, the revision is patched onto
 * the object itself instead — that bumps metadata.generation, which the next status write observes.
 */
export async function updateDeploymentStatus(env: SyncEnv, d: Deployment): Promise<void> {
  const namespace = d.metadata.namespace;
  let updated = await env.deployments.updateStatus(d, { namespace });
  const revision = d.metadata.annotations?.[revisionAnnotation];
  if (revision !== undefined && updated.metadata.annotations?.[revisionAnnotation] !== revision) {
    updated = await env.deployments.patch(
      d.metadata.name ?? '',
      { metadata: { annotations: { [revisionAnnotation]: revision } } },
      { type: 'merge', namespace },
    );
    d.metadata.generation = updated.metadata.generation;
  }
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}
