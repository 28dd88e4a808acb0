import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isValidPortName, isValidPortNum } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { cidrContains, isValidCIDR, parseCIDR } from '../net.ts';
import { formatLabelSelector, list, record, text, validateLabelSelector } from '../validation.ts';

const spec = (obj: KubeObject): Record<string, unknown> => record(obj['spec']);
const present = (v: unknown): boolean => v !== undefined && v !== null;

/** ValidateNetworkPolicyPort. */
function validatePort(raw: unknown, path: string): FieldError[] {
  const port = record(raw);
  const errs: FieldError[] = [];
  const protocol = port['protocol'];
  if (present(protocol) && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    errs.push(notSupported(fieldPath(path, 'protocol'), protocol, ['TCP', 'UDP', 'SCTP']));
  }
  const value = port['port'];
  const endPort = port['endPort'];
  if (typeof value === 'number') {
    for (const msg of isValidPortNum(value)) errs.push(invalid(fieldPath(path, 'port'), value, msg));
    if (typeof endPort === 'number') {
      // Upstream reports the port, not the endPort, as the bad value here.
      if (endPort < value) {
        errs.push(invalid(fieldPath(path, 'endPort'), value, 'must be greater than or equal to `port`'));
      }
      for (const msg of isValidPortNum(endPort)) errs.push(invalid(fieldPath(path, 'endPort'), endPort, msg));
    }
  } else if (present(value)) {
    if (present(endPort)) {
      errs.push(
        invalid(fieldPath(path, 'endPort'), endPort, 'may not be specified when `port` is non-numeric'),
      );
    }
    const name = text(value);
    for (const msg of isValidPortName(name)) errs.push(invalid(fieldPath(path, 'port'), name, msg));
  } else if (present(endPort)) {
    errs.push(
      invalid(fieldPath(path, 'endPort'), endPort, 'may not be specified when `port` is not specified'),
    );
  }
  return errs;
}

/** ValidateIPBlock: a CIDR and exceptions strictly inside it. */
function validateIPBlock(raw: unknown, path: string): FieldError[] {
  const block = record(raw);
  const cidr = text(block['cidr']);
  if (cidr === '') return [required(fieldPath(path, 'cidr'), '')];
  const errs = isValidCIDR(fieldPath(path, 'cidr'), cidr);
  const net = parseCIDR(cidr);
  if (net === undefined) return errs;
  list(block['except']).forEach((e, i) => {
    const except = text(e);
    const p = fieldPath(path, 'except', i);
    errs.push(...isValidCIDR(p, except));
    const inner = parseCIDR(except);
    if (inner === undefined) return;
    if (!cidrContains(net, inner.ip) || net.prefix >= inner.prefix) {
      errs.push(invalid(p, except, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

/** ValidateNetworkPolicyPeer: exactly one kind of peer, or pod and namespace selectors together. */
function validatePeer(raw: unknown, path: string, allowInvalidValues: boolean): FieldError[] {
  const peer = record(raw);
  const errs: FieldError[] = [];
  let peers = 0;
  for (const key of ['podSelector', 'namespaceSelector']) {
    if (!present(peer[key])) continue;
    peers++;
    errs.push(...validateLabelSelector(peer[key], fieldPath(path, key), allowInvalidValues));
  }
  if (present(peer['ipBlock'])) {
    peers++;
    errs.push(...validateIPBlock(peer['ipBlock'], fieldPath(path, 'ipBlock')));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && present(peer['ipBlock'])) {
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  }
  return errs;
}

/** ValidateNetworkPolicySpec. */
function validateSpec(obj: KubeObject, allowInvalidValues: boolean): FieldError[] {
  const s = spec(obj);
  const errs = validateLabelSelector(s['podSelector'], 'spec.podSelector', allowInvalidValues);
  for (const [direction, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    list(s[direction]).forEach((raw, i) => {
      const rule = record(raw);
      const path = fieldPath('spec', direction, i);
      list(rule['ports']).forEach((p, j) => errs.push(...validatePort(p, fieldPath(path, 'ports', j))));
      list(rule[peersKey]).forEach((p, j) =>
        errs.push(...validatePeer(p, fieldPath(path, peersKey, j), allowInvalidValues)),
      );
    });
  }
  const policyTypes = list(s['policyTypes']);
  if (policyTypes.length > 2) {
    errs.push(invalid('spec.policyTypes', policyTypes, 'may not specify more than two policyTypes'));
    return errs;
  }
  policyTypes.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      errs.push(notSupported(fieldPath('spec.policyTypes', i), t, ['Ingress', 'Egress']));
    }
  });
  return errs;
}

function defaultPorts(rules: unknown): void {
  for (const rule of list(rules)) {
    for (const port of list(record(rule)['ports'])) {
      // SetDefaults_NetworkPolicyPort: an unset protocol is TCP.
      if (isRecord(port)) port['protocol'] ??= 'TCP';
    }
  }
}

/** networking.k8s.io/v1 NetworkPolicy (upstream pkg/registry/networking/networkpolicy). */
export const networkpolicies: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  resource: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  strategy: {
    prepareForCreate(obj) {
      // Generations count spec changes even when a client sent no spec at all.
      obj.metadata.generation = 1;
    },
    defaults(obj) {
      if (!isRecord(obj['spec'])) obj['spec'] = {};
      const s = obj['spec'] as Record<string, unknown>;
      // podSelector is a struct, never omitted: an empty one selects every pod of the namespace.
      s['podSelector'] ??= {};
      defaultPorts(s['ingress']);
      defaultPorts(s['egress']);
      // SetDefaults_NetworkPolicy: no policyTypes means Ingress, plus Egress when egress rules exist.
      if (list(s['policyTypes']).length === 0) {
        s['policyTypes'] = list(s['egress']).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      }
    },
    validate: (obj) => validateSpec(obj, false),
    // ValidationOptionsForNetworking: a stored selector with invalid label values may stay.
    validateUpdate: (obj, old) =>
      validateSpec(obj, validateLabelSelector(spec(old)['podSelector'], 'spec.podSelector').length > 0),
  },
  table: {
    columns: [
      nameColumn('network policy'),
      {
        name: 'Pod-Selector',
        type: 'string',
        description:
          'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.',
        priority: 0,
      },
      ageColumn('network policy'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      formatLabelSelector(spec(obj)['podSelector']),
      age(obj, now),
    ],
  },
};
