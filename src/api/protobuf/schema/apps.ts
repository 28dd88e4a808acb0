// k8s.io/api/apps/v1: Deployment, StatefulSet, DaemonSet, ReplicaSet, ControllerRevision.
import { list, nul, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

const deployment: MessageTable = {
  'apps.Deployment': object('apps.DeploymentSpec', 'apps.DeploymentStatus'),
  'apps.DeploymentSpec': {
    1: ptr('replicas', 'int32'),
    2: nul('selector', 'meta.LabelSelector'),
    3: req('template', 'core.PodTemplateSpec'),
    4: opt('strategy', 'apps.DeploymentStrategy'),
    5: opt('minReadySeconds', 'int32'),
    6: ptr('revisionHistoryLimit', 'int32'),
    7: opt('paused', 'bool'),
    9: ptr('progressDeadlineSeconds', 'int32'),
  },
  'apps.DeploymentStrategy': {
    1: opt('type'),
    2: ptr('rollingUpdate', 'apps.RollingUpdateDeployment'),
  },
  // RollingUpdateDaemonSet has the same two fields.
  'apps.RollingUpdateDeployment': {
    1: ptr('maxUnavailable', 'IntOrString'),
    2: ptr('maxSurge', 'IntOrString'),
  },
  'apps.DeploymentStatus': {
    1: opt('observedGeneration', 'int64'),
    2: opt('replicas', 'int32'),
    3: opt('updatedReplicas', 'int32'),
    7: opt('readyReplicas', 'int32'),
    4: opt('availableReplicas', 'int32'),
    5: opt('unavailableReplicas', 'int32'),
    6: list('conditions', 'apps.DeploymentCondition'),
    8: ptr('collisionCount', 'int32'),
  },
  'apps.DeploymentCondition': {
    1: req('type'),
    2: req('status'),
    6: opt('lastUpdateTime', 'Time'),
    7: opt('lastTransitionTime', 'Time'),
    4: opt('reason'),
    5: opt('message'),
  },
  'apps.ControllerRevision': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('data', 'RawExtension'),
    3: req('revision', 'int64'),
  },
};

const statefulSet: MessageTable = {
  'apps.StatefulSet': object('apps.StatefulSetSpec', 'apps.StatefulSetStatus'),
  'apps.StatefulSetSpec': {
    1: ptr('replicas', 'int32'),
    2: nul('selector', 'meta.LabelSelector'),
    3: req('template', 'core.PodTemplateSpec'),
    4: list('volumeClaimTemplates', 'core.PersistentVolumeClaim'),
    5: req('serviceName'),
    6: opt('podManagementPolicy'),
    7: opt('updateStrategy', 'apps.StatefulSetUpdateStrategy'),
    8: ptr('revisionHistoryLimit', 'int32'),
    9: opt('minReadySeconds', 'int32'),
    10: ptr('persistentVolumeClaimRetentionPolicy', 'apps.StatefulSetPersistentVolumeClaimRetentionPolicy'),
    11: ptr('ordinals', 'apps.StatefulSetOrdinals'),
  },
  'apps.StatefulSetUpdateStrategy': {
    1: opt('type'),
    2: ptr('rollingUpdate', 'apps.RollingUpdateStatefulSetStrategy'),
  },
  // The Go tag says "varint" for maxUnavailable, but an IntOrString is a message on the wire.
  'apps.RollingUpdateStatefulSetStrategy': {
    1: ptr('partition', 'int32'),
    2: ptr('maxUnavailable', 'IntOrString'),
  },
  'apps.StatefulSetPersistentVolumeClaimRetentionPolicy': { 1: opt('whenDeleted'), 2: opt('whenScaled') },
  // `start` has no omitempty: `"ordinals": {"start": 0}`.
  'apps.StatefulSetOrdinals': { 1: req('start', 'int32') },
  'apps.StatefulSetStatus': {
    1: opt('observedGeneration', 'int64'),
    2: req('replicas', 'int32'),
    3: opt('readyReplicas', 'int32'),
    4: opt('currentReplicas', 'int32'),
    5: opt('updatedReplicas', 'int32'),
    6: opt('currentRevision'),
    7: opt('updateRevision'),
    9: ptr('collisionCount', 'int32'),
    10: list('conditions', 'apps.SetCondition'),
    11: req('availableReplicas', 'int32'),
  },
  // StatefulSetCondition, DaemonSetCondition and ReplicaSetCondition share one shape.
  'apps.SetCondition': {
    1: req('type'),
    2: req('status'),
    3: opt('lastTransitionTime', 'Time'),
    4: opt('reason'),
    5: opt('message'),
  },
};

const daemonSet: MessageTable = {
  'apps.DaemonSet': object('apps.DaemonSetSpec', 'apps.DaemonSetStatus'),
  'apps.DaemonSetSpec': {
    1: nul('selector', 'meta.LabelSelector'),
    2: req('template', 'core.PodTemplateSpec'),
    3: opt('updateStrategy', 'apps.DaemonSetUpdateStrategy'),
    4: opt('minReadySeconds', 'int32'),
    6: ptr('revisionHistoryLimit', 'int32'),
  },
  'apps.DaemonSetUpdateStrategy': {
    1: opt('type'),
    2: ptr('rollingUpdate', 'apps.RollingUpdateDeployment'),
  },
  'apps.DaemonSetStatus': {
    1: req('currentNumberScheduled', 'int32'),
    2: req('numberMisscheduled', 'int32'),
    3: req('desiredNumberScheduled', 'int32'),
    4: req('numberReady', 'int32'),
    5: opt('observedGeneration', 'int64'),
    6: opt('updatedNumberScheduled', 'int32'),
    7: opt('numberAvailable', 'int32'),
    8: opt('numberUnavailable', 'int32'),
    9: ptr('collisionCount', 'int32'),
    10: list('conditions', 'apps.SetCondition'),
  },
};

const replicaSet: MessageTable = {
  'apps.ReplicaSet': object('apps.ReplicaSetSpec', 'apps.ReplicaSetStatus'),
  'apps.ReplicaSetSpec': {
    1: ptr('replicas', 'int32'),
    4: opt('minReadySeconds', 'int32'),
    2: nul('selector', 'meta.LabelSelector'),
    3: opt('template', 'core.PodTemplateSpec'),
  },
  'apps.ReplicaSetStatus': {
    1: req('replicas', 'int32'),
    2: opt('fullyLabeledReplicas', 'int32'),
    4: opt('readyReplicas', 'int32'),
    5: opt('availableReplicas', 'int32'),
    3: opt('observedGeneration', 'int64'),
    6: list('conditions', 'apps.SetCondition'),
  },
};

export const appsMessages: MessageTable = { ...deployment, ...statefulSet, ...daemonSet, ...replicaSet };

export const appsKinds: KindTable = {
  'apps/v1 Deployment': 'apps.Deployment',
  'apps/v1 StatefulSet': 'apps.StatefulSet',
  'apps/v1 DaemonSet': 'apps.DaemonSet',
  'apps/v1 ReplicaSet': 'apps.ReplicaSet',
  'apps/v1 ControllerRevision': 'apps.ControllerRevision',
};
