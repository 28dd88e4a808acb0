// storage.k8s.io/v1: StorageClass, CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment.
import { list, map, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

export const storageMessages: MessageTable = {
  // No spec: a StorageClass's fields sit beside its metadata.
  'storage.StorageClass': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('provisioner'),
    3: map('parameters'),
    4: ptr('reclaimPolicy'),
    5: list('mountOptions'),
    6: ptr('allowVolumeExpansion', 'bool'),
    7: ptr('volumeBindingMode'),
    8: list('allowedTopologies', 'core.TopologySelectorTerm'),
  },
  'core.TopologySelectorTerm': {
    1: list('matchLabelExpressions', 'core.TopologySelectorLabelRequirement'),
  },
  'core.TopologySelectorLabelRequirement': { 1: req('key'), 2: list('values', 'string', 'required') },
  'storage.CSIDriver': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'storage.CSIDriverSpec'),
  },
  'storage.CSIDriverSpec': {
    1: ptr('attachRequired', 'bool'),
    2: ptr('podInfoOnMount', 'bool'),
    3: list('volumeLifecycleModes'),
    4: ptr('storageCapacity', 'bool'),
    5: ptr('fsGroupPolicy'),
    6: list('tokenRequests', 'storage.TokenRequest'),
    7: ptr('requiresRepublish', 'bool'),
    8: ptr('seLinuxMount', 'bool'),
  },
  'storage.TokenRequest': { 1: req('audience'), 2: ptr('expirationSeconds', 'int64') },
  'storage.CSINode': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'storage.CSINodeSpec'),
  },
  'storage.CSINodeSpec': { 1: list('drivers', 'storage.CSINodeDriver', 'required') },
  'storage.CSINodeDriver': {
    1: req('name'),
    2: req('nodeID'),
    3: list('topologyKeys', 'string', 'required'),
    4: ptr('allocatable', 'storage.VolumeNodeResources'),
  },
  'storage.VolumeNodeResources': { 1: ptr('count', 'int32') },
  'storage.CSIStorageCapacity': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: ptr('nodeTopology', 'meta.LabelSelector'),
    3: req('storageClassName'),
    4: ptr('capacity', 'Quantity'),
    5: ptr('maximumVolumeSize', 'Quantity'),
  },
  'storage.VolumeAttachment': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'storage.VolumeAttachmentSpec'),
    3: opt('status', 'storage.VolumeAttachmentStatus'),
  },
  'storage.VolumeAttachmentSpec': {
    1: req('attacher'),
    2: req('source', 'storage.VolumeAttachmentSource'),
    3: req('nodeName'),
  },
  'storage.VolumeAttachmentSource': {
    1: ptr('persistentVolumeName'),
    2: ptr('inlineVolumeSpec', 'core.PersistentVolumeSpec'),
  },
  'storage.VolumeAttachmentStatus': {
    1: req('attached', 'bool'),
    2: map('attachmentMetadata'),
    3: ptr('attachError', 'storage.VolumeError'),
    4: ptr('detachError', 'storage.VolumeError'),
  },
  'storage.VolumeError': { 1: opt('time', 'Time'), 2: opt('message') },
};

export const storageKinds: KindTable = {
  'storage.k8s.io/v1 StorageClass': 'storage.StorageClass',
  'storage.k8s.io/v1 CSIDriver': 'storage.CSIDriver',
  'storage.k8s.io/v1 CSINode': 'storage.CSINode',
  'storage.k8s.io/v1 CSIStorageCapacity': 'storage.CSIStorageCapacity',
  'storage.k8s.io/v1 VolumeAttachment': 'storage.VolumeAttachment',
};
