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

/** rbac.authorization.k8s.io/v1 ClusterRoleBinding (upstream pkg/registry/rbac/clusterrolebinding). */
export const clusterrolebindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  // Upstream's ValidateRBACName: any path segment, so `system:` names work.
  nameValidation: isValidPathSegmentName,
  strategy: {
    defaults: defaultBinding,
    validate: (obj) => validateBinding(obj, false),
    validateUpdate: (obj, old) => [...validateBinding(obj, false), ...validateRoleRefUnchanged(obj, old)],
  },
  table: {
    columns: bindingColumns(
      'cluster role binding',
      'clusterRoleBinding',
      'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
    ),
    row: (obj, now) => {
      const c = bindingCells(obj);
      return [obj.metadata.name ?? '', c.role, age(obj, now), c.users, c.groups, c.sas];
    },
  },
};
