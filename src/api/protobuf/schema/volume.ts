// k8s.io/api/core/v1 volume sources. Only the in-tree kinds a workload plausibly uses are here;
// the cloud-vendor ones (gcePersistentDisk, awsElasticBlockStore, rbd, cinder, …) are skipped by
// field number like any unknown field.
import { inline, list, map, object, opt, ptr, req, type MessageTable } from './types.ts';

export const volumeMessages: MessageTable = {
  'core.Volume': { 1: req('name'), 2: inline('core.VolumeSource') },
  'core.VolumeSource': {
    1: ptr('hostPath', 'core.HostPathVolumeSource'),
    2: ptr('emptyDir', 'core.EmptyDirVolumeSource'),
    5: ptr('gitRepo', 'core.GitRepoVolumeSource'),
    6: ptr('secret', 'core.SecretVolumeSource'),
    7: ptr('nfs', 'core.NFSVolumeSource'),
    10: ptr('persistentVolumeClaim', 'core.PersistentVolumeClaimVolumeSource'),
    16: ptr('downwardAPI', 'core.DownwardAPIVolumeSource'),
    19: ptr('configMap', 'core.ConfigMapVolumeSource'),
    26: ptr('projected', 'core.ProjectedVolumeSource'),
    28: ptr('csi', 'core.CSIVolumeSource'),
    29: ptr('ephemeral', 'core.EphemeralVolumeSource'),
  },
  'core.HostPathVolumeSource': { 1: req('path'), 2: ptr('type') },
  'core.EmptyDirVolumeSource': { 1: opt('medium'), 2: ptr('sizeLimit', 'Quantity') },
  'core.GitRepoVolumeSource': { 1: req('repository'), 2: opt('revision'), 3: opt('directory') },
  'core.SecretVolumeSource': {
    1: opt('secretName'),
    2: list('items', 'core.KeyToPath'),
    3: ptr('defaultMode', 'int32'),
    4: ptr('optional', 'bool'),
  },
  'core.KeyToPath': { 1: req('key'), 2: req('path'), 3: ptr('mode', 'int32') },
  'core.NFSVolumeSource': { 1: req('server'), 2: req('path'), 3: opt('readOnly', 'bool') },
  'core.PersistentVolumeClaimVolumeSource': { 1: req('claimName'), 2: opt('readOnly', 'bool') },
  'core.DownwardAPIVolumeSource': {
    1: list('items', 'core.DownwardAPIVolumeFile'),
    2: ptr('defaultMode', 'int32'),
  },
  'core.DownwardAPIVolumeFile': {
    1: req('path'),
    2: ptr('fieldRef', 'core.ObjectFieldSelector'),
    3: ptr('resourceFieldRef', 'core.ResourceFieldSelector'),
    4: ptr('mode', 'int32'),
  },
  'core.ConfigMapVolumeSource': {
    1: inline('core.LocalObjectReference'),
    2: list('items', 'core.KeyToPath'),
    3: ptr('defaultMode', 'int32'),
    4: ptr('optional', 'bool'),
  },
  'core.ProjectedVolumeSource': {
    1: list('sources', 'core.VolumeProjection', 'required'),
    2: ptr('defaultMode', 'int32'),
  },
  'core.VolumeProjection': {
    1: ptr('secret', 'core.SecretProjection'),
    2: ptr('downwardAPI', 'core.DownwardAPIProjection'),
    3: ptr('configMap', 'core.ConfigMapProjection'),
    4: ptr('serviceAccountToken', 'core.ServiceAccountTokenProjection'),
    5: ptr('clusterTrustBundle', 'core.ClusterTrustBundleProjection'),
  },
  'core.SecretProjection': {
    1: inline('core.LocalObjectReference'),
    2: list('items', 'core.KeyToPath'),
    4: ptr('optional', 'bool'),
  },
  'core.ConfigMapProjection': {
    1: inline('core.LocalObjectReference'),
    2: list('items', 'core.KeyToPath'),
    4: ptr('optional', 'bool'),
  },
  'core.DownwardAPIProjection': { 1: list('items', 'core.DownwardAPIVolumeFile') },
  'core.ServiceAccountTokenProjection': {
    1: opt('audience'),
    2: ptr('expirationSeconds', 'int64'),
    3: req('path'),
  },
  'core.ClusterTrustBundleProjection': {
    1: ptr('name'),
    2: ptr('signerName'),
    3: ptr('labelSelector', 'meta.LabelSelector'),
    5: ptr('optional', 'bool'),
    4: req('path'),
  },
  'core.CSIVolumeSource': {
    1: req('driver'),
    2: ptr('readOnly', 'bool'),
    3: ptr('fsType'),
    4: map('volumeAttributes'),
    5: ptr('nodePublishSecretRef', 'core.LocalObjectReference'),
  },
  'core.EphemeralVolumeSource': { 1: ptr('volumeClaimTemplate', 'core.PersistentVolumeClaimTemplate') },
  // metadata plus a spec without omitempty; same shape as a top-level object without status.
  'core.PersistentVolumeClaimTemplate': object('core.PersistentVolumeClaimSpec'),
};
