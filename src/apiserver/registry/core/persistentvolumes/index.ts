import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject, nowTimestamp } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  accessModesString,
  betaStorageClassAnnotation,
  ensure,
  isDNSSubdomainField,
  jsonEqual,
  keepAllButStatus,
  quantityString,
  rec,
  str,
  validateAccessModes,
  validatePositiveQuantity,
} from '../shared.ts';

interface PersistentVolumeSpec {
  capacity?: Record<string, unknown>;
  accessModes?: string[];
  persistentVolumeReclaimPolicy?: string;
  storageClassName?: string;
  volumeMode?: string;
  volumeAttributesClassName?: string | null;
  claimRef?: { namespace?: string; name?: string } | null;
  hostPath?: { type?: string };
  iscsi?: { iscsiInterface?: string };
}

interface PersistentVolumeStatus {
  phase?: string;
  reason?: string;
  lastPhaseTransitionTime?: string;
}

const spec = (obj: KubeObject): PersistentVolumeSpec => rec(obj['spec']) as PersistentVolumeSpec;
const status = (obj: KubeObject): PersistentVolumeStatus => rec(obj['status']) as PersistentVolumeStatus;

/** The persistent volume sources, in the order ValidatePersistentVolumeSpec counts them. */
export const volumeSources = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];

const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const volumeModes = ['Block', 'Filesystem'];

/** SetDefaults_PersistentVolume and the defaults of its volume sources. */
function setDefaults(obj: KubeObject): void {
  const s = ensure(obj, 'spec') as PersistentVolumeSpec;
  const st = ensure(obj, 'status') as PersistentVolumeStatus;
  if (!st.phase) st.phase = 'Pending';
  if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = 'Retain';
  if (!s.volumeMode) s.volumeMode = 'Filesystem';
  // SetDefaults_HostPathVolumeSource: HostPathUnset, which serializes as "".
  if (isRecord(s.hostPath) && s.hostPath.type === undefined) s.hostPath.type = '';
  if (isRecord(s.iscsi) && !s.iscsi.iscsiInterface) s.iscsi.iscsiInterface = 'default';
}

/** ValidatePersistentVolumeSpec for a stand-alone (not inline) volume. */
function validatePersistentVolume(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  errors.push(...validateAccessModes(s.accessModes, 'spec.accessModes', ''));
  const capacity = rec(s.capacity);
  if (Object.keys(capacity).length === 0) errors.push(required('spec.capacity', ''));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) {
    errors.push(notSupported('spec.capacity', capacity, ['storage']));
  }
  for (const [name, value] of Object.entries(capacity)) {
    errors.push(...validatePositiveQuantity(value, fieldPath('spec.capacity', { key: name })));
  }
  if (s.storageClassName) errors.push(...isDNSSubdomainField(s.storageClassName, 'spec.storageClassName'));
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode))
    errors.push(notSupported('spec.volumeMode', s.volumeMode, volumeModes));
  if (s.persistentVolumeReclaimPolicy && !reclaimPolicies.includes(s.persistentVolumeReclaimPolicy)) {
    errors.push(
      notSupported('spec.persistentVolumeReclaimPolicy', s.persistentVolumeReclaimPolicy, reclaimPolicies),
    );
  }
  const raw = rec(obj['spec']);
  const given = volumeSources.filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (given.length === 0) errors.push(required('spec', 'must specify a volume type'));
  for (const extra of given.slice(1))
    errors.push(forbidden(fieldPath('spec', extra), 'may not specify more than 1 volume type'));
  return errors;
}

/** ValidatePersistentVolumeUpdate: the volume source and mode are fixed at creation. */
function validatePersistentVolumeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const source = (o: KubeObject): Record<string, unknown> => {
    const raw = rec(o['spec']);
    return Object.fromEntries(volumeSources.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  };
  if (!jsonEqual(source(obj), source(old))) {
    errors.push(
      forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'),
    );
  }
  if (spec(obj).volumeMode !== spec(old).volumeMode) {
    errors.push(invalid('spec.volumeMode', spec(obj).volumeMode ?? '', 'field is immutable'));
  }
  return [...errors, ...validatePersistentVolume(obj)];
}

/** helper.GetPersistentVolumeClass: the beta annotation wins over spec.storageClassName. */
function storageClass(obj: KubeObject): string {
  const annotations = obj.metadata.annotations ?? {};
  if (betaStorageClassAnnotation in annotations) return annotations[betaStorageClassAnnotation] ?? '';
  return str(spec(obj).storageClassName);
}

/** core/v1 PersistentVolume (upstream pkg/registry/core/persistentvolume): cluster-scoped. */
export const persistentvolumes: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  status: {
    // PersistentVolumeLastPhaseTransitionTime (GA in 1.31): a phase change is timestamped
    // unless the writer set a new time itself.
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      const st = ensure(obj, 'status') as PersistentVolumeStatus;
      const o = status(old);
      if (o.phase === st.phase && !st.lastPhaseTransitionTime) {
        if (o.lastPhaseTransitionTime) st.lastPhaseTransitionTime = o.lastPhaseTransitionTime;
      } else if (
        o.phase !== st.phase &&
        (!st.lastPhaseTransitionTime || st.lastPhaseTransitionTime === o.lastPhaseTransitionTime)
      ) {
        st.lastPhaseTransitionTime = nowTimestamp();
      }
    },
  },
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = { phase: 'Pending', lastPhaseTransitionTime: nowTimestamp() };
    },
    defaults: setDefaults,
    validate: validatePersistentVolume,
    validateUpdate: validatePersistentVolumeUpdate,
  },
  table: {
    columns: [
      nameColumn('persistent volume'),
      {
        name: 'Capacity',
        type: 'string',
        description: "capacity is the description of the persistent volume's resources and capacity.",
        priority: 0,
      },
      {
        name: 'Access Modes',
        type: 'string',
        description: 'accessModes contains all ways the volume can be mounted.',
        priority: 0,
      },
      {
        name: 'Reclaim Policy',
        type: 'string',
        description:
          'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
        priority: 0,
      },
      {
        name: 'Status',
        type: 'string',
        description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.',
        priority: 0,
      },
      {
        name: 'Claim',
        type: 'string',
        description:
          'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
        priority: 0,
      },
      { name: 'StorageClass', type: 'string', description: 'StorageClass of the pv', priority: 0 },
      {
        name: 'VolumeAttributesClass',
        type: 'string',
        description: 'VolumeAttributesClass of the pv',
        priority: 0,
      },
      {
        name: 'Reason',
        type: 'string',
        description: 'reason is a brief CamelCase string that describes any failure.',
        priority: 0,
      },
      ageColumn('persistent volume'),
      {
        name: 'VolumeMode',
        type: 'string',
        description:
          'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const claimRef = s.claimRef;
      const claim = isRecord(claimRef) ? `${str(claimRef['namespace'])}/${str(claimRef['name'])}` : '';
      const phase = obj.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(status(obj).phase);
      const vac = s.volumeAttributesClassName;
      return [
        obj.metadata.name ?? '',
        quantityString(rec(s.capacity)['storage']),
        accessModesString(s.accessModes),
        str(s.persistentVolumeReclaimPolicy),
        phase,
        claim,
        storageClass(obj),
        typeof vac === 'string' ? vac : '<unset>',
        str(status(obj).reason),
        age(obj, now),
        s.volumeMode ? s.volumeMode : '<unset>',
      ];
    },
  },
  // "name" is a bug upstream keeps for backward compatibility.
  fields: (obj) => ({ name: obj.metadata.name ?? '' }),
};
