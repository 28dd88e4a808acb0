// A StatefulSet pod's identity and storage (pkg/controller/statefulset/stateful_set_utils.go):
// names `<set>-<ordinal>`, the pod-name and pod-index labels, hostname and subdomain, the claims
// `<template>-<set>-<ordinal>` mounted in place of the template's volumes, the revision label, and
// which revision a new pod gets under a partitioned rolling update.
import type { OwnerReference } from '../../api/meta.ts';
import {
  isPodAvailable,
  isPodReady,
  newControllerRef,
  type Pod,
  podFromTemplate,
  type PodTemplateSpec,
} from '../framework/index.ts';
import { controllerRevisionHashLabel, scaledValue } from '../history/index.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

export const statefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;
/** apps.StatefulSetPodNameLabel */
export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** getParentNameAndOrdinal: `(.*)-([0-9]+)$`, ordinal -1 when the name does not fit. */
export function parentAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = /^(.*)-([0-9]+)$/.exec(pod.metadata.name ?? '');
  if (m === null) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) && ordinal <= 2147483647
    ? { parent: m[1]!, ordinal }
    : { parent: '', ordinal: -1 };
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod).ordinal;

/** isMemberOf: the pod's name says it belongs to this set. */
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean =>
  parentAndOrdinal(pod).parent === set.metadata.name;

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name ?? ''}-${ordinal}`;

/** getStartOrdinal: spec.ordinals.start (StatefulSetStartOrdinal). */
export const startOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;
/** getEndOrdinal: the last ordinal in range (inclusive). */
export const endOrdinal = (set: StatefulSet): number => startOrdinal(set) + (set.spec.replicas ?? 1) - 1;

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** getPersistentVolumeClaimName */
export function claimName(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata.name ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;
}

/** getPersistentVolumeClaims: the claims a pod of this ordinal needs, by template name. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  const matchLabels = set.spec.selector?.matchLabels ?? {};
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const claim = structuredClone(t);
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...claim.metadata,
      name: claimName(set, t, ordinal),
      namespace: set.metadata.namespace,
    };
    delete claim.metadata.creationTimestamp;
    claim.metadata.labels = { ...claim.metadata.labels, ...matchLabels };
    delete claim.status;
    out.set(t.metadata.name ?? '', claim);
  }
  return out;
}

interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [field: string]: unknown;
}

/** updateStorage: each claim template mounted as its claim, replacing a template volume of the name. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const spec = (pod.spec ??= {});
  const ordinal = ordinalOf(pod);
  const templates = set.spec.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const claimVolumes: Volume[] = templates.map((t) => ({
    name: t.metadata.name ?? '',
    persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
  }));
  const names = new Set(claimVolumes.map((v) => v.name));
  const others = ((spec['volumes'] as Volume[] | undefined) ?? []).filter((v) => !names.has(v.name));
  spec['volumes'] = [...claimVolumes, ...others];
}

/** storageMatches */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map(((pod.spec?.['volumes'] as Volume[] | undefined) ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every(
    (t) =>
      volumes.get(t.metadata.name ?? '')?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal),
  );
}

/** updateIdentity: name, namespace and the pod-name / pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = {
    ...pod.metadata.labels,
    [podNameLabel]: pod.metadata.name,
    [podIndexLabel]: String(ordinal),
  };
}

/** initIdentity: updateIdentity plus hostname = pod name and subdomain = serviceName. */
function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  const spec = (pod.spec ??= {});
  spec['hostname'] = pod.metadata.name;
  if ((set.spec.serviceName ?? '') !== '') spec['subdomain'] = set.spec.serviceName;
}

/** identityMatches */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[podNameLabel] === pod.metadata.name &&
    pod.metadata.labels[podIndexLabel] === String(ordinal)
  );
}

/** newStatefulSetPod: the template with a controller reference, identity and storage. */
export function newStatefulSetPod(
  set: StatefulSet,
  template: PodTemplateSpec | undefined,
  ordinal: number,
): Pod {
  const pod = podFromTemplate(template ?? {}, set, newControllerRef(set, statefulSetKind));
  delete pod.metadata.generateName;
  pod.metadata.name = podName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

export const podRevision = (pod: Pod): string => pod.metadata.labels?.[controllerRevisionHashLabel] ?? '';

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...pod.metadata.labels, [controllerRevisionHashLabel]: revision };
}

/**
 * newVersionedStatefulSetPod: below the partition (or, without a rollingUpdate, below the current
 * replica count) a new pod is made at the current revision, otherwise at the update revision.
 */
export function newVersionedPod(o: {
  set: StatefulSet;
  currentTemplate: PodTemplateSpec | undefined;
  updateTemplate: PodTemplateSpec | undefined;
  currentRevision: string;
  updateRevision: string;
  ordinal: number;
}): Pod {
  const strategy = o.set.spec.updateStrategy;
  const start = startOrdinal(o.set);
  const ru = strategy?.rollingUpdate;
  const atCurrent =
    strategy?.type === 'RollingUpdate' &&
    (ru === undefined || ru === null
      ? o.ordinal < start + (o.set.status?.currentReplicas ?? 0)
      : o.ordinal < start + (ru.partition ?? 0));
  const pod = newStatefulSetPod(o.set, atCurrent ? o.currentTemplate : o.updateTemplate, o.ordinal);
  setPodRevision(pod, atCurrent ? o.currentRevision : o.updateRevision);
  return pod;
}

export const isCreated = (pod: Pod): boolean =>
  (pod.status?.phase ?? '') !== '' || pod.metadata.uid !== undefined;
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;
/** isRunningAndReady */
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
/** isRunningAndAvailable */
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
/** isHealthy */
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);

/** allowsBurst: Parallel pod management. */
export const allowsBurst = (set: StatefulSet): boolean => set.spec.podManagementPolicy === 'Parallel';

/** getStatefulSetMaxUnavailable: rounded down, at least 1. */
export function maxUnavailable(set: StatefulSet): number {
  const v = set.spec.updateStrategy?.rollingUpdate?.maxUnavailable;
  const n = scaledValue(v ?? 1, set.spec.replicas ?? 1, false);
  return n < 1 ? 1 : n;
}

/**
 * The owner references a claim should carry under persistentVolumeClaimRetentionPolicy
 * (updateClaimOwnerRefForSetAndPod): the set owns it when whenDeleted=Delete (unless scaled down
 * under whenScaled=Delete), the pod owns it when its ordinal is scaled away and whenScaled=Delete.
 */
export function claimOwners(set: StatefulSet, pod: Pod): { set: boolean; pod: boolean } {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy;
  const whenDeleted = policy?.whenDeleted ?? 'Retain';
  const whenScaled = policy?.whenScaled ?? 'Retain';
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled === 'Delete' && scaledDown) return { set: false, pod: true };
  return { set: whenDeleted === 'Delete', pod: false };
}

/** Rewrites a claim's owner references for the policy; undefined when nothing changes. */
export function claimOwnerRefs(
  claim: PersistentVolumeClaim,
  set: StatefulSet,
  pod: Pod,
): OwnerReference[] | undefined {
  const want = claimOwners(set, pod);
  const refs = claim.metadata.ownerReferences ?? [];
  const has = (uid: string | undefined): boolean => refs.some((r) => r.uid === uid);
  const setUid = set.metadata.uid;
  const podUid = pod.metadata.uid;
  if (has(setUid) === want.set && (podUid === undefined || has(podUid) === want.pod)) return undefined;
  const next = refs.filter((r) => r.uid !== setUid && r.uid !== podUid);
  if (want.set) next.push({ ...statefulSetKind, name: set.metadata.name ?? '', uid: setUid ?? '' });
  if (want.pod && podUid !== undefined)
    next.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: podUid });
  return next;
}
