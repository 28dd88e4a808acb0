// k8s.io/api/core/v1 kinds that describe the cluster rather than a workload: Node, Endpoints,
// LimitRange, Binding, PersistentVolume (the deprecated in-tree volume sources are in
// legacy-volumes.ts).
import { inline, list, map, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

const node: MessageTable = {
  'core.Node': object('core.NodeSpec', 'core.NodeStatus'),
  'core.NodeSpec': {
    1: opt('podCIDR'),
    7: list('podCIDRs'),
    3: opt('providerID'),
    4: opt('unschedulable', 'bool'),
    5: list('taints', 'core.Taint'),
    6: ptr('configSource', 'core.NodeConfigSource'),
    2: opt('externalID'),
  },
  'core.Taint': {
    1: req('key'),
    2: opt('value'),
    3: req('effect'),
    4: ptr('timeAdded', 'Time'),
  },
  'core.NodeConfigSource': { 2: ptr('configMap', 'core.ConfigMapNodeConfigSource') },
  'core.ConfigMapNodeConfigSource': {
    1: req('namespace'),
    2: req('name'),
    3: opt('uid'),
    4: opt('resourceVersion'),
    5: req('kubeletConfigKey'),
  },
  'core.NodeStatus': {
    1: map('capacity', 'Quantity'),
    2: map('allocatable', 'Quantity'),
    3: opt('phase'),
    4: list('conditions', 'core.NodeCondition'),
    5: list('addresses', 'core.NodeAddress'),
    6: opt('daemonEndpoints', 'core.NodeDaemonEndpoints'),
    7: opt('nodeInfo', 'core.NodeSystemInfo'),
    8: list('images', 'core.ContainerImage'),
    9: list('volumesInUse'),
    10: list('volumesAttached', 'core.AttachedVolume'),
    11: ptr('config', 'core.NodeConfigStatus'),
    12: list('runtimeHandlers', 'core.NodeRuntimeHandler'),
    13: ptr('features', 'core.NodeFeatures'),
  },
  'core.NodeCondition': {
    1: req('type'),
    2: req('status'),
    3: opt('lastHeartbeatTime', 'Time'),
    4: opt('lastTransitionTime', 'Time'),
    5: opt('reason'),
    6: opt('message'),
  },
  'core.NodeAddress': { 1: req('type'), 2: req('address') },
  'core.NodeDaemonEndpoints': { 1: opt('kubeletEndpoint', 'core.DaemonEndpoint') },
  // The one capitalised JSON name in the API: `"kubeletEndpoint": {"Port": 10250}`.
  'core.DaemonEndpoint': { 1: req('Port', 'int32') },
  // No omitempty anywhere: an empty nodeInfo is ten empty strings.
  'core.NodeSystemInfo': {
    1: req('machineID'),
    2: req('systemUUID'),
    3: req('bootID'),
    4: req('kernelVersion'),
    5: req('osImage'),
    6: req('containerRuntimeVersion'),
    7: req('kubeletVersion'),
    8: req('kubeProxyVersion'),
    9: req('operatingSystem'),
    10: req('architecture'),
  },
  'core.ContainerImage': { 1: list('names', 'string', 'required'), 2: opt('sizeBytes', 'int64') },
  'core.AttachedVolume': { 1: req('name'), 2: req('devicePath') },
  'core.NodeConfigStatus': {
    1: ptr('assigned', 'core.NodeConfigSource'),
    2: ptr('active', 'core.NodeConfigSource'),
    3: ptr('lastKnownGood', 'core.NodeConfigSource'),
    4: opt('error'),
  },
  'core.NodeRuntimeHandler': { 1: req('name'), 2: ptr('features', 'core.NodeRuntimeHandlerFeatures') },
  'core.NodeRuntimeHandlerFeatures': {
    1: ptr('recursiveReadOnlyMounts', 'bool'),
    2: ptr('userNamespaces', 'bool'),
  },
  'core.NodeFeatures': { 1: ptr('supplementalGroupsPolicy', 'bool') },
};

const endpoints: MessageTable = {
  'core.Endpoints': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: list('subsets', 'core.EndpointSubset'),
  },
  'core.EndpointSubset': {
    1: list('addresses', 'core.EndpointAddress'),
    2: list('notReadyAddresses', 'core.EndpointAddress'),
    3: list('ports', 'core.EndpointPort'),
  },
  'core.EndpointAddress': {
    1: req('ip'),
    3: opt('hostname'),
    4: ptr('nodeName'),
    2: ptr('targetRef', 'core.ObjectReference'),
  },
  'core.EndpointPort': {
    1: opt('name'),
    2: req('port', 'int32'),
    3: opt('protocol'),
    4: ptr('appProtocol'),
  },
};

const limitRange: MessageTable = {
  'core.LimitRange': object('core.LimitRangeSpec'),
  'core.LimitRangeSpec': { 1: list('limits', 'core.LimitRangeItem', 'required') },
  'core.LimitRangeItem': {
    1: req('type'),
    2: map('max', 'Quantity'),
    3: map('min', 'Quantity'),
    4: map('default', 'Quantity'),
    5: map('defaultRequest', 'Quantity'),
    6: map('maxLimitRequestRatio', 'Quantity'),
  },
};

const persistentVolume: MessageTable = {
  'core.PersistentVolume': object('core.PersistentVolumeSpec', 'core.PersistentVolumeStatus'),
  'core.PersistentVolumeSpec': {
    1: map('capacity', 'Quantity'),
    2: inline('core.PersistentVolumeSource'),
    3: list('accessModes'),
    4: ptr('claimRef', 'core.ObjectReference'),
    5: opt('persistentVolumeReclaimPolicy'),
    6: opt('storageClassName'),
    7: list('mountOptions'),
    8: ptr('volumeMode'),
    9: ptr('nodeAffinity', 'core.VolumeNodeAffinity'),
    10: ptr('volumeAttributesClassName'),
  },
  'core.PersistentVolumeSource': {
    1: ptr('gcePersistentDisk', 'core.GCEPersistentDiskVolumeSource'),
    2: ptr('awsElasticBlockStore', 'core.AWSElasticBlockStoreVolumeSource'),
    3: ptr('hostPath', 'core.HostPathVolumeSource'),
    4: ptr('glusterfs', 'core.GlusterfsPersistentVolumeSource'),
    5: ptr('nfs', 'core.NFSVolumeSource'),
    6: ptr('rbd', 'core.RBDPersistentVolumeSource'),
    7: ptr('iscsi', 'core.ISCSIPersistentVolumeSource'),
    8: ptr('cinder', 'core.CinderPersistentVolumeSource'),
    9: ptr('cephfs', 'core.CephFSPersistentVolumeSource'),
    10: ptr('fc', 'core.FCVolumeSource'),
    11: ptr('flocker', 'core.FlockerVolumeSource'),
    12: ptr('flexVolume', 'core.FlexPersistentVolumeSource'),
    13: ptr('azureFile', 'core.AzureFilePersistentVolumeSource'),
    14: ptr('vsphereVolume', 'core.VsphereVirtualDiskVolumeSource'),
    15: ptr('quobyte', 'core.QuobyteVolumeSource'),
    16: ptr('azureDisk', 'core.AzureDiskVolumeSource'),
    17: ptr('photonPersistentDisk', 'core.PhotonPersistentDiskVolumeSource'),
    18: ptr('portworxVolume', 'core.PortworxVolumeSource'),
    19: ptr('scaleIO', 'core.ScaleIOPersistentVolumeSource'),
    20: ptr('local', 'core.LocalVolumeSource'),
    21: ptr('storageos', 'core.StorageOSPersistentVolumeSource'),
    22: ptr('csi', 'core.CSIPersistentVolumeSource'),
  },
  'core.LocalVolumeSource': { 1: req('path'), 2: ptr('fsType') },
  'core.CSIPersistentVolumeSource': {
    1: req('driver'),
    2: req('volumeHandle'),
    3: opt('readOnly', 'bool'),
    4: opt('fsType'),
    5: map('volumeAttributes'),
    6: ptr('controllerPublishSecretRef', 'core.SecretReference'),
    7: ptr('nodeStageSecretRef', 'core.SecretReference'),
    8: ptr('nodePublishSecretRef', 'core.SecretReference'),
    9: ptr('controllerExpandSecretRef', 'core.SecretReference'),
    10: ptr('nodeExpandSecretRef', 'core.SecretReference'),
  },
  'core.SecretReference': { 1: opt('name'), 2: opt('namespace') },
  'core.VolumeNodeAffinity': { 1: ptr('required', 'core.NodeSelector') },
  'core.PersistentVolumeStatus': {
    1: opt('phase'),
    2: opt('message'),
    3: opt('reason'),
    4: ptr('lastPhaseTransitionTime', 'Time'),
  },
};

export const clusterMessages: MessageTable = {
  ...node,
  ...endpoints,
  ...limitRange,
  ...persistentVolume,
  // What `pods/binding` (and the scheduler) sends; `target` has no omitempty.
  'core.Binding': { 1: opt('metadata', 'meta.ObjectMeta'), 2: req('target', 'core.ObjectReference') },
};

export const clusterKinds: KindTable = {
  'v1 Node': 'core.Node',
  'v1 Endpoints': 'core.Endpoints',
  'v1 LimitRange': 'core.LimitRange',
  'v1 Binding': 'core.Binding',
  'v1 PersistentVolume': 'core.PersistentVolume',
};
