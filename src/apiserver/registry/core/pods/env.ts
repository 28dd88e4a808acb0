// Container environment and the downward API selectors: upstream's ValidateEnv, ValidateEnvFrom,
// validateEnvVarValueFrom, validateObjectFieldSelector and validateContainerResourceFieldSelector.
import { type FieldError, fieldPath, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../../../../api/validation.ts';
import { quantityString } from '../shared.ts';
import { isSet, type Obj, qualifiedName, rec, recs, str } from './util.ts';

const relaxedEnvVarNameMsg =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";

/**
 * validation.IsRelaxedEnvVarName: the RelaxedEnvironmentVariableValidation gate is on by default
 * (beta) in v1.32, so names are any printable ASCII but '='.
 */
export function envVarName(value: string, path: string): FieldError[] {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || c > 0x7e || ch === '=') return [invalid(path, value, relaxedEnvVarNameMsg)];
  }
  return [];
}

const configMapKeyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** validation.IsConfigMapKey. */
function configMapKey(value: string, path: string): FieldError[] {
  const msgs: string[] = [];
  if (Buffer.byteLength(value) > 253) msgs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) msgs.push(configMapKeyMsg);
  if (value === '.') msgs.push("must not be '.'");
  else if (value === '..') msgs.push("must not be '..'");
  else if (value.startsWith('..')) msgs.push("must not start with '..'");
  return msgs.map((m) => invalid(path, value, m));
}

export const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

export const volumeFieldPaths = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];

// podshelper.ConvertDownwardAPIFieldLabel: the v1 pod field labels.
const podFieldLabels = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` is the path and `app`. */
function splitSubscript(p: string): [string, string] | undefined {
  if (!p.endsWith("']")) return undefined;
  const open = p.indexOf("['");
  return open < 0 ? undefined : [p.slice(0, open), p.slice(open + 2, -2)];
}

/** validateObjectFieldSelector. */
export function objectFieldSelector(fs: Obj, allowed: readonly string[], path: string): FieldError[] {
  const apiVersion = str(fs['apiVersion']);
  const fp = str(fs['fieldPath']);
  if (apiVersion === '') return [required(fieldPath(path, 'apiVersion'), '')];
  if (fp === '') return [required(fieldPath(path, 'fieldPath'), '')];
  const split = splitSubscript(fp);
  let convertError = '';
  if (apiVersion !== 'v1') convertError = `unsupported pod version: ${apiVersion}`;
  else if (split === undefined ? !podFieldLabels.has(fp) : !podFieldLabels.has(split[0]))
    convertError = `field label not supported: ${fp}`;
  if (convertError !== '')
    return [invalid(fieldPath(path, 'fieldPath'), fp, `error converting fieldPath: ${convertError}`)];
  if (split !== undefined) {
    const [base, subscript] = split;
    if (base === 'metadata.annotations') return qualifiedName(subscript.toLowerCase(), path);
    if (base === 'metadata.labels') return qualifiedName(subscript, path);
    return [invalid(path, base, 'does not support subscript')];
  }
  if (!allowed.includes(fp)) return [notSupported(fieldPath(path, 'fieldPath'), fp, allowed)];
  return [];
}

const resourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const byteDivisors = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const byteDivisorsText = byteDivisors.join(', ');

/** validateContainerResourceDivisor. */
function resourceDivisor(resource: string, divisor: unknown, path: string): FieldError[] {
  if (!isSet(divisor) || quantityString(divisor) === '0') return [];
  const d = quantityString(divisor);
  const p = fieldPath(path, 'divisor');
  const kind = (name: string): string =>
    `only divisor's values ${byteDivisorsText} are supported with the ${name}`;
  if ((resource === 'limits.cpu' || resource === 'requests.cpu') && d !== '1m' && d !== '1')
    return [invalid(p, resource, "only divisor's values 1m and 1 are supported with the cpu resource")];
  if ((resource === 'limits.memory' || resource === 'requests.memory') && !byteDivisors.includes(d))
    return [invalid(p, resource, kind('memory resource'))];
  if (resource.endsWith('.ephemeral-storage') && !byteDivisors.includes(d))
    return [invalid(p, resource, kind('local ephemeral storage resource'))];
  if (/^(requests|limits)\.hugepages-/.test(resource) && !byteDivisors.includes(d))
    return [invalid(p, resource, kind('hugepages resource'))];
  return [];
}

/** validateContainerResourceFieldSelector; `volume` requires the container name. */
export function resourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const resource = str(fs['resource']);
  if (volume && str(fs['containerName']) === '') errors.push(required(fieldPath(path, 'containerName'), ''));
  else if (resource === '') errors.push(required(fieldPath(path, 'resource'), ''));
  else if (!resourceFieldPaths.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource))
    errors.push(notSupported(fieldPath(path, 'resource'), resource, resourceFieldPaths));
  errors.push(...resourceDivisor(resource, fs['divisor'], path));
  return errors;
}

/** validateConfigMapKeySelector and validateSecretKeySelector (both check names as Secret names). */
function keySelector(s: Obj, path: string): FieldError[] {
  const name = str(s['name']);
  const errors = isDNS1123Subdomain(name).map((m) => invalid(fieldPath(path, 'name'), name, m));
  const key = str(s['key']);
  if (key === '') errors.push(required(fieldPath(path, 'key'), ''));
  else errors.push(...configMapKey(key, fieldPath(path, 'key')));
  return errors;
}

function valueFrom(ev: Obj, path: string): FieldError[] {
  if (!isSet(ev['valueFrom'])) return [];
  const from = rec(ev['valueFrom']);
  const errors: FieldError[] = [];
  let sources = 0;
  if (isSet(from['fieldRef'])) {
    sources++;
    errors.push(...objectFieldSelector(rec(from['fieldRef']), envFieldPaths, fieldPath(path, 'fieldRef')));
  }
  if (isSet(from['resourceFieldRef'])) {
    sources++;
    errors.push(
      ...resourceFieldSelector(rec(from['resourceFieldRef']), fieldPath(path, 'resourceFieldRef'), false),
    );
  }
  if (isSet(from['configMapKeyRef'])) {
    sources++;
    errors.push(...keySelector(rec(from['configMapKeyRef']), fieldPath(path, 'configMapKeyRef')));
  }
  if (isSet(from['secretKeyRef'])) {
    sources++;
    errors.push(...keySelector(rec(from['secretKeyRef']), fieldPath(path, 'secretKeyRef')));
  }
  if (sources === 0)
    errors.push(
      invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  else if (str(ev['value']) !== '')
    errors.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1)
    errors.push(invalid(path, '', 'may not have more than one field specified at a time'));
  return errors;
}

/** ValidateEnv. */
export function validateEnv(vars: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  recs(vars).forEach((ev, i) => {
    const name = str(ev['name']);
    if (name === '') errors.push(required(fieldPath(path, i, 'name'), ''));
    else errors.push(...envVarName(name, fieldPath(path, i, 'name')));
    errors.push(...valueFrom(ev, fieldPath(path, i, 'valueFrom')));
  });
  return errors;
}

function envSourceName(ref: Obj, path: string): FieldError[] {
  const name = str(ref['name']);
  if (name === '') return [required(fieldPath(path, 'name'), '')];
  return nameIsDNSSubdomain(name, true).map((m) => invalid(fieldPath(path, 'name'), name, m));
}

/** ValidateEnvFrom: an optional prefix, and exactly one of configMapRef and secretRef. */
export function validateEnvFrom(vars: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  recs(vars).forEach((ev, i) => {
    const prefix = str(ev['prefix']);
    if (prefix !== '') errors.push(...envVarName(prefix, fieldPath(path, i, 'prefix')));
    let sources = 0;
    if (isSet(ev['configMapRef'])) {
      sources++;
      errors.push(...envSourceName(rec(ev['configMapRef']), fieldPath(path, i, 'configMapRef')));
    }
    if (isSet(ev['secretRef'])) {
      sources++;
      errors.push(...envSourceName(rec(ev['secretRef']), fieldPath(path, i, 'secretRef')));
    }
    if (sources === 0) errors.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1)
      errors.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errors;
}
