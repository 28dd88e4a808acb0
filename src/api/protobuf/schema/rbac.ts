// k8s.io/api/rbac/v1.
import { list, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

export const rbacMessages: MessageTable = {
  'rbac.PolicyRule': {
    1: list('verbs', 'string', 'required'),
    2: list('apiGroups'),
    3: list('resources'),
    4: list('resourceNames'),
    5: list('nonResourceURLs'),
  },
  'rbac.Subject': {
    1: req('kind'),
    2: opt('apiGroup'),
    3: req('name'),
    4: opt('namespace'),
  },
  'rbac.RoleRef': {
    1: req('apiGroup'),
    2: req('kind'),
    3: req('name'),
  },
  // `rules` has no omitempty: a role without rules is written as "rules": null.
  'rbac.Role': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: list('rules', 'rbac.PolicyRule', 'required'),
  },
  'rbac.ClusterRole': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: list('rules', 'rbac.PolicyRule', 'required'),
    3: ptr('aggregationRule', 'rbac.AggregationRule'),
  },
  'rbac.AggregationRule': { 1: list('clusterRoleSelectors', 'meta.LabelSelector') },
  // RoleBinding and ClusterRoleBinding share one shape.
  'rbac.RoleBinding': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: list('subjects', 'rbac.Subject'),
    3: req('roleRef', 'rbac.RoleRef'),
  },
};

export const rbacKinds: KindTable = {
  'rbac.authorization.k8s.io/v1 Role': 'rbac.Role',
  'rbac.authorization.k8s.io/v1 ClusterRole': 'rbac.ClusterRole',
  'rbac.authorization.k8s.io/v1 RoleBinding': 'rbac.RoleBinding',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'rbac.RoleBinding',
};
