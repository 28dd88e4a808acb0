import { isValidPathSegmentName } from '../../networking/validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import { validatePolicyRules } from '../validation.ts';

/**
 * rbac.authorization.k8s.io/v1 Role (upstream pkg/registry/rbac/role). Upstream prints roles with the
 * default NAME / CREATED AT table, which is what a definition without `table` gets.
 */
export const roles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  singular: 'role',
  namespaced: true,
  // Upstream's ValidateRBACName: any path segment, so `system:` names work.
  nameValidation: isValidPathSegmentName,
  strategy: {
    defaults(obj) {
      // rules is not omitempty: a role without rules serializes them as null.
      obj['rules'] ??= null;
    },
    validate: (obj) => validatePolicyRules(obj, true),
  },
};
