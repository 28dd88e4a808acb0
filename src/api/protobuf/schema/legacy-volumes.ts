// k8s.io/api/core/v1 volume sources of in-tree drivers that are deprecated or migrated to CSI
// (cloud disks, rbd, iscsi, cephfs, …). Clients still send them, so they are decoded like any other.
// Most come in two forms: the pod one (`secretRef` a LocalObjectReference) and the
// PersistentVolume one (`secretRef` a SecretReference, which adds a namespace).
import { list, map, nul, opt, ptr, req, type MessageSpec, type MessageTable } from './types.ts';

type Secret = 'core.LocalObjectReference' | 'core.SecretReference';

const rbd = (secret: Secret): MessageSpec => ({
  1: list('monitors', 'string', 'required'),
  2: req('image'),
  3: opt('fsType'),
  4: opt('pool'),
  5: opt('user'),
  6: opt('keyring'),
  7: ptr('secretRef', secret),
  8: opt('readOnly', 'bool'),
});

const iscsi = (secret: Secret): MessageSpec => ({
  1: req('targetPortal'),
  2: req('iqn'),
  3: req('lun', 'int32'),
  4: opt('iscsiInterface'),
  5: opt('fsType'),
  6: opt('readOnly', 'bool'),
  7: list('portals'),
  8: opt('chapAuthDiscovery', 'bool'),
  11: opt('chapAuthSession', 'bool'),
  10: ptr('secretRef', secret),
  12: ptr('initiatorName'),
});

const cinder = (secret: Secret): MessageSpec => ({
  1: req('volumeID'),
  2: opt('fsType'),
  3: opt('readOnly', 'bool'),
  4: ptr('secretRef', secret),
});

const cephfs = (secret: Secret): MessageSpec => ({
  1: list('monitors', 'string', 'required'),
  2: opt('path'),
  3: opt('user'),
  4: opt('secretFile'),
  5: ptr('secretRef', secret),
  6: opt('readOnly', 'bool'),
});

const flex = (secret: Secret): MessageSpec => ({
  1: req('driver'),
  2: opt('fsType'),
  3: ptr('secretRef', secret),
  4: opt('readOnly', 'bool'),
  5: map('options'),
});

// secretRef is a pointer without omitempty here: `"secretRef": null` when unset.
const scaleIO = (secret: Secret): MessageSpec => ({
  1: req('gateway'),
  2: req('system'),
  3: nul('secretRef', secret),
  4: opt('sslEnabled', 'bool'),
  5: opt('protectionDomain'),
  6: opt('storagePool'),
  7: opt('storageMode'),
  8: opt('volumeName'),
  9: opt('fsType'),
  10: opt('readOnly', 'bool'),
});

const storageOS = (secret: 'core.LocalObjectReference' | 'core.ObjectReference'): MessageSpec => ({
  1: opt('volumeName'),
  2: opt('volumeNamespace'),
  3: opt('fsType'),
  4: opt('readOnly', 'bool'),
  5: ptr('secretRef', secret),
});

export const legacyVolumeMessages: MessageTable = {
  'core.GCEPersistentDiskVolumeSource': {
    1: req('pdName'),
    2: opt('fsType'),
    3: opt('partition', 'int32'),
    4: opt('readOnly', 'bool'),
  },
  'core.AWSElasticBlockStoreVolumeSource': {
    1: req('volumeID'),
    2: opt('fsType'),
    3: opt('partition', 'int32'),
    4: opt('readOnly', 'bool'),
  },
  'core.GlusterfsVolumeSource': { 1: req('endpoints'), 2: req('path'), 3: opt('readOnly', 'bool') },
  'core.GlusterfsPersistentVolumeSource': {
    1: req('endpoints'),
    2: req('path'),
    3: opt('readOnly', 'bool'),
    4: ptr('endpointsNamespace'),
  },
  'core.RBDVolumeSource': rbd('core.LocalObjectReference'),
  'core.RBDPersistentVolumeSource': rbd('core.SecretReference'),
  'core.ISCSIVolumeSource': iscsi('core.LocalObjectReference'),
  'core.ISCSIPersistentVolumeSource': iscsi('core.SecretReference'),
  'core.CinderVolumeSource': cinder('core.LocalObjectReference'),
  'core.CinderPersistentVolumeSource': cinder('core.SecretReference'),
  'core.CephFSVolumeSource': cephfs('core.LocalObjectReference'),
  'core.CephFSPersistentVolumeSource': cephfs('core.SecretReference'),
  'core.FCVolumeSource': {
    1: list('targetWWNs'),
    2: ptr('lun', 'int32'),
    3: opt('fsType'),
    4: opt('readOnly', 'bool'),
    5: list('wwids'),
  },
  'core.FlockerVolumeSource': { 1: opt('datasetName'), 2: opt('datasetUUID') },
  'core.FlexVolumeSource': flex('core.LocalObjectReference'),
  'core.FlexPersistentVolumeSource': flex('core.SecretReference'),
  'core.AzureFileVolumeSource': { 1: req('secretName'), 2: req('shareName'), 3: opt('readOnly', 'bool') },
  'core.AzureFilePersistentVolumeSource': {
    1: req('secretName'),
    2: req('shareName'),
    3: opt('readOnly', 'bool'),
    4: nul('secretNamespace'),
  },
  'core.VsphereVirtualDiskVolumeSource': {
    1: req('volumePath'),
    2: opt('fsType'),
    3: opt('storagePolicyName'),
    4: opt('storagePolicyID'),
  },
  'core.QuobyteVolumeSource': {
    1: req('registry'),
    2: req('volume'),
    3: opt('readOnly', 'bool'),
    4: opt('user'),
    5: opt('group'),
    6: opt('tenant'),
  },
  'core.AzureDiskVolumeSource': {
    1: req('diskName'),
    2: req('diskURI'),
    3: ptr('cachingMode'),
    4: ptr('fsType'),
    5: ptr('readOnly', 'bool'),
    6: ptr('kind'),
  },
  'core.PhotonPersistentDiskVolumeSource': { 1: req('pdID'), 2: opt('fsType') },
  'core.PortworxVolumeSource': { 1: req('volumeID'), 2: opt('fsType'), 3: opt('readOnly', 'bool') },
  'core.ScaleIOVolumeSource': scaleIO('core.LocalObjectReference'),
  'core.ScaleIOPersistentVolumeSource': scaleIO('core.SecretReference'),
  'core.StorageOSVolumeSource': storageOS('core.LocalObjectReference'),
  'core.StorageOSPersistentVolumeSource': storageOS('core.ObjectReference'),
};
