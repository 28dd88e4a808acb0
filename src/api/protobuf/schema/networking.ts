// networking.k8s.io/v1 (Ingress, IngressClass, NetworkPolicy) and discovery.k8s.io/v1
// (EndpointSlice).
import { inline, list, map, nul, object, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

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

// NetworkPolicy has no status in 1.32.
const networkPolicy: MessageTable = {
  'networking.NetworkPolicy': object('networking.NetworkPolicySpec'),
  'networking.NetworkPolicySpec': {
    // A value struct without omitempty: `"podSelector": {}` selects every pod.
    1: req('podSelector', 'meta.LabelSelector'),
    2: list('ingress', 'networking.NetworkPolicyIngressRule'),
    3: list('egress', 'networking.NetworkPolicyEgressRule'),
    4: list('policyTypes'),
  },
  'networking.NetworkPolicyIngressRule': {
    1: list('ports', 'networking.NetworkPolicyPort'),
    2: list('from', 'networking.NetworkPolicyPeer'),
  },
  'networking.NetworkPolicyEgressRule': {
    1: list('ports', 'networking.NetworkPolicyPort'),
    2: list('to', 'networking.NetworkPolicyPeer'),
  },
  'networking.NetworkPolicyPort': {
    1: ptr('protocol'),
    2: ptr('port', 'IntOrString'),
    3: ptr('endPort', 'int32'),
  },
  'networking.NetworkPolicyPeer': {
    1: ptr('podSelector', 'meta.LabelSelector'),
    2: ptr('namespaceSelector', 'meta.LabelSelector'),
    3: ptr('ipBlock', 'networking.IPBlock'),
  },
  'networking.IPBlock': { 1: req('cidr'), 2: list('except') },
};

const discovery: MessageTable = {
  // endpoints and ports have no omitempty: an empty slice is `"endpoints": null`.
  'discovery.EndpointSlice': {
    1: opt('metadata', 'meta.ObjectMeta'),
    4: req('addressType'),
    2: list('endpoints', 'discovery.Endpoint', 'required'),
    3: list('ports', 'discovery.EndpointPort', 'required'),
  },
  'discovery.Endpoint': {
    1: list('addresses', 'string', 'required'),
    2: opt('conditions', 'discovery.EndpointConditions'),
    3: ptr('hostname'),
    4: ptr('targetRef', 'core.ObjectReference'),
    5: map('deprecatedTopology'),
    6: ptr('nodeName'),
    7: ptr('zone'),
    8: ptr('hints', 'discovery.EndpointHints'),
  },
  'discovery.EndpointConditions': {
    1: ptr('ready', 'bool'),
    2: ptr('serving', 'bool'),
    3: ptr('terminating', 'bool'),
  },
  'discovery.EndpointHints': { 1: list('forZones', 'discovery.ForZone') },
  'discovery.ForZone': { 1: req('name') },
  'discovery.EndpointPort': {
    1: ptr('name'),
    2: ptr('protocol'),
    3: ptr('port', 'int32'),
    4: ptr('appProtocol'),
  },
};

export const networkingMessages: MessageTable = { ...networking, ...networkPolicy, ...discovery };

export const networkingKinds: KindTable = {
  'networking.k8s.io/v1 Ingress': 'networking.Ingress',
  'networking.k8s.io/v1 IngressClass': 'networking.IngressClass',
  'networking.k8s.io/v1 NetworkPolicy': 'networking.NetworkPolicy',
  'discovery.k8s.io/v1 EndpointSlice': 'discovery.EndpointSlice',
};
