// Name and metadata validation, after k8s.io/apimachinery v1.32: pkg/util/validation/validation.go
// (the Is* checks, which return upstream's exact messages), pkg/api/validation/objectmeta.go and
// generic.go (object names, annotations, owner references) and pkg/apis/meta/v1/validation
// (labels). Lengths are UTF-8 byte counts, as Go's len() is.

import { type FieldError, fieldPath, forbidden, invalid, required, tooLong } from './field-errors.ts';
import type { OwnerReference } from './meta.ts';

export * from './field-errors.ts';

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** validation.MaxLenError */
function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.RegexError: the rule in words, examples, then the regex. */
function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  // Upstream joins "'a', " and " or " pieces, which leaves two spaces before each "or".
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

function anchored(format: string): RegExp {
  return new RegExp(`^(?:${format})$`);
}

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = anchored(qualifiedNameFmt);

/**
 * A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63
 * characters. validation.IsQualifiedName.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((msg) => `prefix part ${msg}`));
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) {
    errs.push('name part must be non-empty');
  } else if (byteLength(name) > qualifiedNameMaxLength) {
    errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  }
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(
      `name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRegexp = anchored(labelValueFmt);

/** validation.IsValidLabelValue: empty, or a qualified name's name part. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelRegexp = anchored(dns1123LabelFmt);
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRegexp = anchored(dns1123SubdomainFmt);

/** validation.IsDNS1123Label: at most 63 characters of [a-z0-9-], alphanumeric at both ends. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label can only be at fault for its dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** validation.IsDNS1123Subdomain: dot-separated labels, at most 253 characters in all. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const cIdentifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifierRegexp = anchored(cIdentifierFmt);

/** validation.IsCIdentifier: format only, no length limit. */
export function isCIdentifier(value: string): string[] {
  if (cIdentifierRegexp.test(value)) return [];
  return [regexError(cIdentifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const envVarNameRegexp = anchored(envVarNameFmt);

/** validation.IsEnvVarName (the strict form, without the RelaxedEnvironmentVariableValidation gate). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) {
    errs.push(regexError(envVarNameErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  // validation.hasChDirPrefix: names that would walk directories when used as file names.
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** validation.IsValidPortNum: 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return [];
  return ['must be between 1 and 65535, inclusive'];
}

/**
 * validation.IsValidPortName: an IANA service name (RFC 6335), lower case only: at most 15
 * characters of [-a-z0-9] with a letter, no leading, trailing or doubled hyphen.
 */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Checks an object's name; `prefix` is true for a generateName, which may end in '-'. */
export type NameValidator = (name: string, prefix: boolean) => string[];

// generic.go's maskTrailingDash: a generateName gets a random suffix, so a trailing '-' is fine.
// Upstream drops the last two characters, not one, before appending 'a'; kept, since it decides
// which prefixes validate.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** apimachinery's NameIsDNSSubdomain, the rule for most object names. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** apimachinery's NameIsDNSLabel, the rule for namespaces (ValidateNamespaceName) and a few kinds. */
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export interface ObjectMetaNames {
  name?: string;
  generateName?: string;
  namespace?: string;
}

export interface ValidateNamesOptions {
  /** Path of the metadata, usually `metadata`. */
  path: string;
  /** Whether the kind lives in a namespace (then one is required) or is cluster-scoped (forbidden). */
  namespaced: boolean;
  nameFn: NameValidator;
}

/**
 * The name, generateName and namespace part of ValidateObjectMeta, in upstream's order. As upstream,
 * it expects a generateName to have been turned into a name already (rest.BeforeCreate does that).
 */
export function validateObjectMetaNames(meta: ObjectMetaNames, opts: ValidateNamesOptions): FieldError[] {
  const errs: FieldError[] = [];
  const { name = '', generateName = '', namespace = '' } = meta;
  if (generateName !== '') {
    const path = fieldPath(opts.path, 'generateName');
    for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(path, generateName, msg));
  }
  const namePath = fieldPath(opts.path, 'name');
  if (name === '') {
    errs.push(required(namePath, 'name or generateName is required'));
  } else {
    for (const msg of opts.nameFn(name, false)) errs.push(invalid(namePath, name, msg));
  }
  const namespacePath = fieldPath(opts.path, 'namespace');
  if (opts.namespaced && namespace === '') {
    errs.push(required(namespacePath, ''));
  } else if (opts.namespaced) {
    for (const msg of nameIsDNSLabel(namespace, false)) errs.push(invalid(namespacePath, namespace, msg));
  } else if (namespace !== '') {
    errs.push(forbidden(namespacePath, 'not allowed on this type'));
  }
  return errs;
}

/**
 * metav1 validation.ValidateLabels. Errors point at the labels map itself, not at the key, as
 * upstream's do.
 */
export function validateLabels(
  labels: Readonly<Record<string, string>> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(path, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalid(path, value, msg));
  }
  return errs;
}

/** objectmeta.go's TotalAnnotationSizeLimitB: keys and values together, 256 KiB. */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

/** ValidateAnnotations: keys are qualified names in any case; the total size is capped. */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let totalSize = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, msg));
    totalSize += byteLength(key) + byteLength(value);
  }
  if (totalSize > totalAnnotationSizeLimitBytes) errs.push(tooLong(path, '', totalAnnotationSizeLimitBytes));
  return errs;
}

/**
 * ValidateOwnerReferences: each reference needs a version, kind, name and uid; Events may not own
 * anything; at most one reference is the controller. Errors name the list, not an index, as
 * upstream's do.
 */
export function validateOwnerReferences(
  refs: readonly OwnerReference[] | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const { group, version } = parseGroupVersion(ref.apiVersion);
    if (version === '') {
      errs.push(invalid(fieldPath(path, 'apiVersion'), ref.apiVersion, 'version must not be empty'));
    }
    if (ref.kind === '') errs.push(invalid(fieldPath(path, 'kind'), ref.kind, 'kind must not be empty'));
    if (ref.name === '') errs.push(invalid(fieldPath(path, 'name'), ref.name, 'name must not be empty'));
    if (ref.uid === '') errs.push(invalid(fieldPath(path, 'uid'), ref.uid, 'uid must not be empty'));
    // objectmeta.go's BannedOwners, printed as schema.GroupVersionKind.String().
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController === '') firstController = current;
      else {
        const detail =
          'Only one reference can have Controller set to true. ' +
          `Found "true" in references for ${firstController} and ${current}`;
        errs.push(invalid(path, refs, detail));
      }
    }
  }
  return errs;
}

// schema.ParseGroupVersion as used by FromAPIVersionAndKind: "v1", "group/version", or on any other
// shape an empty group and version.
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}
