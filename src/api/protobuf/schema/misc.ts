// Smaller groups: policy/v1, scheduling.k8s.io/v1, coordination.k8s.io/v1, certificates.k8s.io/v1
// (what `kubectl certificate approve|deny` sends) and events.k8s.io/v1.
import { list, map, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

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

// Lease times are MicroTime: six fractional digits in JSON.
const coordination: MessageTable = {
  'coordination.Lease': object('coordination.LeaseSpec'),
  'coordination.LeaseSpec': {
    1: ptr('holderIdentity'),
    2: ptr('leaseDurationSeconds', 'int32'),
    3: ptr('acquireTime', 'MicroTime'),
    4: ptr('renewTime', 'MicroTime'),
    5: ptr('leaseTransitions', 'int32'),
    6: ptr('strategy'),
    7: ptr('preferredHolder'),
  },
};

const certificates: MessageTable = {
  'certificates.CertificateSigningRequest': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('spec', 'certificates.CertificateSigningRequestSpec'),
    3: opt('status', 'certificates.CertificateSigningRequestStatus'),
  },
  'certificates.CertificateSigningRequestSpec': {
    // []byte without omitempty: base64 in JSON, `null` when absent.
    1: req('request', 'bytes'),
    7: req('signerName'),
    8: ptr('expirationSeconds', 'int32'),
    5: list('usages'),
    2: opt('username'),
    3: opt('uid'),
    4: list('groups'),
    6: map('extra', 'StringList'),
  },
  'certificates.CertificateSigningRequestStatus': {
    1: list('conditions', 'certificates.CertificateSigningRequestCondition'),
    2: opt('certificate', 'bytes'),
  },
  'certificates.CertificateSigningRequestCondition': {
    1: req('type'),
    6: req('status'),
    2: opt('reason'),
    3: opt('message'),
    4: opt('lastUpdateTime', 'Time'),
    5: opt('lastTransitionTime', 'Time'),
  },
};

const events: MessageTable = {
  'events.Event': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: req('eventTime', 'MicroTime'),
    3: ptr('series', 'events.EventSeries'),
    4: opt('reportingController'),
    5: opt('reportingInstance'),
    6: opt('action'),
    7: opt('reason'),
    8: opt('regarding', 'core.ObjectReference'),
    9: ptr('related', 'core.ObjectReference'),
    10: opt('note'),
    11: opt('type'),
    12: opt('deprecatedSource', 'core.EventSource'),
    13: opt('deprecatedFirstTimestamp', 'Time'),
    14: opt('deprecatedLastTimestamp', 'Time'),
    15: opt('deprecatedCount', 'int32'),
  },
  'events.EventSeries': { 1: req('count', 'int32'), 2: req('lastObservedTime', 'MicroTime') },
};

export const miscMessages: MessageTable = {
  ...policy,
  ...scheduling,
  ...coordination,
  ...certificates,
  ...events,
};

export const miscKinds: KindTable = {
  'policy/v1 PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'policy/v1 Eviction': 'policy.Eviction',
  'scheduling.k8s.io/v1 PriorityClass': 'scheduling.PriorityClass',
  'coordination.k8s.io/v1 Lease': 'coordination.Lease',
  'certificates.k8s.io/v1 CertificateSigningRequest': 'certificates.CertificateSigningRequest',
  'events.k8s.io/v1 Event': 'events.Event',
};
