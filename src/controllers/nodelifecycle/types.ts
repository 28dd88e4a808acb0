// The typed views the node lifecycle controller reads and writes: core/v1 Node (conditions and
// taints), coordination.k8s.io/v1 Lease and pod tolerations. Other fields ride along as JSON.
import type { KubeObject } from '../../api/meta.ts';
import type { Pod } from '../framework/index.ts';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number | null;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Node extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean; [field: string]: unknown };
  status?: { conditions?: NodeCondition[]; [field: string]: unknown };
}

export interface Lease extends KubeObject {
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
}

export const tolerationsOf = (pod: Pod): Toleration[] =>
  (pod.spec?.['tolerations'] as Toleration[] | undefined) ?? [];
