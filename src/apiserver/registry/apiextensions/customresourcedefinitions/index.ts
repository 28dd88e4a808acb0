import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Subdomain } from '../../../../api/validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import { isDNS1035Label, list, record, text, validateImmutableField } from '../../networking/validation.ts';

const approvalAnnotation = 'api-approved.kubernetes.io';
const conversionReviewVersions = ['v1', 'v1beta1'];

const spec = (obj: KubeObject): Record<string, unknown> => record(obj['spec']);
const names = (obj: KubeObject): Record<string, unknown> => record(spec(obj)['names']);
const versions = (obj: KubeObject): Record<string, unknown>[] => list(spec(obj)['versions']).map(record);

/** The version objects are stored in: the one marked storage. */
function storageVersion(obj: KubeObject): string | undefined {
  const v = versions(obj).find((x) => x['storage'] === true);
  return v === undefined ? undefined : text(v['name']);
}

/** validateEnumStrings. */
function validateEnum(path: string, value: string, accepted: string[]): FieldError[] {
  if (value === '') return [required(path, '')];
  return accepted.includes(value) ? [] : [notSupported(path, value, accepted)];
}

/** ValidateCustomResourceDefinitionNames: DNS-1035 names, kinds in any case, kind ≠ listKind. */
function validateNames(raw: unknown, path: string): FieldError[] {
  const n = record(raw);
  const errs: FieldError[] = [];
  for (const key of ['plural', 'singular']) {
    const value = text(n[key]);
    const msgs = value === '' ? [] : isDNS1035Label(value);
    if (msgs.length > 0) errs.push(invalid(fieldPath(path, key), value, msgs.join(',')));
  }
  for (const key of ['kind', 'listKind']) {
    const value = text(n[key]);
    const msgs = value === '' ? [] : isDNS1035Label(value.toLowerCase());
    if (msgs.length > 0) {
      errs.push(
        invalid(
          fieldPath(path, key),
          value,
          `may have mixed case, but should otherwise match: ${msgs.join(',')}`,
        ),
      );
    }
  }
  list(n['shortNames']).forEach((s, i) => {
    const msgs = isDNS1035Label(text(s));
    if (msgs.length > 0) errs.push(invalid(fieldPath(path, 'shortNames', i), text(s), msgs.join(',')));
  });
  const kind = text(n['kind']);
  if (kind !== '' && kind === text(n['listKind'])) {
    errs.push(invalid(fieldPath(path, 'listKind'), kind, 'kind and listKind may not be the same'));
  }
  list(n['categories']).forEach((c, i) => {
    const msgs = isDNS1035Label(text(c));
    if (msgs.length > 0) errs.push(invalid(fieldPath(path, 'categories', i), text(c), msgs.join(',')));
  });
  return errs;
}

/** validateCustomResourceConversion, reported on the internal type's paths as upstream does. */
function validateConversion(raw: unknown): FieldError[] {
  if (!isRecord(raw)) return [];
  const strategy = text(raw['strategy']);
  const errs = validateEnum('spec.conversion.strategy', strategy, ['None', 'Webhook']);
  const webhook = record(raw['webhook']);
  const clientConfig = webhook['clientConfig'];
  const reviewVersions = list(webhook['conversionReviewVersions']).map(text);
  if (strategy === 'Webhook') {
    if (!isRecord(clientConfig)) {
      errs.push(required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
    } else if ((clientConfig['url'] === undefined) === (clientConfig['service'] === undefined)) {
      errs.push(required('spec.conversion.webhookClientConfig', 'exactly one of url or service is required'));
    }
    const path = 'spec.conversion.conversionReviewVersions';
    if (reviewVersions.length === 0) errs.push(required(path, ''));
    const seen = new Set<string>();
    reviewVersions.forEach((v, i) => {
      if (seen.has(v)) {
        errs.push(invalid(fieldPath(path, i), v, 'duplicate version'));
        return;
      }
      seen.add(v);
      for (const msg of isDNS1035Label(v)) errs.push(invalid(fieldPath(path, i), v, msg));
    });
    if (reviewVersions.length > 0 && !reviewVersions.some((v) => conversionReviewVersions.includes(v))) {
      errs.push(
        invalid(path, reviewVersions, `must include at least one of ${conversionReviewVersions.join(', ')}`),
      );
    }
  } else {
    if (clientConfig !== undefined && clientConfig !== null) {
      errs.push(
        forbidden(
          'spec.conversion.webhookClientConfig',
          'should not be set when strategy is not set to Webhook',
        ),
      );
    }
    if (reviewVersions.length > 0) {
      errs.push(
        forbidden(
          'spec.conversion.conversionReviewVersions',
          'should not be set when strategy is not set to Webhook',
        ),
      );
    }
  }
  return errs;
}

/** Whether every version carries a schema (then updates must keep it so: requireOpenAPISchema). */
function allVersionsHaveSchemas(obj: KubeObject): boolean {
  return versions(obj).every((v) => isRecord(record(v['schema'])['openAPIV3Schema']));
}

/** validateCustomResourceDefinitionSpec, less the schema, subresource and printer column checks. */
function validateSpec(obj: KubeObject, requireSchema: boolean): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  const group = text(s['group']);
  if (group === '') errs.push(required('spec.group', ''));
  else if (isDNS1123Subdomain(group).length > 0) {
    errs.push(invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  } else if (group.split('.').length < 2) {
    errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  errs.push(...validateEnum('spec.scope', text(s['scope']), ['Cluster', 'Namespaced']));
  const vs = versions(obj);
  if (requireSchema) {
    vs.forEach((v, i) => {
      if (!isRecord(record(v['schema'])['openAPIV3Schema'])) {
        errs.push(
          required(fieldPath('spec.versions', i, 'schema', 'openAPIV3Schema'), 'schemas are required'),
        );
      }
    });
  }
  const seen = new Set<string>();
  let unique = true;
  vs.forEach((v, i) => {
    const name = text(v['name']);
    if (seen.has(name)) unique = false;
    seen.add(name);
    const msgs = isDNS1035Label(name);
    if (msgs.length > 0) errs.push(invalid(fieldPath('spec.versions', i, 'name'), name, msgs.join(',')));
  });
  const raw = s['versions'] ?? null;
  if (!unique) errs.push(invalid('spec.versions', raw, 'must contain unique version names'));
  if (vs.filter((v) => v['storage'] === true).length !== 1) {
    errs.push(invalid('spec.versions', raw, 'must have exactly one version marked as storage version'));
  }
  const n = names(obj);
  for (const key of ['plural', 'singular', 'kind', 'listKind']) {
    if (text(n[key]) === '') errs.push(required(fieldPath('spec.names', key), ''));
  }
  errs.push(...validateNames(n, 'spec.names'));
  const conversion = record(s['conversion']);
  if (s['preserveUnknownFields'] === true && text(conversion['strategy']) !== 'None') {
    errs.push(
      invalid(
        'spec.conversion.strategy',
        conversion['strategy'] ?? '',
        'must be None if spec.preserveUnknownFields is true',
      ),
    );
  }
  errs.push(...validateConversion(s['conversion']));
  return errs;
}

/** ValidateCustomResourceDefinitionStoredVersions: the storage version, and only versions that exist. */
function validateStoredVersions(obj: KubeObject): FieldError[] {
  const path = 'status.storedVersions';
  const stored = list(record(obj['status'])['storedVersions']).map(text);
  if (stored.length === 0) return [invalid(path, stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions(obj)) {
    const name = text(v['name']);
    if (v['storage'] === true && !remaining.has(name)) {
      errs.push(invalid(path, stored, `must have the storage version ${name}`));
    }
    remaining.delete(name);
  }
  for (const [v, i] of remaining) {
    errs.push(
      invalid(
        fieldPath(path, i),
        v,
        `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`,
      ),
    );
  }
  return errs;
}

type Approval = 'bypassed' | 'approved' | 'missing' | 'invalid';

/** apihelpers.GetAPIApprovalState: a PR URL, or a reason starting with "unapproved". */
function approvalState(obj: KubeObject): Approval {
  const value = obj.metadata.annotations?.[approvalAnnotation] ?? '';
  if (value === '') return 'missing';
  if (value.startsWith('unapproved')) return 'bypassed';
  // url.ParseRequestURI: an absolute URL or an absolute path.
  if (value.startsWith('/')) return 'approved';
  try {
    new URL(value);
    return 'approved';
  } catch {
    return 'invalid';
  }
}

/** validateAPIApproval: groups under k8s.io and kubernetes.io need an approved API review. */
function validateAPIApproval(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const group = text(spec(obj)['group']);
  const isProtected = ['k8s.io', 'kubernetes.io'].some((d) => group === d || group.endsWith(`.${d}`));
  if (!isProtected) return [];
  const state = approvalState(obj);
  // An unchanged state never fails, so controllers updating other fields are not rejected.
  if (old !== undefined && approvalState(old) === state) return [];
  const path = fieldPath('metadata.annotations', { key: approvalAnnotation });
  const link = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (state === 'missing') {
    return [
      required(path, `protected groups must have approval annotation "${approvalAnnotation}", ${link}`),
    ];
  }
  if (state === 'invalid') {
    return [
      invalid(
        path,
        obj.metadata.annotations?.[approvalAnnotation] ?? '',
        `protected groups must have approval annotation "${approvalAnnotation}" with either a URL or a reason starting with "unapproved", ${link}`,
      ),
    ];
  }
  return [];
}

/** validatePreserveUnknownFields: v1 prunes unknown fields; only CRDs that already kept them may. */
function validatePreserveUnknownFields(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (old !== undefined && spec(old)['preserveUnknownFields'] === true) return [];
  if (spec(obj)['preserveUnknownFields'] !== true) return [];
  return [
    invalid(
      'spec.preserveUnknownFields',
      true,
      'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ),
  ];
}

/** ValidateCustomResourceDefinition, less the generic metadata checks. */
function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (name !== '' && name !== `${text(names(obj)['plural'])}.${text(spec(obj)['group'])}`) {
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  return [
    ...errs,
    ...validateSpec(obj, true),
    ...validateNames(record(obj['status'])['acceptedNames'], 'status.acceptedNames'),
    ...validateStoredVersions(obj),
    ...validateAPIApproval(obj, undefined),
    ...validatePreserveUnknownFields(obj, undefined),
  ];
}

function isEstablished(obj: KubeObject): boolean {
  return list(record(obj['status'])['conditions']).some((c) => {
    const cond = record(c);
    return cond['type'] === 'Established' && cond['status'] === 'True';
  });
}

/** ValidateCustomResourceDefinitionUpdate: what storage and served URLs depend on stays put. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateSpec(obj, allVersionsHaveSchemas(old));
  if (isEstablished(old)) {
    errs.push(...validateImmutableField(spec(obj)['scope'], spec(old)['scope'], 'spec.scope'));
    errs.push(...validateImmutableField(names(obj)['kind'], names(old)['kind'], 'spec.names.kind'));
  }
  errs.push(...validateImmutableField(spec(obj)['group'], spec(old)['group'], 'spec.group'));
  errs.push(...validateImmutableField(names(obj)['plural'], names(old)['plural'], 'spec.names.plural'));
  return [
    ...errs,
    ...validateNames(record(obj['status'])['acceptedNames'], 'status.acceptedNames'),
    ...validateStoredVersions(obj),
    ...validateAPIApproval(obj, old),
    ...validatePreserveUnknownFields(obj, old),
  ];
}

/** The storage version joins status.storedVersions the first time objects may be written in it. */
function recordStorageVersion(obj: KubeObject): void {
  const version = storageVersion(obj);
  const status = structuredClone(record(obj['status']));
  const stored = list(status['storedVersions']).map(text);
  if (version !== undefined && !stored.includes(version)) status['storedVersions'] = [...stored, version];
  obj['status'] = status;
}

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition (upstream apiextensions-apiserver
 * pkg/registry/customresourcedefinition): stored and validated; serving the custom resources comes later.
 * Upstream prints CRDs with the default NAME / CREATED AT table, which a definition without `table` gets.
 */
export const customresourcedefinitions: ResourceDefinition = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  status: {
    validateUpdate: (obj) => validateNames(record(obj['status'])['acceptedNames'], 'status.acceptedNames'),
  },
  strategy: {
    prepareForCreate(obj) {
      // The status is the CRD controllers' (names accepted, Established); an empty status encodes so.
      obj['status'] = { conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
      recordStorageVersion(obj);
      obj.metadata.generation = 1;
    },
    prepareForUpdate: (obj) => recordStorageVersion(obj),
    defaults(obj) {
      // SetDefaults_CustomResourceDefinitionSpec.
      if (!isRecord(obj['spec'])) obj['spec'] = {};
      const s = obj['spec'] as Record<string, unknown>;
      if (!isRecord(s['names'])) s['names'] = {};
      const n = s['names'] as Record<string, unknown>;
      const kind = text(n['kind']);
      if (text(n['singular']) === '') n['singular'] = kind.toLowerCase();
      if (text(n['listKind']) === '' && kind !== '') n['listKind'] = `${kind}List`;
      if (!isRecord(s['conversion'])) s['conversion'] = { strategy: 'None' };
      const service = record(record(record(s['conversion'])['webhook'])['clientConfig'])['service'];
      // SetDefaults_ServiceReference: conversion webhooks listen on 443 unless told otherwise.
      if (isRecord(service)) service['port'] ??= 443;
    },
    validate,
    validateUpdate,
  },
};
