// Pod volumes, after pkg/apis/core/validation v1.32 ValidateVolumes and validateVolumeSource: names
// unique DNS labels, exactly one source, and the checks of the sources pods commonly use (emptyDir,
// hostPath, secret, configMap, downwardAPI, projected, persistentVolumeClaim, nfs, csi, ephemeral,
// gitRepo). The remaining in-tree sources count as a source but are not checked further.
import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../../../api/field-errors.ts';
import { isDNS1123Subdomain } from '../../../../api/validation.ts';
import { tryQuantity } from '../shared.ts';
import { objectFieldSelector, resourceFieldSelector, volumeFieldPaths } from './env.ts';
import {
  dnsLabel,
  fileMode,
  isSet,
  localDescendingPath,
  localNonReservedPath,
  num,
  type Obj,
  pathNoBacksteps,
  rec,
  recs,
  str,
} from './util.ts';

// validateVolumeSource's order, which decides the source reported as the extra one. Upstream names
// two of them differently in that error: `cephFS` and `downwarAPI` (sic).
const sources: ReadonlyArray<[string, string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const hostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

function keyToPath(kp: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (str(kp['key']) === '') errors.push(required(fieldPath(path, 'key'), ''));
  if (str(kp['path']) === '') errors.push(required(fieldPath(path, 'path'), ''));
  errors.push(...localNonReservedPath(str(kp['path']), fieldPath(path, 'path')));
  errors.push(...fileMode(kp['mode'], fieldPath(path, 'mode')));
  return errors;
}

function itemsOf(src: Obj, path: string): FieldError[] {
  return recs(src['items']).flatMap((kp, i) => keyToPath(kp, fieldPath(path, 'items', i)));
}

/** validateDownwardAPIVolumeFile; upstream reports at the parent path, not the item's. */
function downwardAPIFile(file: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (str(file['path']) === '') errors.push(required(fieldPath(path, 'path'), ''));
  errors.push(...localNonReservedPath(str(file['path']), fieldPath(path, 'path')));
  if (isSet(file['fieldRef'])) {
    errors.push(...objectFieldSelector(rec(file['fieldRef']), volumeFieldPaths, fieldPath(path, 'fieldRef')));
    if (isSet(file['resourceFieldRef']))
      errors.push(
        invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'),
      );
  } else if (isSet(file['resourceFieldRef'])) {
    errors.push(
      ...resourceFieldSelector(rec(file['resourceFieldRef']), fieldPath(path, 'resourceFieldRef'), true),
    );
  } else {
    errors.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errors.push(...fileMode(file['mode'], fieldPath(path, 'mode')));
  return errors;
}

/** validateProjectionSources: one kind per source, no path twice. */
function projected(src: Obj, path: string): FieldError[] {
  const errors = fileMode(src['defaultMode'], fieldPath(path, 'defaultMode'));
  const paths = new Set<string>();
  const claim = (p: string, bad: string): void => {
    if (p === '') return;
    if (paths.has(p)) errors.push(invalid(path, bad, 'conflicting duplicate paths'));
    paths.add(p);
  };
  recs(src['sources']).forEach((source, i) => {
    const srcPath = fieldPath(path, 'sources', i);
    let count = 0;
    for (const kind of ['secret', 'configMap']) {
      if (!isSet(source[kind])) continue;
      count++;
      const s = rec(source[kind]);
      if (str(s['name']) === '') errors.push(required(fieldPath(srcPath, kind, 'name'), ''));
      recs(s['items']).forEach((kp, j) => {
        errors.push(...keyToPath(kp, fieldPath(srcPath, kind, 'items', j)));
        claim(str(kp['path']), str(s['name']));
      });
    }
    if (isSet(source['downwardAPI'])) {
      count++;
      for (const file of recs(rec(source['downwardAPI'])['items'])) {
        errors.push(...downwardAPIFile(file, fieldPath(srcPath, 'downwardAPI')));
        claim(str(file['path']), str(file['path']));
      }
    }
    if (isSet(source['serviceAccountToken'])) {
      count++;
      const t = rec(source['serviceAccountToken']);
      const seconds = num(t['expirationSeconds']);
      const secondsPath = fieldPath(srcPath, 'serviceAccountToken', 'expirationSeconds');
      if (seconds < 600)
        errors.push(invalid(secondsPath, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32)
        errors.push(invalid(secondsPath, seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (str(t['path']) === '') errors.push(required(fieldPath(path, 'path'), ''));
      else errors.push(...localNonReservedPath(str(t['path']), fieldPath(path, 'path')));
    }
    if (isSet(source['clusterTrustBundle'])) count++;
    if (count > 1) errors.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errors;
}

const checks: Record<string, (src: Obj, path: string, volName: string, podName: string) => FieldError[]> = {
  emptyDir: (src, path) => {
    const q = tryQuantity(src['sizeLimit']);
    return isSet(src['sizeLimit']) && (q === undefined || q.value < 0n)
      ? [forbidden(fieldPath(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity')]
      : [];
  },
  hostPath: (src, path) => {
    const p = str(src['path']);
    if (p === '') return [required(fieldPath(path, 'path'), '')];
    const errors = pathNoBacksteps(p, fieldPath(path, 'path'));
    if (isSet(src['type']) && !hostPathTypes.includes(str(src['type'])))
      errors.push(notSupported(fieldPath(path, 'type'), str(src['type']), hostPathTypes));
    return errors;
  },
  gitRepo: (src, path) => {
    const errors = str(src['repository']) === '' ? [required(fieldPath(path, 'repository'), '')] : [];
    return [...errors, ...localDescendingPath(str(src['directory']), fieldPath(path, 'directory'))];
  },
  secret: (src, path) => [
    ...(str(src['secretName']) === '' ? [required(fieldPath(path, 'secretName'), '')] : []),
    ...fileMode(src['defaultMode'], fieldPath(path, 'defaultMode')),
    ...itemsOf(src, path),
  ],
  configMap: (src, path) => [
    ...(str(src['name']) === '' ? [required(fieldPath(path, 'name'), '')] : []),
    ...fileMode(src['defaultMode'], fieldPath(path, 'defaultMode')),
    ...itemsOf(src, path),
  ],
  nfs: (src, path) => {
    const errors: FieldError[] = [];
    if (str(src['server']) === '') errors.push(required(fieldPath(path, 'server'), ''));
    if (str(src['path']) === '') errors.push(required(fieldPath(path, 'path'), ''));
    if (!str(src['path']).startsWith('/'))
      errors.push(invalid(fieldPath(path, 'path'), str(src['path']), 'must be an absolute path'));
    return errors;
  },
  persistentVolumeClaim: (src, path) =>
    str(src['claimName']) === '' ? [required(fieldPath(path, 'claimName'), '')] : [],
  downwardAPI: (src, path) => [
    ...fileMode(src['defaultMode'], fieldPath(path, 'defaultMode')),
    ...recs(src['items']).flatMap((file) => downwardAPIFile(file, path)),
  ],
  projected,
  csi: (src, path) => {
    const driver = str(src['driver']);
    const driverPath = fieldPath(path, 'driver');
    const errors: FieldError[] = [];
    if (driver === '') errors.push(required(driverPath, ''));
    if (driver.length > 63) errors.push(tooLong(driverPath, '', 63));
    errors.push(...isDNS1123Subdomain(driver.toLowerCase()).map((m) => invalid(driverPath, driver, m)));
    if (isSet(src['nodePublishSecretRef'])) {
      const name = str(rec(src['nodePublishSecretRef'])['name']);
      if (name === '') errors.push(required(fieldPath(path, 'nodePublishSecretRef', 'name'), ''));
      else errors.push(...isDNS1123Subdomain(name).map((m) => invalid(fieldPath(path, 'name'), name, m)));
    }
    return errors;
  },
  ephemeral: (src, path, volName, podName) => {
    if (!isSet(src['volumeClaimTemplate'])) return [required(fieldPath(path, 'volumeClaimTemplate'), '')];
    if (podName === '' || volName === '') return [];
    const pvc = `${podName}-${volName}`;
    return isDNS1123Subdomain(pvc).map((m) =>
      invalid(fieldPath(path, 'name'), volName, `PVC name "${pvc}": ${m}`),
    );
  },
};

/** validateVolumeSource: exactly one source, checked. */
function volumeSource(vol: Obj, path: string, podName: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const [key, reported] of sources) {
    if (!isSet(vol[key])) continue;
    if (count > 0) {
      errors.push(forbidden(fieldPath(path, reported), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errors.push(...(checks[key]?.(rec(vol[key]), fieldPath(path, key), str(vol['name']), podName) ?? []));
  }
  if (count === 0) errors.push(required(path, 'must specify a volume type'));
  return errors;
}

/**
 * ValidateVolumes: the errors, and the valid volumes by name (a volume with errors is left out, so
 * mounts of it are reported too, as upstream). `podName` is empty for templates.
 */
export function validateVolumes(
  volumes: unknown,
  path: string,
  podName: string,
): [Map<string, Obj>, FieldError[]] {
  const errors: FieldError[] = [];
  const byName = new Map<string, Obj>();
  const vols = recs(volumes);
  const createdClaims = new Set(
    podName === ''
      ? []
      : vols.filter((v) => isSet(v['ephemeral'])).map((v) => `${podName}-${str(v['name'])}`),
  );
  vols.forEach((vol, i) => {
    const p = fieldPath(path, i);
    const name = str(vol['name']);
    const el = volumeSource(vol, p, podName);
    if (name === '') el.push(required(fieldPath(p, 'name'), ''));
    else el.push(...dnsLabel(name, fieldPath(p, 'name')));
    if (byName.has(name)) el.push(duplicate(fieldPath(p, 'name'), name));
    if (el.length === 0) byName.set(name, vol);
    else errors.push(...el);
    const claim = str(rec(vol['persistentVolumeClaim'])['claimName']);
    if (isSet(vol['persistentVolumeClaim']) && createdClaims.has(claim))
      errors.push(
        invalid(
          fieldPath(p, 'persistentVolumeClaim', 'claimName'),
          claim,
          'must not reference a PVC that gets created for an ephemeral volume',
        ),
      );
  });
  return [byName, errors];
}
