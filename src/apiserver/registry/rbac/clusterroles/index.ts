import { isValidPathSegmentName } from '../../networking/validation.ts';
import { type FieldError, fieldPath, invalid, required } from '../../../../api/field-errors.ts';
import { type LabelSelector, labelSelectorAsSelector } from '../../../../api/labels.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import type { ResourceDefinition } from '../../types.ts';
import { list, record, validateLabelSelector } from '../../networking/validation.ts';
import { validatePolicyRules } from '../validation.ts';

const selectorsPath = 'aggregationRule.clusterRoleSelectors';

/** ValidateClusterRole, less the metadata: rules, and the selectors of an aggregated role. */
function validate(obj: KubeObject, allowInvalidValues: boolean): FieldError[] {
  const errs = validatePolicyRules(obj, false);
  const rule = obj['aggregationRule'];
  if (rule === undefined || rule === null) return errs;
  const selectors = list(record(rule)['clusterRoleSelectors']);
  if (selectors.length === 0) {
    errs.push(
      required(selectorsPath, 'at least one clusterRoleSelector required if aggregationRule is non-nil'),
    );
  }
  selectors.forEach((selector, i) => {
    const path = fieldPath(selectorsPath, i);
    errs.push(...validateLabelSelector(selector, path, allowInvalidValues));
    try {
      labelSelectorAsSelector(record(selector) as LabelSelector);
    } catch {
      errs.push(invalid(path, selector, 'invalid label selector.'));
    }
  });
  return errs;
}

/** Whether a stored role's selectors hold label values that are no longer valid (and may stay). */
function hasInvalidSelectorValues(old: KubeObject): boolean {
  return list(record(old['aggregationRule'])['clusterRoleSelectors']).some(
    (s, i) => validateLabelSelector(s, fieldPath(selectorsPath, i)).length > 0,
  );
}

/**
 * rbac.authorization.k8s.io/v1 ClusterRole (upstream pkg/registry/rbac/clusterrole). Upstream prints
 * cluster roles with the default NAME / CREATED AT table, which a definition without `table` gets.
 */
export const clusterroles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  // Upstream's ValidateRBACName: any path segment, so `system:` names work.
  nameValidation: isValidPathSegmentName,
  strategy: {
    defaults(obj) {
      // rules is not omitempty: an aggregated role without rules yet serializes them as null.
      obj['rules'] ??= null;
    },
    validate: (obj) => validate(obj, false),
    validateUpdate: (obj, old) => validate(obj, hasInvalidSelectorValues(old)),
  },
};
