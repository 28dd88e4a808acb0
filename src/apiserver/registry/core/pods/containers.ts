// Container validation, after pkg/apis/core/validation v1.32: validateContainerCommon (name, image,
// policies, ports, env, volume mounts, resources, security context), probes and lifecycle handlers,
// and the three container lists with their name uniqueness and host port rules.
import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { compareQuantity } from '../../../../api/quantity.ts';
import { isValidPortName, isValidPortNum } from '../../../../api/validation.ts';
import {
  portProtocols,
  quantityString,
  tryQuantity,
  validateContainerResourceName,
  validateResourceQuantityValue,
} from '../shared.ts';
import { validateEnv, validateEnvFrom } from './env.ts';
import { lifecycleAndProbes } from './probes.ts';
import { seccompProfile } from './security.ts';
import {
  inclusiveRange,
  isSet,
  localDescendingPath,
  maxInt32,
  notFound,
  num,
  type Obj,
  rec,
  recs,
  str,
  dnsLabel,
} from './util.ts';

/** What a container's checks need from the pod around it. */
export interface PodContext {
  /** The pod's valid volumes by name. */
  readonly volumes: ReadonlyMap<string, Obj>;
  /** spec.terminationGracePeriodSeconds, when set. */
  readonly gracePeriod: number | undefined;
  /** securityContext.hostUsers is not false. */
  readonly hostUsers: boolean;
}

function containerPorts(ports: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  recs(ports).forEach((port, i) => {
    const p = fieldPath(path, i);
    const name = str(port['name']);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errors.push(...msgs.map((m) => invalid(fieldPath(p, 'name'), name, m)));
      else if (names.has(name)) errors.push(duplicate(fieldPath(p, 'name'), name));
      else names.add(name);
    }
    const containerPort = num(port['containerPort']);
    if (containerPort === 0) errors.push(required(fieldPath(p, 'containerPort'), ''));
    else
      for (const m of isValidPortNum(containerPort))
        errors.push(invalid(fieldPath(p, 'containerPort'), containerPort, m));
    const hostPort = num(port['hostPort']);
    if (hostPort !== 0)
      for (const m of isValidPortNum(hostPort)) errors.push(invalid(fieldPath(p, 'hostPort'), hostPort, m));
    const protocol = str(port['protocol']);
    if (protocol === '') errors.push(required(fieldPath(p, 'protocol'), ''));
    else if (!portProtocols.includes(protocol))
      errors.push(notSupported(fieldPath(p, 'protocol'), protocol, portProtocols));
  });
  return errors;
}

/** ValidateVolumeMounts (volumeDevices are not checked). */
function volumeMounts(c: Obj, ctx: PodContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const mountPoints = new Set<string>();
  recs(c['volumeMounts']).forEach((m, i) => {
    const p = fieldPath(path, i);
    const name = str(m['name']);
    const mountPath = str(m['mountPath']);
    if (name === '') errors.push(required(fieldPath(p, 'name'), ''));
    if (!ctx.volumes.has(name)) errors.push(notFound(fieldPath(p, 'name'), name));
    if (mountPath === '') errors.push(required(fieldPath(p, 'mountPath'), ''));
    if (mountPoints.has(mountPath))
      errors.push(invalid(fieldPath(p, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = str(m['subPath']);
    const subPathExpr = str(m['subPathExpr']);
    // Upstream reports these two at `volumeMounts.subPath`, without the index.
    if (subPath !== '') errors.push(...localDescendingPath(subPath, fieldPath(path, 'subPath')));
    if (subPathExpr !== '') {
      if (subPath !== '')
        errors.push(
          invalid(fieldPath(p, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'),
        );
      errors.push(...localDescendingPath(subPathExpr, fieldPath(path, 'subPathExpr')));
    }
    if (isSet(m['mountPropagation'])) {
      const mode = str(m['mountPropagation']);
      const p2 = fieldPath(path, 'mountPropagation');
      const modes = ['Bidirectional', 'HostToContainer', 'None'];
      if (!modes.includes(mode)) errors.push(notSupported(p2, mode, modes));
      if (mode === 'Bidirectional' && rec(c['securityContext'])['privileged'] !== true)
        errors.push(
          forbidden(p2, 'Bidirectional mount propagation is available only to privileged containers'),
        );
    }
  });
  return errors;
}

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
/** helper.IsOvercommitAllowed. */
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

/** validateResourceRequirements for containers (and a pod's overhead, as limits). */
export function resourceRequirements(resources: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const limPath = fieldPath(path, 'limits');
  const reqPath = fieldPath(path, 'requests');
  const limits = rec(resources['limits']);
  const requests = rec(resources['requests']);
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, q] of Object.entries(limits)) {
    const p = fieldPath(limPath, { key: name });
    errors.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = fieldPath(reqPath, { key: name });
    errors.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    const request = tryQuantity(q);
    const limit = tryQuantity(limits[name]);
    if (name in limits) {
      if (request !== undefined && limit !== undefined) {
        const cmp = compareQuantity(request, limit);
        const limitText = quantityString(limits[name]);
        if (cmp !== 0 && !overcommitAllowed(name))
          errors.push(invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${limitText}`));
        else if (cmp > 0)
          errors.push(
            invalid(
              reqPath,
              quantityString(q),
              `must be less than or equal to ${name} limit of ${limitText}`,
            ),
          );
      }
    } else if (!overcommitAllowed(name)) {
      errors.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errors.push(forbidden(path, 'HugePages require cpu or memory'));
  return errors;
}

/** ValidateSecurityContext (a container's). */
function securityContext(sc: unknown, hostUsers: boolean, path: string): FieldError[] {
  if (!isSet(sc)) return [];
  const s = rec(sc);
  const errors: FieldError[] = [];
  for (const key of ['runAsUser', 'runAsGroup']) {
    const id = s[key];
    if (isSet(id) && (num(id) < 0 || num(id) > maxInt32))
      errors.push(invalid(fieldPath(path, key), num(id), inclusiveRange(0, maxInt32)));
  }
  if (isSet(s['procMount'])) {
    const mount = str(s['procMount']);
    if (mount !== 'Default' && mount !== 'Unmasked')
      errors.push(notSupported(fieldPath(path, 'procMount'), mount, ['Default', 'Unmasked']));
    if (hostUsers && mount === 'Unmasked')
      errors.push(
        invalid(fieldPath(path, 'procMount'), mount, '`hostUsers` must be false to use `Unmasked`'),
      );
  }
  errors.push(...seccompProfile(s['seccompProfile'], fieldPath(path, 'seccompProfile')));
  if (s['allowPrivilegeEscalation'] === false && s['privileged'] === true)
    errors.push(invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  return errors;
}

/** validateContainerCommon: what regular, init and ephemeral containers share. */
function containerCommon(c: Obj, ctx: PodContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = str(c['name']);
  if (name === '') errors.push(required(fieldPath(path, 'name'), ''));
  else errors.push(...dnsLabel(name, fieldPath(path, 'name')));
  if (str(c['image']) === '') errors.push(required(fieldPath(path, 'image'), ''));
  const tmp = str(c['terminationMessagePolicy']);
  const tmpPath = fieldPath(path, 'terminationMessagePolicy');
  if (tmp === '') errors.push(required(tmpPath, ''));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errors.push(notSupported(tmpPath, tmp, ['File', 'FallbackToLogsOnError']));
  errors.push(...containerPorts(c['ports'], fieldPath(path, 'ports')));
  errors.push(...validateEnv(c['env'], fieldPath(path, 'env')));
  errors.push(...validateEnvFrom(c['envFrom'], fieldPath(path, 'envFrom')));
  errors.push(...volumeMounts(c, ctx, fieldPath(path, 'volumeMounts')));
  const pull = str(c['imagePullPolicy']);
  const pullPath = fieldPath(path, 'imagePullPolicy');
  if (pull === '') errors.push(required(pullPath, ''));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull))
    errors.push(notSupported(pullPath, pull, ['Always', 'IfNotPresent', 'Never']));
  errors.push(...resourceRequirements(rec(c['resources']), fieldPath(path, 'resources')));
  errors.push(...securityContext(c['securityContext'], ctx.hostUsers, fieldPath(path, 'securityContext')));
  return errors;
}

/** checkHostPortConflicts: protocol, host IP and host port together unique. */
function hostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    recs(c['ports']).forEach((port, pi) => {
      const hostPort = num(port['hostPort']);
      if (hostPort === 0) return;
      const key = `${str(port['protocol'])}/${str(port['hostIP'])}/${hostPort}`;
      if (seen.has(key)) errors.push(duplicate(fieldPath(path, ci, 'ports', pi, 'hostPort'), key));
      else seen.add(key);
    });
  });
  return errors;
}

/** validateContainers: the regular containers, at least one. */
export function validateContainers(containers: unknown, ctx: PodContext, path: string): FieldError[] {
  const cs = recs(containers);
  if (cs.length === 0) return [required(path, '')];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const p = fieldPath(path, i);
    const name = str(c['name']);
    errors.push(...containerCommon(c, ctx, p));
    if (names.has(name)) errors.push(duplicate(fieldPath(p, 'name'), name));
    else names.add(name);
    errors.push(...lifecycleAndProbes(c, ctx.gracePeriod, p));
    if (isSet(c['restartPolicy']))
      errors.push(forbidden(fieldPath(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errors.push(...hostPortConflicts(cs, path));
  return errors;
}

/** validateInitContainers: names unique with the regular ones; sidecars (restartPolicy Always) may probe. */
export function validateInitContainers(
  inits: unknown,
  regular: unknown,
  ctx: PodContext,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set(recs(regular).map((c) => str(c['name'])));
  recs(inits).forEach((c, i) => {
    const p = fieldPath(path, i);
    const name = str(c['name']);
    errors.push(...containerCommon(c, ctx, p));
    let sidecar = false;
    if (isSet(c['restartPolicy'])) {
      const policy = str(c['restartPolicy']);
      if (policy !== 'Always') errors.push(notSupported(fieldPath(p, 'restartPolicy'), policy, ['Always']));
      sidecar = policy === 'Always';
    }
    if (names.has(name)) errors.push(duplicate(fieldPath(p, 'name'), name));
    else if (name !== '') names.add(name);
    // Init containers run one by one, so each is checked alone (upstream indexes it as [0]).
    errors.push(...hostPortConflicts([c], path));
    if (sidecar) errors.push(...lifecycleAndProbes(c, ctx.gracePeriod, p));
    else
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (isSet(c[key]))
          errors.push(
            forbidden(fieldPath(p, key), 'may not be set for init containers without restartPolicy=Always'),
          );
  });
  return errors;
}

// allowedEphemeralContainerFields: what an ephemeral container may not set.
const ephemeralForbidden = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
];

const isZero = (v: unknown): boolean =>
  !isSet(v) ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && Object.values(rec(v)).every(isZero));

/** validateEphemeralContainers. */
export function validateEphemeralContainers(spec: Obj, ctx: PodContext, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const others = new Set(
    [...recs(spec['containers']), ...recs(spec['initContainers'])].map((c) => str(c['name'])),
  );
  const all = new Set(others);
  recs(spec['ephemeralContainers']).forEach((c, i) => {
    const p = fieldPath(path, i);
    const name = str(c['name']);
    errors.push(...containerCommon(c, ctx, p));
    const image = str(c['image']);
    if (image.trim() !== image)
      errors.push(invalid(fieldPath(p, 'image'), image, 'must not have leading or trailing whitespace'));
    if (all.has(name)) errors.push(duplicate(fieldPath(p, 'name'), name));
    else all.add(name);
    const target = str(c['targetContainerName']);
    if (target !== '' && !others.has(target))
      errors.push(notFound(fieldPath(p, 'targetContainerName'), target));
    for (const key of ephemeralForbidden)
      if (!isZero(c[key]))
        errors.push(forbidden(fieldPath(p, key), 'cannot be set for an Ephemeral Container'));
    recs(c['volumeMounts']).forEach((m, j) => {
      for (const key of ['subPath', 'subPathExpr'])
        if (str(m[key]) !== '')
          errors.push(
            forbidden(fieldPath(p, 'volumeMounts', j, key), 'cannot be set for an Ephemeral Container'),
          );
    });
  });
  return errors;
}
