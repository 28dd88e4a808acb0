import { isValidPathSegmentName } from '../../networking/validation.ts';
import { age } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  bindingCells,
  bindingColumns,
  defaultBinding,
  validateBinding,
  validateRoleRefUnchanged,
} from '../validation.ts';

/** rbac.authorization.k8s.io/v1 RoleBinding (upstream pkg/registry/rbac/rolebinding). */
export const rolebindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  // Upstream's ValidateRBACName: any path segment, so `system:` names work.
  nameValidation: isValidPathSegmentName,
  strategy: {
    defaults: defaultBinding,
    validate: (obj) => validateBinding(obj, true),
    validateUpdate: (obj, old) => [...validateBinding(obj, true), ...validateRoleRefUnchanged(obj, old)],
  },
  table: {
    columns: bindingColumns(
      'role binding',
      'roleBinding',
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
    ),
    row: (obj, now) => {
      const c = bindingCells(obj);
      return [obj.metadata.name ?? '', c.role, age(obj, now), c.users, c.groups, c.sas];
    },
  },
};
