import { type FieldError, forbidden, notSupported, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { compareQuantity } from '../../../../api/quantity.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  accessModesString,
  betaStorageClassAnnotation,
  ensure,
  isDNSSubdomainField,
  jsonEqual,
  quantityString,
  rec,
  str,
  tryQuantity,
  validateAccessModes,
  validatePositiveQuantity,
} from '../shared.ts';

interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  volumeName?: string;
  storageClassName?: string | null;
  volumeMode?: string;
  volumeAttributesClassName?: string | null;
}

interface PersistentVolumeClaimStatus {
  phase?: string;
  accessModes?: string[];
  capacity?: Record<string, unknown>;
}

const spec = (obj: KubeObject): PersistentVolumeClaimSpec => rec(obj['spec']) as PersistentVolumeClaimSpec;
const status = (obj: KubeObject): PersistentVolumeClaimStatus =>
  rec(obj['status']) as PersistentVolumeClaimStatus;
const storageRequest = (obj: KubeObject): unknown => rec(rec(spec(obj).resources)['requests'])['storage'];

const volumeModes = ['Block', 'Filesystem'];

/** ValidatePersistentVolumeClaimSpec: access modes, a positive storage request, class and mode. */
function validateClaim(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  errors.push(
    ...validateAccessModes(s.accessModes, 'spec.accessModes', 'at least 1 access mode is required'),
  );
  const requests = rec(rec(s.resources)['requests']);
  if (!('storage' in requests)) errors.push(required('spec.resources[storage]', ''));
  else errors.push(...validatePositiveQuantity(requests['storage'], 'spec.resources[storage]'));
  if (typeof s.storageClassName === 'string' && s.storageClassName !== '')
    errors.push(...isDNSSubdomainField(s.storageClassName, 'spec.storageClassName'));
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode))
    errors.push(notSupported('spec.volumeMode', s.volumeMode, volumeModes));
  return errors;
}

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is fixed once created, except that the volume
 * name may be set once (binding) and a bound claim may change its storage request (expansion,
 * and with RecoverVolumeExpansionFailure, on in 1.32, shrinking back towards the status capacity)
 * and its volume attributes class.
 */
function validateClaimUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const newSpec = structuredClone(rec(obj['spec']));
  const oldSpec = structuredClone(rec(old['spec']));
  if (!str(oldSpec['volumeName'])) oldSpec['volumeName'] = newSpec['volumeName'];
  const bound = status(obj).phase === 'Bound';
  if (bound) {
    const newRequests = rec(rec(newSpec['resources'])['requests']);
    const oldRequests = rec(rec(oldSpec['resources'])['requests']);
    if ('storage' in newRequests) {
      if ('storage' in oldRequests) newRequests['storage'] = oldRequests['storage'];
      else delete newRequests['storage'];
    }
    if (newSpec['volumeAttributesClassName'] !== undefined)
      newSpec['volumeAttributesClassName'] = oldSpec['volumeAttributesClassName'];
  }
  if (!jsonEqual(newSpec, oldSpec)) {
    errors.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  const newSize = tryQuantity(storageRequest(obj));
  const oldSize = tryQuantity(storageRequest(old));
  if (newSize !== undefined && oldSize !== undefined && compareQuantity(newSize, oldSize) < 0) {
    const statusSize = tryQuantity(rec(status(old).capacity)['storage']) ?? {
      value: 0n,
      scale: 0,
      format: 'DecimalSI',
    };
    if (compareQuantity(newSize, statusSize) <= 0) {
      errors.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  return [...errors, ...validateClaim(obj)];
}

/** helper.GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName. */
function storageClass(obj: KubeObject): string {
  const annotations = obj.metadata.annotations ?? {};
  if (betaStorageClassAnnotation in annotations) return annotations[betaStorageClassAnnotation] ?? '';
  return str(spec(obj).storageClassName);
}

/** core/v1 PersistentVolumeClaim (upstream pkg/registry/core/persistentvolumeclaim). */
export const persistentvolumeclaims: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  status: {},
  strategy: {
    prepareForCreate(obj) {
      obj['status'] = {};
    },
    // SetDefaults_PersistentVolumeClaim and SetDefaults_PersistentVolumeClaimSpec.
    defaults(obj) {
      const s = ensure(obj, 'spec') as PersistentVolumeClaimSpec;
      if (!s.volumeMode) s.volumeMode = 'Filesystem';
      const st = ensure(obj, 'status') as PersistentVolumeClaimStatus;
      if (!st.phase) st.phase = 'Pending';
    },
    validate: validateClaim,
    validateUpdate: validateClaimUpdate,
  },
  table: {
    columns: [
      nameColumn('persistent volume claim'),
      {
        name: 'Status',
        type: 'string',
        description: 'phase represents the current phase of PersistentVolumeClaim.',
        priority: 0,
      },
      {
        name: 'Volume',
        type: 'string',
        description: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
        priority: 0,
      },
      {
        name: 'Capacity',
        type: 'string',
        description: 'capacity represents the actual resources of the underlying volume.',
        priority: 0,
      },
      {
        name: 'Access Modes',
        type: 'string',
        description: 'accessModes contains the actual access modes the volume backing the PVC has.',
        priority: 0,
      },
      { name: 'StorageClass', type: 'string', description: 'StorageClass of the pvc', priority: 0 },
      {
        name: 'VolumeAttributesClass',
        type: 'string',
        description: 'VolumeAttributesClass of the pvc',
        priority: 0,
      },
      ageColumn('persistent volume claim'),
      {
        name: 'VolumeMode',
        type: 'string',
        description: 'volumeMode defines what type of volume is required by the claim.',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const s = spec(obj);
      const phase = obj.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(status(obj).phase);
      // Capacity and access modes are the bound volume's, so blank until the claim is bound.
      const bound = str(s.volumeName) !== '';
      const vac = s.volumeAttributesClassName;
      return [
        obj.metadata.name ?? '',
        phase,
        str(s.volumeName),
        bound ? quantityString(rec(status(obj).capacity)['storage']) : '',
        bound ? accessModesString(status(obj).accessModes) : '',
        storageClass(obj),
        typeof vac === 'string' ? vac : '<unset>',
        age(obj, now),
        s.volumeMode ? s.volumeMode : '<unset>',
      ];
    },
  },
  // "name" is a bug upstream keeps for backward compatibility.
  fields: (obj) => ({ name: obj.metadata.name ?? '' }),
};
