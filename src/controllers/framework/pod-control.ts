// PodControl (pkg/controller/controller_utils.go RealPodControl): creates a pod from an owner's
// template with a controller reference, deletes pods, and records the upstream events about it on
// the owner (SuccessfulCreate / FailedCreate / SuccessfulDelete / FailedDelete).
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import {
  isNotFound,
  type EventRecorder,
  type ObjectReference,
  type ResourceClient,
} from '../../client/index.ts';
import type { Logger } from '../../log.ts';
import type { ControllerKind } from './controller-ref.ts';
import type { Pod, PodTemplateSpec } from './types.ts';

export interface PodControlOptions {
  readonly pods: ResourceClient<Pod>;
  readonly recorder: EventRecorder;
  readonly log?: Logger;
}

/** getPodsPrefix: `<owner>-`, as long as the prefix is a valid pod name (DNS subdomain). */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return prefix.length <= 253 - 5 ? prefix : ownerName;
}

/** GetPodFromTemplate: labels, annotations and finalizers of the template, generateName, owner ref. */
export function podFromTemplate(
  template: PodTemplateSpec,
  owner: KubeObject,
  controllerRef: OwnerReference | undefined,
): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(owner.metadata.name ?? ''),
      namespace: owner.metadata.namespace,
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (meta.labels !== undefined) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations !== undefined) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) pod.metadata.finalizers = [...meta.finalizers];
  if (controllerRef !== undefined) pod.metadata.ownerReferences = [controllerRef];
  return pod;
}

export class PodControl {
  private readonly o: PodControlOptions;

  constructor(options: PodControlOptions) {
    this.o = options;
  }

  /** CreatePods: one pod from the template; events on the owner either way. */
  async createPod(
    namespace: string,
    template: PodTemplateSpec,
    owner: KubeObject,
    controllerRef: OwnerReference,
  ): Promise<Pod> {
    const pod = podFromTemplate(template, owner, controllerRef);
    const ref = referenceTo(owner, controllerRef);
    pod.metadata.namespace = namespace;
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) {
      throw new Error('unable to create pods, no labels');
    }
    let created: Pod;
    try {
      created = await this.o.pods.create(pod, { namespace });
    } catch (e: unknown) {
      // Upstream stays quiet when the namespace is terminating (NamespaceTerminatingCause).
      if (!isNamespaceTerminating(e)) {
        this.o.recorder.event(ref, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      }
      throw e;
    }
    this.o.log?.debug('controller created pod', {
      controller: `${namespace}/${owner.metadata.name ?? ''}`,
      pod: created.metadata.name,
    });
    this.o.recorder.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    return created;
  }

  /** DeletePod: a pod already gone is not an error event, but is still reported to the caller. */
  async deletePod(namespace: string, name: string, owner: KubeObject, kind: ControllerKind): Promise<void> {
    const ref = referenceTo(owner, kind);
    try {
      await this.o.pods.delete(name, { namespace });
    } catch (e: unknown) {
      if (isNotFound(e)) {
        this.o.log?.debug('pod already deleted', { pod: `${namespace}/${name}` });
        throw e;
      }
      this.o.recorder.event(ref, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
      throw new Error(`unable to delete pods: ${errorText(e)}`, { cause: e });
    }
    this.o.recorder.event(ref, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause) */
export function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes;
  return causes?.some((c) => c.type === 'NamespaceTerminating') ?? false;
}

/**
 * The event's involvedObject for an owner: objects listed from the API carry no kind of their own, so
 * the controller's kind is filled in (ref.GetReference with the scheme's kind).
 */
export function referenceTo(owner: KubeObject, kind: ControllerKind): ObjectReference {
  const ref: ObjectReference = { kind: kind.kind, apiVersion: kind.apiVersion };
  if (owner.metadata.namespace !== undefined) ref.namespace = owner.metadata.namespace;
  if (owner.metadata.name !== undefined) ref.name = owner.metadata.name;
  if (owner.metadata.uid !== undefined) ref.uid = owner.metadata.uid;
  if (owner.metadata.resourceVersion !== undefined) ref.resourceVersion = owner.metadata.resourceVersion;
  return ref;
}
