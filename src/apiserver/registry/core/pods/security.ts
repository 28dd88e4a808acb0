// Security settings, after pkg/apis/core/validation v1.32: validateSeccompProfileField,
// ValidateAppArmorProfileField, validatePodSpecSecurityContext with its sysctls, and the OS checks
// (validateOS, validateLinux, validateWindows).
import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import {
  inclusiveRange,
  isSet,
  list,
  localDescendingPath,
  maxInt32,
  num,
  type Obj,
  rec,
  recs,
  str,
} from './util.ts';

const seccompTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** validateSeccompProfileField. */
export function seccompProfile(sp: unknown, path: string): FieldError[] {
  if (!isSet(sp)) return [];
  const p = rec(sp);
  const errors: FieldError[] = [];
  const type = str(p['type']);
  if (type === '')
    errors.push(required(fieldPath(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!seccompTypes.includes(type))
    errors.push(notSupported(fieldPath(path, 'type'), type, seccompTypes));
  const local = p['localhostProfile'];
  if (type === 'Localhost') {
    if (!isSet(local))
      errors.push(
        required(fieldPath(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'),
      );
    else errors.push(...localDescendingPath(str(local), fieldPath(path, 'localhostProfile')));
  } else if (isSet(local)) {
    errors.push(
      invalid(fieldPath(path, 'localhostProfile'), p, 'can only be set when seccomp type is Localhost'),
    );
  }
  return errors;
}

/** ValidateAppArmorProfileField. */
export function appArmorProfile(profile: unknown, path: string): FieldError[] {
  if (!isSet(profile)) return [];
  const p = rec(profile);
  const type = str(p['type']);
  const local = p['localhostProfile'];
  const localPath = fieldPath(path, 'localhostProfile');
  switch (type) {
    case 'Localhost': {
      if (!isSet(local) || str(local).trim() === '')
        return [required(localPath, 'must be set when AppArmor type is Localhost')];
      if (str(local).trim() !== str(local))
        return [invalid(localPath, str(local), 'must not be padded with whitespace')];
      return [];
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return isSet(local)
        ? [invalid(localPath, local, 'can only be set when AppArmor type is Localhost')]
        : [];
    case '':
      return [required(fieldPath(path, 'type'), 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(fieldPath(path, 'type'), type, seccompTypes)];
  }
}

const sysctlSegment = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlPattern = `^(${sysctlSegment}[\\./])*${sysctlSegment}$`;
const sysctlRegexp = new RegExp(sysctlPattern);

// utilsysctl.GetNamespace: which sysctls live in the network and IPC namespaces.
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const n = name.replaceAll('/', '.');
  if (n.startsWith('net.')) return 'net';
  if (
    n.startsWith('kernel.shm') ||
    n.startsWith('kernel.msg') ||
    n === 'kernel.sem' ||
    n.startsWith('fs.mqueue.')
  )
    return 'ipc';
  return '';
}

function sysctls(spec: Obj, sc: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  recs(sc['sysctls']).forEach((s, i) => {
    const name = str(s['name']);
    const p = fieldPath(path, i, 'name');
    if (name === '') errors.push(required(p, ''));
    else if (Buffer.byteLength(name) > 253 || !sysctlRegexp.test(name))
      errors.push(invalid(p, name, `must have at most 253 characters and match regex ${sysctlPattern}`));
    else if (names.has(name)) errors.push(duplicate(p, name));
    const ns = sysctlNamespace(name);
    if (spec['hostNetwork'] === true && ns === 'net')
      errors.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec['hostIPC'] === true && ns === 'ipc')
      errors.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errors;
}

function idField(sc: Obj, key: string, path: string): FieldError[] {
  const id = sc[key];
  if (!isSet(id) || (num(id) >= 0 && num(id) <= maxInt32)) return [];
  return [invalid(fieldPath(path, key), num(id), inclusiveRange(0, maxInt32))];
}

/** validatePodSpecSecurityContext. */
export function podSecurityContext(spec: Obj, path: string): FieldError[] {
  if (!isSet(spec['securityContext'])) return [];
  const sc = rec(spec['securityContext']);
  const errors = [
    ...idField(sc, 'fsGroup', path),
    ...idField(sc, 'runAsUser', path),
    ...idField(sc, 'runAsGroup', path),
  ];
  list(sc['supplementalGroups']).forEach((gid, i) => {
    if (num(gid) < 0 || num(gid) > maxInt32)
      errors.push(invalid(fieldPath(path, 'supplementalGroups', i), num(gid), inclusiveRange(0, maxInt32)));
  });
  if (spec['shareProcessNamespace'] === true && spec['hostPID'] === true)
    errors.push(
      invalid(
        fieldPath(path, 'shareProcessNamespace'),
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  errors.push(...sysctls(spec, sc, fieldPath(path, 'sysctls')));
  if (isSet(sc['fsGroupChangePolicy'])) {
    const policy = str(sc['fsGroupChangePolicy']);
    if (policy !== 'Always' && policy !== 'OnRootMismatch')
      errors.push(notSupported(fieldPath(path, 'fsGroupChangePolicy'), policy, ['Always', 'OnRootMismatch']));
  }
  errors.push(...seccompProfile(sc['seccompProfile'], fieldPath(path, 'seccompProfile')));
  errors.push(...appArmorProfile(sc['appArmorProfile'], fieldPath(path, 'appArmorProfile')));
  return errors;
}

const containerKeys = ['containers', 'initContainers', 'ephemeralContainers'];
const windowsPodFields = [
  'seLinuxOptions',
  'seccompProfile',
  'fsGroup',
  'fsGroupChangePolicy',
  'runAsUser',
  'runAsGroup',
];
const windowsContainerFields = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

/** validateOS, then validateLinux or (the common part of) validateWindows. */
export function validateOS(spec: Obj, specPath: string): FieldError[] {
  if (!isSet(spec['os'])) return [];
  const path = fieldPath(specPath, 'os');
  const name = str(rec(spec['os'])['name']);
  if (name === '') return [required(fieldPath(path, 'name'), 'cannot be empty')];
  if (name !== 'linux' && name !== 'windows') return [notSupported(path, name, ['linux', 'windows'])];
  const errors: FieldError[] = [];
  const sc = rec(spec['securityContext']);
  const scPath = fieldPath(specPath, 'securityContext');
  const windowsMsg = 'cannot be set for a windows pod';
  if (name === 'linux' && isSet(sc['windowsOptions']))
    errors.push(
      forbidden(fieldPath(scPath, 'windowsOptions'), 'windows options cannot be set for a linux pod'),
    );
  if (name === 'windows') {
    for (const key of windowsPodFields)
      if (isSet(sc[key])) errors.push(forbidden(fieldPath(scPath, key), windowsMsg));
    if (list(sc['sysctls']).length > 0) errors.push(forbidden(fieldPath(scPath, 'sysctls'), windowsMsg));
    for (const key of ['hostPID', 'hostIPC'])
      if (spec[key] === true) errors.push(forbidden(fieldPath(specPath, key), windowsMsg));
  }
  for (const key of containerKeys) {
    recs(spec[key]).forEach((c, i) => {
      if (!isSet(c['securityContext'])) return;
      const csc = rec(c['securityContext']);
      const p = fieldPath(specPath, key, i, 'securityContext');
      if (name === 'linux' && isSet(csc['windowsOptions']))
        errors.push(
          forbidden(fieldPath(p, 'windowsOptions'), 'windows options cannot be set for a linux pod'),
        );
      if (name === 'windows')
        for (const f of windowsContainerFields)
          if (isSet(csc[f])) errors.push(forbidden(fieldPath(p, f), windowsMsg));
    });
  }
  return errors;
}
