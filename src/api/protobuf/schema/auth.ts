// authentication.k8s.io/v1 and authorization.k8s.io/v1: what `kubectl create token`, `auth whoami`,
// `auth can-i` and `auth can-i --list` send.
import { list, map, nul, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

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
  'authorization.SelfSubjectRulesReview': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'authorization.SelfSubjectRulesReviewSpec'),
    3: opt('status', 'authorization.SubjectRulesReviewStatus'),
  },
  'authorization.SelfSubjectRulesReviewSpec': { 1: opt('namespace') },
  // Without omitempty: the zero status is `{"resourceRules": null, "nonResourceRules": null, "incomplete": false}`.
  'authorization.SubjectRulesReviewStatus': {
    1: list('resourceRules', 'authorization.ResourceRule', 'required'),
    2: list('nonResourceRules', 'authorization.NonResourceRule', 'required'),
    3: req('incomplete', 'bool'),
    4: opt('evaluationError'),
  },
  'authorization.ResourceRule': {
    1: list('verbs', 'string', 'required'),
    2: list('apiGroups'),
    3: list('resources'),
    4: list('resourceNames'),
  },
  'authorization.NonResourceRule': { 1: list('verbs', 'string', 'required'), 2: list('nonResourceURLs') },
};

export const authMessages: MessageTable = { ...authentication, ...authorization };

export const authKinds: KindTable = {
  'authentication.k8s.io/v1 TokenRequest': 'authentication.TokenRequest',
  'authentication.k8s.io/v1 TokenReview': 'authentication.TokenReview',
  'authentication.k8s.io/v1 SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authorization.k8s.io/v1 SubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1 LocalSubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectRulesReview': 'authorization.SelfSubjectRulesReview',
};
