// VolumeBinding, kept minimal: every PersistentVolumeClaim the pod mounts must exist and be bound,
// or (WaitForFirstConsumer) bindable. No volume topology or dynamic provisioning yet.
import type { CycleState } from '../../framework/cycle-state.ts';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type Handle,
  type PreFilterPlugin,
  type PreFilterResult,
} from '../../framework/interface.ts';
import { SKIP, type Status, SUCCESS, unresolvable } from '../../framework/status.ts';
import type { Pod } from '../../types.ts';

export const errReasonUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';

export class VolumeBinding implements PreFilterPlugin, EnqueueExtensions {
  readonly name = 'VolumeBinding';
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  preFilter(_s: CycleState, pod: Pod): { result?: PreFilterResult; status: Status } {
    const claims = (pod.spec.volumes ?? []).flatMap((v) =>
      v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
    );
    if (claims.length === 0) return { status: SKIP };
    const lookup = this.handle.listers.persistentVolumeClaim;
    if (lookup === undefined) return { status: SUCCESS };
    const ns = pod.metadata.namespace ?? 'default';
    for (const name of claims) {
      const pvc = lookup(ns, name);
      if (pvc === undefined) return { status: unresolvable(`persistentvolumeclaim "${name}" not found`) };
      if (pvc.metadata.deletionTimestamp) {
        return { status: unresolvable(`persistentvolumeclaim "${name}" is being deleted`) };
      }
      const bound = pvc.status?.phase === 'Bound' || (pvc.spec?.volumeName ?? '') !== '';
      // Without StorageClass objects a claim counts as bindable when it names a class (WaitForFirstConsumer).
      if (!bound && (pvc.spec?.storageClassName ?? '') === '')
        return { status: unresolvable(errReasonUnboundImmediate) };
    }
    return { status: SUCCESS };
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.Update } },
    ];
  }
}
