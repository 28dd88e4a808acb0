// Helpers the core/v1 resource definitions share: typed access to plain JSON objects, upstream's
// printer helpers (labels.FormatLabels, layoutContainerCells, Quantity.String()), the pod template
// defaults and validation that PodTemplates and ReplicationControllers embed, and IP checks.
import { BlockList, isIP } from 'node:net';
import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../api/meta.ts';
import { compareQuantity, formatQuantity, parseQuantity, type Quantity } from '../../../api/quantity.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  validateAnnotations,
  validateLabels,
} from '../../../api/validation.ts';
import { humanDuration } from '../../handlers/table.ts';
import { validatePodSpec } from './pods/spec.ts';
import { defaultPodSpec } from './pods/index.ts';

/** A JSON object field as a record, or an empty one when absent or of another type. */
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** A JSON list field, or an empty list when absent or of another type. */
export function list<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** A string map (labels, selectors), keeping only string values. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

/** The object at `obj[key]`, created when missing so defaults can be filled into it. */
export function ensure(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as Record<string, unknown>;
}

/** labels.FormatLabels: `k=v` pairs sorted as strings, `<none>` for an empty map. */
export function formatLabels(labels: unknown): string {
  const pairs = Object.entries(stringMap(labels)).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? '<none>' : pairs.sort().join(',');
}

/** printers.go layoutContainerCells: container names and images, each joined with commas. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const cs = list(containers).map(rec);
  return [cs.map((c) => str(c['name'])).join(','), cs.map((c) => str(c['image'])).join(',')];
}

/** Quantity.String() of a stored quantity; a missing one is the zero Quantity, printed "0". */
export function quantityString(v: unknown): string {
  if (v === undefined || v === null || v === '') return '0';
  try {
    return formatQuantity(parseQuantity(typeof v === 'number' ? String(v) : str(v)));
  } catch {
    return String(v);
  }
}

/** printers.go translateTimestampSince: `<unknown>` for the zero time. */
export function since(timestamp: unknown, now: Date): string {
  const t = str(timestamp);
  if (t === '') return '<unknown>';
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? '<unknown>' : humanDuration(now.getTime() - ms);
}

/**
 * A status subresource write with a custom prepare step: everything but status comes from `old`,
 * as the generic handler's default does (upstream's *StatusStrategy.PrepareForUpdate).
 */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  const status = obj['status'];
  const resourceVersion = obj.metadata.resourceVersion;
  for (const key of Object.keys(obj)) delete obj[key];
  Object.assign(obj, structuredClone(old));
  obj.metadata = { ...obj.metadata, resourceVersion };
  if (obj.metadata.resourceVersion === undefined) delete obj.metadata.resourceVersion;
  if (status === undefined) delete obj['status'];
  else obj['status'] = status;
}

/** Deep equality of JSON values (apiequality.Semantic.DeepEqual for plain data). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** ValidateNonnegativeField. */
export function validateNonnegative(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n < 0 ? [invalid(path, n, 'must be greater than or equal to 0')] : [];
}

/** ValidateDNS1123Label as a field check. */
export function validateDNSLabelField(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(path, value, msg));
}

/** ValidateDNS1123Subdomain as a field check. */
export function isDNSSubdomainField(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => invalid(path, value, msg));
}

// ---- pod templates (SetDefaults_PodSpec and friends, ValidatePodTemplateSpec) ----

/** The defaults of a PodTemplateSpec: SetDefaults_PodSpec (not SetDefaults_Pod) and below. */
export function defaultPodTemplateSpec(template: Record<string, unknown>): void {
  // The same defaults a pod template gets anywhere (SetDefaults_PodSpec and the container ones).
  defaultPodSpec(ensure(template, 'spec'));
}

/**
 * ValidatePodTemplateSpec: labels and annotations, the pod spec as the Pod validation checks it
 * (pods/spec.ts), and no ephemeral containers.
 */
export function validatePodTemplateSpec(template: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const meta = rec(template['metadata']);
  if (meta['labels'] !== undefined)
    errors.push(...validateLabels(stringMap(meta['labels']), fieldPath(path, 'labels')));
  if (meta['annotations'] !== undefined)
    errors.push(...validateAnnotations(stringMap(meta['annotations']), fieldPath(path, 'annotations')));
  const specPath = fieldPath(path, 'spec');
  const spec = rec(template['spec']);
  errors.push(...validatePodSpec(spec, specPath, { resourceIsPod: false }));
  if (list(spec['ephemeralContainers']).length > 0)
    errors.push(
      forbidden(
        fieldPath(specPath, 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  return errors;
}

// ---- IP addresses (validation.IsValidIP, ValidateNonSpecialIP) ----

export function ipFamilyOf(ip: string): 'IPv4' | 'IPv6' | undefined {
  const v = isIP(ip);
  return v === 4 ? 'IPv4' : v === 6 ? 'IPv6' : undefined;
}

/** validation.IsValidIP. */
export function validateIP(path: string, value: string): FieldError[] {
  return isIP(value) === 0
    ? [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]
    : [];
}

function blockList(subnets: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const b = new BlockList();
  for (const [net, prefix, type] of subnets) b.addSubnet(net, prefix, type);
  return b;
}

const loopback = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const linkLocal = blockList([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const linkLocalMulticast = blockList([
  ['224.0.0.0', 24, 'ipv4'],
  ['ff02::', 16, 'ipv6'],
]);

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses as endpoints. */
export function validateNonSpecialIP(path: string, value: string): FieldError[] {
  const v = isIP(value);
  if (v === 0) return [invalid(path, value, 'must be a valid IP address')];
  const type = v === 4 ? 'ipv4' : 'ipv6';
  const errors: FieldError[] = [];
  if (value === '0.0.0.0' || /^[0:]+$/.test(value))
    errors.push(invalid(path, value, `may not be unspecified (${value})`));
  if (loopback.check(value, type))
    errors.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal.check(value, type))
    errors.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast.check(value, type))
    errors.push(
      invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'),
    );
  return errors;
}

/** The ports protocols core/v1 supports, sorted as upstream's sets.List prints them. */
export const portProtocols = ['SCTP', 'TCP', 'UDP'];

/** PersistentVolume access modes, sorted as sets.List prints them. */
export const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** helper.GetAccessModesAsString: abbreviations in a fixed order, duplicates dropped. */
export function accessModesString(modes: unknown): string {
  const have = new Set(list(modes).map(str));
  const out: string[] = [];
  if (have.has('ReadWriteOnce')) out.push('RWO');
  if (have.has('ReadOnlyMany')) out.push('ROX');
  if (have.has('ReadWriteMany')) out.push('RWX');
  if (have.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** Access modes: at least one, all known, and ReadWriteOncePod alone. */
export function validateAccessModes(modes: unknown, path: string, requiredDetail: string): FieldError[] {
  const errors: FieldError[] = [];
  const ms = list(modes).map(str);
  if (ms.length === 0) errors.push(required(path, requiredDetail));
  let oncePod = false;
  let other = false;
  for (const m of ms) {
    if (!accessModes.includes(m)) errors.push(notSupported(path, m, accessModes));
    else if (m === 'ReadWriteOncePod') oncePod = true;
    else other = true;
  }
  if (oncePod && other) errors.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errors;
}

/** ValidatePositiveQuantityValue on one entry of a resource list. */
export function validatePositiveQuantity(value: unknown, path: string): FieldError[] {
  const q = tryQuantity(value);
  if (q === undefined) return [invalid(path, value, 'must be a valid resource quantity')];
  return compareQuantity(q, { value: 0n, scale: 0, format: 'DecimalSI' }) <= 0
    ? [invalid(path, quantityString(value), 'must be greater than zero')]
    : [];
}

/** core.BetaStorageClassAnnotation, which still wins over spec.storageClassName. */
export const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** Quantity parsing that reports failure as undefined rather than throwing. */
export function tryQuantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseQuantity(String(v));
  } catch {
    return undefined;
  }
}

// ---- resource names (pkg/apis/core/helper and validateResourceName) ----

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const integerResources = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const standardQuotaResources = new Set([
  ...integerResources,
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'requests.storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'storage',
]);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isQuotaHugePages = (name: string): boolean =>
  isHugePages(name) || name.startsWith('requests.hugepages-') || name.startsWith('limits.hugepages-');

/** IsNativeResource: no domain, or a kubernetes.io one. */
const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');

/** IsExtendedResourceName: a domain-qualified, non-native name that can also be quota'd as requests.<name>. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** IsStandardQuotaResourceName. */
export const isStandardQuotaResource = (name: string): boolean =>
  standardQuotaResources.has(name) || isQuotaHugePages(name);

/** validateResourceName: a qualified name, standard unless it names its domain. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errors = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errors.length > 0) return errors;
  if (!name.includes('/') && !isStandardQuotaResource(name)) {
    errors.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  return errors;
}

/** validateContainerResourceName: cpu, memory, ephemeral-storage, hugepages or an extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errors = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePages(name))
      errors.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errors.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/** ValidateResourceQuantityValue: not negative, and whole for countable resources. */
export function validateResourceQuantityValue(name: string, value: unknown, path: string): FieldError[] {
  const q = tryQuantity(value);
  if (q === undefined) return [invalid(path, value, 'must be a valid resource quantity')];
  const errors: FieldError[] = [];
  const shown = quantityString(value);
  if (q.value < 0n) errors.push(invalid(path, shown, 'must be greater than or equal to 0'));
  if (integerResources.has(name) || isExtendedResourceName(name)) {
    const milli = q.scale >= -3 ? q.value * 10n ** BigInt(q.scale + 3) : undefined;
    if (milli === undefined || milli % 1000n !== 0n) errors.push(invalid(path, shown, 'must be an integer'));
  }
  return errors;
}
