// What the four RBAC kinds share, after pkg/apis/rbac/validation/validation.go, pkg/apis/rbac/v1/defaults.go
// and the printers' rbac.SubjectsStrings. Only the API objects: authorizing with them is another matter.
import { type FieldError, fieldPath, invalid, notSupported, required } from '../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../api/meta.ts';
import { nameIsDNSSubdomain } from '../../../api/validation.ts';
import type { TableColumn } from '../types.ts';
import { ageColumn, nameColumn } from '../../handlers/table.ts';
import { isValidPathSegmentName, list, record, text } from '../networking/validation.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** ValidatePolicyRule: verbs always; resource rules name groups and resources, URL rules only cluster-wide. */
export function validatePolicyRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(obj['rules']).forEach((raw, i) => {
    const rule = record(raw);
    const path = fieldPath('rules', i);
    if (list(rule['verbs']).length === 0) {
      errs.push(required(fieldPath(path, 'verbs'), 'verbs must contain at least one value'));
    }
    const urls = list(rule['nonResourceURLs']);
    if (urls.length > 0) {
      if (namespaced) {
        errs.push(
          invalid(
            fieldPath(path, 'nonResourceURLs'),
            urls,
            'namespaced rules cannot apply to non-resource URLs',
          ),
        );
      }
      const resourceRule = ['apiGroups', 'resources', 'resourceNames'].some((k) => list(rule[k]).length > 0);
      if (resourceRule) {
        errs.push(
          invalid(
            fieldPath(path, 'nonResourceURLs'),
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
      return;
    }
    if (list(rule['apiGroups']).length === 0) {
      errs.push(required(fieldPath(path, 'apiGroups'), 'resource rules must supply at least one api group'));
    }
    if (list(rule['resources']).length === 0) {
      errs.push(required(fieldPath(path, 'resources'), 'resource rules must supply at least one resource'));
    }
  });
  return errs;
}

/** SetDefaults_RoleBinding, SetDefaults_ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(obj: KubeObject): void {
  // roleRef is a struct, never omitted.
  if (!isRecord(obj['roleRef'])) obj['roleRef'] = {};
  const roleRef = obj['roleRef'] as Record<string, unknown>;
  if (text(roleRef['apiGroup']) === '') roleRef['apiGroup'] = rbacGroup;
  for (const subject of list(obj['subjects'])) {
    if (!isRecord(subject) || text(subject['apiGroup']) !== '') continue;
    if (subject['kind'] === 'ServiceAccount') subject['apiGroup'] = '';
    else if (subject['kind'] === 'User' || subject['kind'] === 'Group') subject['apiGroup'] = rbacGroup;
  }
}

/** ValidateRoleBinding and ValidateClusterRoleBinding, less the metadata. */
export function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = record(obj['roleRef']);
  const apiGroup = text(roleRef['apiGroup']);
  if (apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', apiGroup, [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = text(roleRef['kind']);
  if (!kinds.includes(kind)) errs.push(notSupported('roleRef.kind', kind, kinds));
  const name = text(roleRef['name']);
  if (name === '') errs.push(required('roleRef.name', ''));
  for (const msg of isValidPathSegmentName(name)) errs.push(invalid('roleRef.name', name, msg));
  list(obj['subjects']).forEach((s, i) =>
    errs.push(...validateSubject(record(s), namespaced, fieldPath('subjects', i))),
  );
  return errs;
}

/** ValidateRoleBindingSubject. */
function validateSubject(subject: Record<string, unknown>, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = text(subject['name']);
  const apiGroup = text(subject['apiGroup']);
  if (name === '') errs.push(required(fieldPath(path, 'name'), ''));
  switch (subject['kind']) {
    case 'ServiceAccount':
      // ValidateServiceAccountName: a DNS subdomain.
      for (const msg of name === '' ? [] : nameIsDNSSubdomain(name, false)) {
        errs.push(invalid(fieldPath(path, 'name'), name, msg));
      }
      if (apiGroup !== '') errs.push(notSupported(fieldPath(path, 'apiGroup'), apiGroup, ['']));
      // A cluster binding cannot default the service account's namespace to its own.
      if (!namespaced && text(subject['namespace']) === '')
        errs.push(required(fieldPath(path, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== rbacGroup) errs.push(notSupported(fieldPath(path, 'apiGroup'), apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(
        notSupported(fieldPath(path, 'kind'), subject['kind'] ?? '', ['ServiceAccount', 'User', 'Group']),
      );
  }
  return errs;
}

/** ValidateRoleBindingUpdate: the role a binding grants never changes; delete and recreate it instead. */
export function validateRoleRefUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = record(obj['roleRef']);
  const prev = record(old['roleRef']);
  const same = ['apiGroup', 'kind', 'name'].every((k) => text(next[k]) === text(prev[k]));
  return same ? [] : [invalid('roleRef', obj['roleRef'] ?? null, 'cannot change roleRef')];
}

/** The printers' binding columns; USERS, GROUPS and SERVICEACCOUNTS show with -o wide. */
export function bindingColumns(noun: string, kind: string, roleRefDoc: string): TableColumn[] {
  return [
    nameColumn(noun),
    { name: 'Role', type: 'string', description: roleRefDoc, priority: 0 },
    ageColumn(noun),
    { name: 'Users', type: 'string', description: `Users in the ${kind}`, priority: 1 },
    { name: 'Groups', type: 'string', description: `Groups in the ${kind}`, priority: 1 },
    { name: 'ServiceAccounts', type: 'string', description: `ServiceAccounts in the ${kind}`, priority: 1 },
  ];
}

/** The ROLE cell and rbac.SubjectsStrings' users, groups and service accounts, joined by ", ". */
export function bindingCells(obj: KubeObject): { role: string; users: string; groups: string; sas: string } {
  const roleRef = record(obj['roleRef']);
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const raw of list(obj['subjects'])) {
    const s = record(raw);
    if (s['kind'] === 'ServiceAccount') sas.push(`${text(s['namespace'])}/${text(s['name'])}`);
    else if (s['kind'] === 'User') users.push(text(s['name']));
    else if (s['kind'] === 'Group') groups.push(text(s['name']));
  }
  return {
    role: `${text(roleRef['kind'])}/${text(roleRef['name'])}`,
    users: users.join(', '),
    groups: groups.join(', '),
    sas: sas.join(', '),
  };
}
