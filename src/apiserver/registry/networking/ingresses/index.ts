import { type FieldError, fieldPath, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import {
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { isValidIP, parseIP } from '../net.ts';
import {
  isDNS1035Label,
  isValidPathSegmentName,
  isWildcardDNS1123Subdomain,
  list,
  optionalText,
  record,
  text,
} from '../validation.ts';

const ingressClassAnnotation = 'kubernetes.io/ingress.class';
const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

interface Options {
  /** Updates keep TLS secret names that were already invalid (backwards compatibility). */
  allowInvalidSecretName: boolean;
  /** Updates keep invalid rule values under wildcard hosts that were already stored. */
  allowInvalidWildcardHostRule: boolean;
}

const spec = (obj: KubeObject): Record<string, unknown> => record(obj['spec']);

/** validateIngressTypedLocalObjectReference: a resource backend or an IngressClass's parameters. */
export function validateTypedLocalObjectReference(ref: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = optionalText(ref['apiGroup']);
  if (apiGroup !== undefined) {
    for (const msg of isDNS1123Subdomain(apiGroup))
      errs.push(invalid(fieldPath(path, 'apiGroup'), apiGroup, msg));
  }
  for (const key of ['kind', 'name']) {
    const value = text(ref[key]);
    if (value === '') errs.push(required(fieldPath(path, key), `${key} is required`));
    for (const msg of value === '' ? [] : isValidPathSegmentName(value)) {
      errs.push(invalid(fieldPath(path, key), value, msg));
    }
  }
  return errs;
}

function validateBackend(raw: unknown, path: string): FieldError[] {
  const backend = record(raw);
  const hasResource = backend['resource'] !== undefined && backend['resource'] !== null;
  const hasService = backend['service'] !== undefined && backend['service'] !== null;
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource)
    return validateTypedLocalObjectReference(record(backend['resource']), fieldPath(path, 'resource'));
  if (!hasService) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const service = record(backend['service']);
  const name = text(service['name']);
  if (name === '') errs.push(required(fieldPath(path, 'service', 'name'), ''));
  // ValidateServiceName: Service names are DNS-1035 labels.
  for (const msg of name === '' ? [] : isDNS1035Label(name)) {
    errs.push(invalid(fieldPath(path, 'service', 'name'), name, msg));
  }
  const port = record(service['port']);
  const portName = text(port['name']);
  const portNumber = typeof port['number'] === 'number' ? port['number'] : 0;
  if (portName !== '' && portNumber !== 0) {
    errs.push(invalid(path, '', 'cannot set both port name & port number'));
  } else if (portName !== '') {
    for (const msg of isValidPortName(portName)) {
      errs.push(invalid(fieldPath(path, 'service', 'port', 'name'), portName, msg));
    }
  } else if (portNumber !== 0) {
    for (const msg of isValidPortNum(portNumber)) {
      errs.push(invalid(fieldPath(path, 'service', 'port', 'number'), portNumber, msg));
    }
  } else {
    errs.push(required(path, 'port name or number is required'));
  }
  return errs;
}

function validatePath(raw: unknown, path: string): FieldError[] {
  const p = record(raw);
  const pathType = optionalText(p['pathType']);
  if (pathType === undefined) return [required(fieldPath(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = text(p['path']);
  const pathField = fieldPath(path, 'path');
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(pathField, value, 'must be an absolute path'));
    for (const seq of value === '' ? [] : invalidPathSequences) {
      if (value.includes(seq)) errs.push(invalid(pathField, value, `must not contain '${seq}'`));
    }
    for (const suffix of value === '' ? [] : invalidPathSuffixes) {
      if (value.endsWith(suffix)) errs.push(invalid(pathField, value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/'))
      errs.push(invalid(pathField, value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(fieldPath(path, 'pathType'), pathType, pathTypes));
  }
  errs.push(...validateBackend(p['backend'], fieldPath(path, 'backend')));
  return errs;
}

function validateRuleValue(rule: Record<string, unknown>, path: string): FieldError[] {
  if (rule['http'] === undefined || rule['http'] === null) return [];
  const paths = list(record(rule['http'])['paths']);
  const errs: FieldError[] = [];
  if (paths.length === 0) errs.push(required(fieldPath(path, 'http', 'paths'), ''));
  paths.forEach((p, i) => errs.push(...validatePath(p, fieldPath(path, 'http', 'paths', i))));
  return errs;
}

function validateHost(host: string, path: string): FieldError[] {
  const check = host.includes('*') ? isWildcardDNS1123Subdomain : isDNS1123Subdomain;
  return check(host).map((msg) => invalid(path, host, msg));
}

/** ValidateIngressSpec. */
function validateSpec(obj: KubeObject, opts: Options): FieldError[] {
  const s = spec(obj);
  const rules = list(s['rules']);
  const errs: FieldError[] = [];
  const hasDefault = s['defaultBackend'] !== undefined && s['defaultBackend'] !== null;
  if (rules.length === 0 && !hasDefault) {
    errs.push(invalid('spec', s['rules'] ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (hasDefault) errs.push(...validateBackend(s['defaultBackend'], 'spec.defaultBackend'));
  rules.forEach((raw, i) => {
    const rule = record(raw);
    const path = fieldPath('spec.rules', i);
    const host = text(rule['host']);
    if (host !== '') {
      if (parseIP(host) !== undefined) {
        errs.push(invalid(fieldPath(path, 'host'), host, 'must be a DNS name, not an IP address'));
      }
      errs.push(...validateHost(host, fieldPath(path, 'host')));
    }
    if (!host.includes('*') || !opts.allowInvalidWildcardHostRule)
      errs.push(...validateRuleValue(rule, path));
  });
  list(s['tls']).forEach((raw, i) => {
    const tls = record(raw);
    const path = fieldPath('spec.tls', i);
    list(tls['hosts']).forEach((h, j) => errs.push(...validateHost(text(h), fieldPath(path, 'hosts', j))));
    const secretName = text(tls['secretName']);
    if (!opts.allowInvalidSecretName && secretName !== '') {
      for (const msg of nameIsDNSSubdomain(secretName, false)) {
        errs.push(invalid(fieldPath(path, 'secretName'), secretName, msg));
      }
    }
  });
  const className = optionalText(s['ingressClassName']);
  if (className !== undefined) {
    for (const msg of nameIsDNSSubdomain(className, false)) {
      errs.push(invalid('spec.ingressClassName', className, msg));
    }
  }
  return errs;
}

function hasInvalidSecretName(old: KubeObject): boolean {
  return list(spec(old)['tls']).some((t) => {
    const name = text(record(t)['secretName']);
    return name !== '' && nameIsDNSSubdomain(name, false).length > 0;
  });
}

function hasInvalidWildcardHostRule(old: KubeObject): boolean {
  return list(spec(old)['rules']).some((r) => {
    const rule = record(r);
    return text(rule['host']).includes('*') && validateRuleValue(rule, '').length > 0;
  });
}

/** ValidateIngressLoadBalancerStatus: what an ingress controller may report. */
function validateStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const lb = record(record(obj['status'])['loadBalancer']);
  list(lb['ingress']).forEach((raw, i) => {
    const ing = record(raw);
    const path = fieldPath('status.loadBalancer.ingress', i);
    const ip = text(ing['ip']);
    if (ip !== '') errs.push(...isValidIP(fieldPath(path, 'ip'), ip));
    const hostname = text(ing['hostname']);
    if (hostname !== '') {
      for (const msg of isDNS1123Subdomain(hostname))
        errs.push(invalid(fieldPath(path, 'hostname'), hostname, msg));
      if (parseIP(hostname) !== undefined) {
        errs.push(invalid(fieldPath(path, 'hostname'), hostname, 'must be a DNS name, not an IP address'));
      }
    }
  });
  return errs;
}

/** formatHosts: the first three hosts, `*` when no rule names one. */
function formatHosts(rules: unknown[]): string {
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    const host = text(record(r)['host']);
    if (!more && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer, wide (the server always prints wide): sorted, de-duplicated. */
function formatAddress(obj: KubeObject): string {
  const lb = record(record(obj['status'])['loadBalancer']);
  const out = new Set<string>();
  for (const raw of list(lb['ingress'])) {
    const ing = record(raw);
    const value = text(ing['ip']) || text(ing['hostname']);
    if (value !== '') out.add(value);
  }
  return [...out].sort().join(',');
}

/** networking.k8s.io/v1 Ingress (upstream pkg/registry/networking/ingress). */
export const ingresses: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  resource: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  status: {
    validateUpdate: (obj) => validateStatus(obj),
  },
  strategy: {
    prepareForCreate(obj) {
      // Status is the ingress controller's, set through the status subresource only; an empty
      // IngressStatus serializes as loadBalancer: {}.
      obj['status'] = { loadBalancer: {} };
      obj.metadata.generation = 1;
    },
    validate(obj) {
      const errs = validateSpec(obj, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
      // ValidateIngressCreate: the legacy class annotation may not contradict spec.ingressClassName.
      const annotation = obj.metadata.annotations?.[ingressClassAnnotation];
      const className = optionalText(spec(obj)['ingressClassName']);
      if (annotation !== undefined && className !== undefined && annotation !== className) {
        errs.push(
          invalid(
            fieldPath('annotations', ingressClassAnnotation),
            annotation,
            'must match `ingressClassName` when both are specified',
          ),
        );
      }
      return errs;
    },
    validateUpdate: (obj, old) =>
      validateSpec(obj, {
        allowInvalidSecretName: hasInvalidSecretName(old),
        allowInvalidWildcardHostRule: hasInvalidWildcardHostRule(old),
      }),
  },
  table: {
    columns: [
      nameColumn('ingress'),
      {
        name: 'Class',
        type: 'string',
        description: 'The name of the IngressClass resource that should be used for additional configuration',
        priority: 0,
      },
      {
        name: 'Hosts',
        type: 'string',
        description: 'Hosts that incoming requests are matched against before the ingress rule',
        priority: 0,
      },
      {
        name: 'Address',
        type: 'string',
        description: 'Address is a list containing ingress points for the load-balancer',
        priority: 0,
      },
      { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open', priority: 0 },
      ageColumn('ingress'),
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      optionalText(spec(obj)['ingressClassName']) ?? '<none>',
      formatHosts(list(spec(obj)['rules'])),
      formatAddress(obj),
      list(spec(obj)['tls']).length > 0 ? '80, 443' : '80',
      age(obj, now),
    ],
  },
};
