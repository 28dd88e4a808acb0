// The annotations a Deployment keeps on its ReplicaSets (deployment_util.go
// SetNewReplicaSetAnnotations and friends): the revision and its history, the deployment's own
// annotations, and the desired/max replica counts proportional scaling reads back.
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../framework/index.ts';
import { canonical } from './hash.ts';
import {
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  maxSurge,
  podTemplateHashLabel,
  replicasOf,
  revisionAnnotation,
  revisionHistoryAnnotation,
} from './util.ts';

/** maxRevHistoryLengthInChars */
export const maxRevisionHistoryChars = 2000;

/** annotationsToSkip: never copied from the deployment to its sets. */
const skipped = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** copyDeploymentAnnotationsToReplicaSet; true when something changed. */
export function copyAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipped.has(k) || rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  for (const [k, v] of [
    [desiredReplicasAnnotation, String(desired)],
    [maxReplicasAnnotation, String(max)],
  ] as const) {
    if (rs.metadata.annotations[k] !== v) {
      rs.metadata.annotations[k] = v;
      changed = true;
    }
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision (keeping
 * the old one in revision-history when a set is brought back by a rollback) and, for a set being
 * created, the replica annotations. True when something changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: string,
  exists: boolean,
): boolean {
  let changed = copyAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldRevision = annotations[revisionAnnotation] ?? '';
  if (oldRevision !== '' && !/^\d+$/.test(oldRevision)) return false;
  const oldInt = oldRevision === '' ? 0 : Number(oldRevision);
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    annotations[revisionAnnotation] = newRevision;
    changed = true;
  }
  if (oldRevision !== '' && oldInt < newInt) {
    const history = annotations[revisionHistoryAnnotation] ?? '';
    const revisions = history.split(',');
    if (revisions[0] === '') annotations[revisionHistoryAnnotation] = oldRevision;
    else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxRevisionHistoryChars && start < revisions.length) {
        total -= revisions[start]!.length + 1;
        start++;
      }
      if (total <= maxRevisionHistoryChars) {
        annotations[revisionHistoryAnnotation] = [...revisions.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  d.metadata.annotations ??= {};
  if (d.metadata.annotations[revisionAnnotation] === revision) return false;
  d.metadata.annotations[revisionAnnotation] = revision;
  return true;
}

/** EqualIgnoreHash: the templates are equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): unknown => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels !== undefined) delete c.metadata.labels[podTemplateHashLabel];
    return canonical(c);
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
