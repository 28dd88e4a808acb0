// Smaller groups: policy/v1, scheduling.k8s.io/v1, networking.k8s.io/v1, authentication.k8s.io/v1
// and authorization.k8s.io/v1 (the last two are what `kubectl create token`, `auth whoami` and
// `auth can-i` send).
import { inline, list, map, nul, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

const policy: MessageTable = {
  'policy.PodDisruptionBudget': object('policy.PodDisruptionBudgetSpec', 'policy.PodDisruptionBudgetStatus'),
  'policy.PodDisruptionBudgetSpec': {
    1: ptr('minAvailable', 'IntOrString'),
    2: ptr('selector', 'meta.LabelSelector'),
    3: ptr('maxUnavailable', 'IntOrString'),
    4: ptr('unhealthyPodEvictionPolicy'),
  },
  'policy.PodDisruptionBudgetStatus': {
    1: opt('observedGeneration', 'int64'),
    2: map('disruptedPods', 'Time'),
    3: req('disruptionsAllowed', 'int32'),
    4: req('currentHealthy', 'int32'),
    5: req('desiredHealthy', 'int32'),
    6: req('expectedPods', 'int32'),
    7: list('conditions', 'meta.Condition'),
  },
  'policy.Eviction': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: ptr('deleteOptions', 'meta.DeleteOptions'),
  },
};

const scheduling: MessageTable = {
  'scheduling.PriorityClass': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('value', 'int32'),
    3: opt('globalDefault', 'bool'),
    4: opt('description'),
    5: ptr('preemptionPolicy'),
  },
};

const networking: MessageTable = {
  'networking.Ingress': object('networking.IngressSpec', 'networking.IngressStatus'),
  'networking.IngressSpec': {
    4: ptr('ingressClassName'),
    1: ptr('defaultBackend', 'networking.IngressBackend'),
    2: list('tls', 'networking.IngressTLS'),
    3: list('rules', 'networking.IngressRule'),
  },
  'networking.IngressTLS': { 1: list('hosts'), 2: opt('secretName') },
  'networking.IngressRule': { 1: opt('host'), 2: inline('networking.IngressRuleValue') },
  'networking.IngressRuleValue': { 1: ptr('http', 'networking.HTTPIngressRuleValue') },
  'networking.HTTPIngressRuleValue': { 1: list('paths', 'networking.HTTPIngressPath', 'required') },
  'networking.HTTPIngressPath': {
    1: opt('path'),
    3: nul('pathType'),
    2: req('backend', 'networking.IngressBackend'),
  },
  'networking.IngressBackend': {
    4: ptr('service', 'networking.IngressServiceBackend'),
    3: ptr('resource', 'core.TypedLocalObjectReference'),
  },
  'networking.IngressServiceBackend': { 1: req('name'), 2: opt('port', 'networking.ServiceBackendPort') },
  'networking.ServiceBackendPort': { 1: opt('name'), 2: opt('number', 'int32') },
  'networking.IngressStatus': { 1: opt('loadBalancer', 'networking.IngressLoadBalancerStatus') },
  'networking.IngressLoadBalancerStatus': { 1: list('ingress', 'networking.IngressLoadBalancerIngress') },
  'networking.IngressLoadBalancerIngress': {
    1: opt('ip'),
    2: opt('hostname'),
    4: list('ports', 'networking.IngressPortStatus'),
  },
  'networking.IngressPortStatus': { 1: req('port', 'int32'), 2: req('protocol'), 3: ptr('error') },
  'networking.IngressClass': object('networking.IngressClassSpec'),
  'networking.IngressClassSpec': {
    1: opt('controller'),
    2: ptr('parameters', 'networking.IngressClassParametersReference'),
  },
  'networking.IngressClassParametersReference': {
    1: ptr('apiGroup'),
    2: req('kind'),
    3: req('name'),
    4: nul('scope'),
    5: ptr('namespace'),
  },
};

const authentication: MessageTable = {
  'authentication.TokenRequest': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'authentication.TokenRequestSpec'),
    3: opt('status', 'authentication.TokenRequestStatus'),
  },
  // None of these has omitempty: unset values are written as null.
  'authentication.TokenRequestSpec': {
    1: list('audiences', 'string', 'required'),
    4: nul('expirationSeconds', 'int64'),
    3: nul('boundObjectRef', 'authentication.BoundObjectReference'),
  },
  'authentication.BoundObjectReference': {
    1: opt('kind'),
    2: opt('apiVersion'),
    3: opt('name'),
    4: opt('uid'),
  },
  'authentication.TokenRequestStatus': { 1: req('token'), 2: req('expirationTimestamp', 'Time') },
  'authentication.TokenReview': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'authentication.TokenReviewSpec'),
    3: opt('status', 'authentication.TokenReviewStatus'),
  },
  'authentication.TokenReviewSpec': { 1: opt('token'), 2: list('audiences') },
  'authentication.TokenReviewStatus': {
    1: opt('authenticated', 'bool'),
    2: opt('user', 'authentication.UserInfo'),
    4: list('audiences'),
    3: opt('error'),
  },
  'authentication.UserInfo': {
    1: opt('username'),
    2: opt('uid'),
    3: list('groups'),
    4: map('extra', 'StringList'),
  },
  'authentication.SelfSubjectReview': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('status', 'authentication.SelfSubjectReviewStatus'),
  },
  'authentication.SelfSubjectReviewStatus': { 1: opt('userInfo', 'authentication.UserInfo') },
};

const authorization: MessageTable = {
  'authorization.SubjectAccessReview': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'authorization.SubjectAccessReviewSpec'),
    3: opt('status', 'authorization.SubjectAccessReviewStatus'),
  },
  'authorization.SelfSubjectAccessReview': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'authorization.SelfSubjectAccessReviewSpec'),
    3: opt('status', 'authorization.SubjectAccessReviewStatus'),
  },
  'authorization.SubjectAccessReviewSpec': {
    1: ptr('resourceAttributes', 'authorization.ResourceAttributes'),
    2: ptr('nonResourceAttributes', 'authorization.NonResourceAttributes'),
    3: opt('user'),
    4: list('groups'),
    5: map('extra', 'StringList'),
    6: opt('uid'),
  },
  'authorization.SelfSubjectAccessReviewSpec': {
    1: ptr('resourceAttributes', 'authorization.ResourceAttributes'),
    2: ptr('nonResourceAttributes', 'authorization.NonResourceAttributes'),
  },
  'authorization.ResourceAttributes': {
    1: opt('namespace'),
    2: opt('verb'),
    3: opt('group'),
    4: opt('version'),
    5: opt('resource'),
    6: opt('subresource'),
    7: opt('name'),
    8: ptr('fieldSelector', 'authorization.FieldSelectorAttributes'),
    9: ptr('labelSelector', 'authorization.LabelSelectorAttributes'),
  },
  'authorization.FieldSelectorAttributes': {
    1: opt('rawSelector'),
    2: list('requirements', 'meta.FieldSelectorRequirement'),
  },
  'authorization.LabelSelectorAttributes': {
    1: opt('rawSelector'),
    2: list('requirements', 'meta.LabelSelectorRequirement'),
  },
  'authorization.NonResourceAttributes': { 1: opt('path'), 2: opt('verb') },
  'authorization.SubjectAccessReviewStatus': {
    1: req('allowed', 'bool'),
    4: opt('denied', 'bool'),
    2: opt('reason'),
    3: opt('evaluationError'),
  },
};

export const miscMessages: MessageTable = {
  ...policy,
  ...scheduling,
  ...networking,
  ...authentication,
  ...authorization,
};

export const miscKinds: KindTable = {
  'policy/v1 PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'policy/v1 Eviction': 'policy.Eviction',
  'scheduling.k8s.io/v1 PriorityClass': 'scheduling.PriorityClass',
  'networking.k8s.io/v1 Ingress': 'networking.Ingress',
  'networking.k8s.io/v1 IngressClass': 'networking.IngressClass',
  'authentication.k8s.io/v1 TokenRequest': 'authentication.TokenRequest',
  'authentication.k8s.io/v1 TokenReview': 'authentication.TokenReview',
  'authentication.k8s.io/v1 SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authorization.k8s.io/v1 SubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1 LocalSubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
};
