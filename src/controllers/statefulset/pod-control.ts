// StatefulPodControl (pkg/controller/statefulset/stateful_pod_control.go): creates a pod's claims and
// then the pod, deletes and updates pods, keeps claim owner references in line with the retention
// policy, and records upstream's events (`create Pod web-0 in StatefulSet web successful`,
// `create Claim data-web-0 Pod web-0 in StatefulSet web success`).
import {
  type EventRecorder,
  isAlreadyExists,
  isNotFound,
  type ResourceClient,
  type SharedInformer,
} from '../../client/index.ts';
import { errorText, type Pod, referenceTo } from '../framework/index.ts';
import type { StatefulPodOps } from './control.ts';
import { claimOwnerRefs, claimsFor, ordinalOf, statefulSetKind } from './identity.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

export interface StatefulPodControlOptions {
  readonly pods: ResourceClient<Pod>;
  readonly claims: ResourceClient<PersistentVolumeClaim>;
  readonly claimInformer: SharedInformer<PersistentVolumeClaim>;
  readonly recorder: EventRecorder;
}

const title = (verb: string): string => verb.charAt(0).toUpperCase() + verb.slice(1);

export class StatefulPodControl implements StatefulPodOps {
  private readonly o: StatefulPodControlOptions;

  constructor(options: StatefulPodControlOptions) {
    this.o = options;
  }

  /** recordPodEvent */
  private podEvent(verb: string, set: StatefulSet, pod: Pod, e?: unknown): void {
    const ref = referenceTo(set, statefulSetKind);
    const who = `Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''}`;
    if (e === undefined)
      this.o.recorder.event(ref, 'Normal', `Successful${title(verb)}`, `${verb} ${who} successful`);
    else
      this.o.recorder.event(
        ref,
        'Warning',
        `Failed${title(verb)}`,
        `${verb} ${who} failed error: ${errorText(e)}`,
      );
  }

  /** recordClaimEvent */
  private claimEvent(set: StatefulSet, pod: Pod, claim: string, e?: unknown): void {
    const ref = referenceTo(set, statefulSetKind);
    const s = set.metadata.name ?? '';
    const p = pod.metadata.name ?? '';
    if (e === undefined)
      this.o.recorder.event(
        ref,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${claim} Pod ${p} in StatefulSet ${s} success`,
      );
    else
      this.o.recorder.event(
        ref,
        'Warning',
        'FailedCreate',
        `create Claim ${claim} for Pod ${p} in StatefulSet ${s} failed error: ${errorText(e)}`,
      );
  }

  async createPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createMissingClaims(set, pod);
    } catch (e: unknown) {
      this.podEvent('create', set, pod, e);
      throw e;
    }
    let created: Pod;
    try {
      created = await this.o.pods.create(pod, { namespace: set.metadata.namespace });
    } catch (e: unknown) {
      // Already there: the cache is behind; the next sync sees it.
      if (!isAlreadyExists(e)) this.podEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.fixClaimOwners(set, created);
    } catch (e: unknown) {
      this.podEvent('update', set, created, e);
      throw e;
    }
    this.podEvent('create', set, pod);
  }

  async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.o.pods.delete(pod.metadata.name ?? '', { namespace: set.metadata.namespace });
    } catch (e: unknown) {
      if (isNotFound(e)) return;
      this.podEvent('delete', set, pod, e);
      throw e;
    }
    this.podEvent('delete', set, pod);
  }

  async updatePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createMissingClaims(set, pod);
      await this.o.pods.update(pod, { namespace: set.metadata.namespace });
    } catch (e: unknown) {
      this.podEvent('update', set, pod, e);
      throw e;
    }
    this.podEvent('update', set, pod);
  }

  /** createPersistentVolumeClaims: each missing claim is created; one being deleted is an error. */
  async createMissingClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const namespace = set.metadata.namespace ?? '';
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const name = claim.metadata.name ?? '';
      const existing = this.o.claimInformer.lister.get(namespace, name);
      if (existing !== undefined) {
        if (existing.metadata.deletionTimestamp !== undefined)
          throw new Error(`pvc ${name} is being deleted`);
        continue;
      }
      const refs = claimOwnerRefs(claim, set, pod);
      if (refs !== undefined && refs.length > 0) claim.metadata.ownerReferences = refs;
      try {
        await this.o.claims.create(claim, { namespace });
      } catch (e: unknown) {
        if (isAlreadyExists(e)) continue;
        this.claimEvent(set, pod, name, e);
        throw new Error(`failed to create PVC ${name}: ${errorText(e)}`, { cause: e });
      }
      this.claimEvent(set, pod, name);
    }
  }

  /** UpdatePodClaimForRetentionPolicy: owner references of each existing claim per the policy. */
  async fixClaimOwners(set: StatefulSet, pod: Pod): Promise<void> {
    const namespace = set.metadata.namespace ?? '';
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.o.claimInformer.lister.get(namespace, claim.metadata.name ?? '');
      if (existing === undefined) continue;
      const refs = claimOwnerRefs(existing, set, pod);
      if (refs === undefined) continue;
      const next = structuredClone(existing);
      next.metadata.ownerReferences = refs;
      try {
        await this.o.claims.update(next, { namespace });
      } catch (e: unknown) {
        if (!isNotFound(e))
          throw new Error(
            `could not update claim ${claim.metadata.name ?? ''} for delete policy ownerRefs: ${errorText(e)}`,
            { cause: e },
          );
      }
    }
  }
}
