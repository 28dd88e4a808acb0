// Deployment arithmetic (pkg/controller/deployment/util/deployment_util.go): surge and unavailable
// fenceposts, the replica counts of sets of ReplicaSets, the new ReplicaSet's next size, the
// proportions of proportional scaling, and the orders ReplicaSets are walked in.
import { parseTime, type Deployment, type ReplicaSet } from '../framework/index.ts';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const podTemplateHashLabel = 'pod-template-hash';
/** Upstream's MaxInt32: a progressDeadlineSeconds that means "no deadline". */
export const maxInt32 = 2147483647;

/** intstr.GetScaledValueFromIntOrPercent: a percentage of `total`, rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (m === null) {
    if (/^-?\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 (after rounding) becomes
 * maxUnavailable 1 so a rollout can always make progress.
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;
export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas, never more than the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export const specReplicaSum = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + rsReplicas(rs), 0);
/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export const actualReplicaSum = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
/** GetReadyReplicaCountForReplicaSets */
export const readyReplicaSum = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
/** GetAvailableReplicaCountForReplicaSets */
export const availableReplicaSum = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/** FilterActiveReplicaSets: sets with spec.replicas > 0. */
export const activeReplicaSets = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  rss.filter((rs): rs is ReplicaSet => rs !== undefined && rsReplicas(rs) > 0);

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first, then older first (scaling down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number =>
  rsReplicas(a) !== rsReplicas(b) ? rsReplicas(b) - rsReplicas(a) : byCreation(a, b);
/** ReplicaSetsBySizeNewer: larger first, then newer first (scaling up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number =>
  rsReplicas(a) !== rsReplicas(b) ? rsReplicas(b) - rsReplicas(a) : byCreation(b, a);

/** Revision: the set's revision annotation as a number (0 when absent or invalid). */
export function revisionOf(rs: ReplicaSet): number {
  const v = rs.metadata.annotations?.[revisionAnnotation];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

/** ReplicaSetsByRevision: lower revision first, then by creation. */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number =>
  revisionOf(a) !== revisionOf(b) ? revisionOf(a) - revisionOf(b) : byCreation(a, b);

/** MaxRevision */
export const maxRevision = (rss: readonly ReplicaSet[]): number =>
  rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}
export const desiredReplicasOf = (rs: ReplicaSet): number | undefined =>
  intAnnotation(rs, desiredReplicasAnnotation);
export const maxReplicasOf = (rs: ReplicaSet): number | undefined => intAnnotation(rs, maxReplicasAnnotation);

/** NewRSNewReplicas: how big the new set may grow now. */
export function newRSNewReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const replicas = replicasOf(d);
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicas, true);
  const current = specReplicaSum(all);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** IsSaturated: the new set has all the deployment's replicas, and all are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = desiredReplicasOf(rs);
  if (desired === undefined) return false;
  const replicas = replicasOf(d);
  return (
    rsReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/** FindActiveOrLatest: the one active set, or the newest if none is active; undefined if several are. */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** integer.RoundToInt32: math.Round, half away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** getReplicaSetFraction: how much this set should grow or shrink in proportion to its size. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = replicasOf(d);
  if (replicas === 0) return -rsReplicas(rs);
  const deploymentReplicas = replicas + maxSurge(d);
  // The size the deployment had when this set was last scaled, or its current status when unknown.
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAway((rsReplicas(rs) * deploymentReplicas) / annotated) - rsReplicas(rs);
}

/** GetProportion: this set's share of `toAdd`, never more than what is left to add. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (rs === undefined || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The proportional-scaling step of DeploymentController.scale: new sizes for every active set when
 * the deployment's size changes mid-rollout; leftovers go to the first (largest) set.
 */
export function proportionalSizes(
  d: Deployment,
  active: readonly ReplicaSet[],
): { rs: ReplicaSet; size: number }[] {
  const replicas = replicasOf(d);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaSum(active);
  const sorted = [...active].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  let added = 0;
  const sizes = sorted.map((rs) => {
    if (toAdd === 0) return { rs, size: rsReplicas(rs) };
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return { rs, size: rsReplicas(rs) + p };
  });
  const first = sizes[0];
  if (first !== undefined && toAdd !== 0) first.size = Math.max(0, first.size + toAdd - added);
  return sizes;
}
