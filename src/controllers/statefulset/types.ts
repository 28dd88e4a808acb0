// The typed views the StatefulSet controller reads and writes: apps/v1 StatefulSet and core/v1
// PersistentVolumeClaim. Only the fields the controller uses are typed.
import type { LabelSelector } from '../../api/labels.ts';
import type { KubeObject, ObjectMeta } from '../../api/meta.ts';
import type { PodTemplateSpec } from '../framework/index.ts';

export interface PersistentVolumeClaim extends KubeObject {
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector | null;
    template?: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaim[];
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: {
      type?: string;
      rollingUpdate?: { partition?: number; maxUnavailable?: number | string } | null;
    };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number } | null;
  };
  status?: StatefulSetStatus;
}
