import { type FieldError, fieldPath, invalid, notSupported, required } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  list,
  portProtocols,
  rec,
  str,
  validateDNSLabelField,
  validateIP,
  validateNonSpecialIP,
} from '../shared.ts';

interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
}

interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const subsets = (obj: KubeObject): EndpointSubset[] =>
  list<unknown>(obj['subsets']).map((s) => rec(s) as EndpointSubset);

/** validateEndpointAddress: a usable IP, and a DNS label hostname and subdomain node name if set. */
function validateAddress(raw: unknown, path: string): FieldError[] {
  const a = rec(raw) as EndpointAddress;
  const ip = str(a.ip);
  const errors = [...validateIP(fieldPath(path, 'ip'), ip)];
  if (a.hostname) errors.push(...validateDNSLabelField(a.hostname, fieldPath(path, 'hostname')));
  if (a.nodeName !== undefined) {
    for (const msg of isDNS1123Subdomain(a.nodeName))
      errors.push(invalid(fieldPath(path, 'nodeName'), a.nodeName, msg));
  }
  errors.push(...validateNonSpecialIP(fieldPath(path, 'ip'), ip));
  return errors;
}

/** validateEndpointPort: names are required once there are several ports. */
function validatePort(raw: unknown, requireName: boolean, path: string): FieldError[] {
  const p = rec(raw) as EndpointPort;
  const errors: FieldError[] = [];
  const name = str(p.name);
  if (requireName && name === '') errors.push(required(fieldPath(path, 'name'), ''));
  else if (name !== '') errors.push(...validateDNSLabelField(name, fieldPath(path, 'name')));
  const port = typeof p.port === 'number' ? p.port : 0;
  for (const msg of isValidPortNum(port)) errors.push(invalid(fieldPath(path, 'port'), port, msg));
  if (!p.protocol) errors.push(required(fieldPath(path, 'protocol'), ''));
  else if (!portProtocols.includes(p.protocol))
    errors.push(notSupported(fieldPath(path, 'protocol'), p.protocol, portProtocols));
  if (p.appProtocol !== undefined) {
    for (const msg of isQualifiedName(p.appProtocol))
      errors.push(invalid(fieldPath(path, 'appProtocol'), p.appProtocol, msg));
  }
  return errors;
}

/** validateEndpointSubsets. */
function validateEndpoints(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  subsets(obj).forEach((ss, i) => {
    const path = fieldPath('subsets', i);
    const addresses = list(ss.addresses);
    const notReady = list(ss.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) {
      errors.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    }
    addresses.forEach((a, j) => errors.push(...validateAddress(a, fieldPath(path, 'addresses', j))));
    notReady.forEach((a, j) => errors.push(...validateAddress(a, fieldPath(path, 'notReadyAddresses', j))));
    const ports = list(ss.ports);
    ports.forEach((p, j) => errors.push(...validatePort(p, ports.length > 1, fieldPath(path, 'ports', j))));
  });
  return errors;
}

/** formatEndpoints with all ports: up to three `ip:port` (or bare IPs for portless subsets). */
export function formatEndpoints(obj: KubeObject): string {
  const ss = subsets(obj);
  if (ss.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let more = false;
  let count = 0;
  for (const subset of ss) {
    const addresses = list<unknown>(subset.addresses).map((a) => str(rec(a)['ip']));
    const ports = list<unknown>(subset.ports).map((p) => rec(p));
    if (ports.length === 0) {
      // A headless service's endpoints may have no ports.
      count += addresses.length;
      for (const ip of addresses) {
        if (shown.length === max) {
          more = true;
          break;
        }
        shown.push(ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const ip of addresses) {
        if (shown.length === max) {
          more = true;
          break;
        }
        // net.JoinHostPort brackets IPv6 addresses.
        const host = ip.includes(':') ? `[${ip}]` : ip;
        shown.push(`${host}:${typeof port['port'] === 'number' ? port['port'] : 0}`);
      }
    }
  }
  const joined = shown.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

/** core/v1 Endpoints (upstream pkg/registry/core/endpoint). */
export const endpoints: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  // Endpoints is its own singular, as upstream's discovery reports.
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  strategy: {
    // SetDefaults_Endpoints: ports default to TCP.
    defaults(obj) {
      for (const ss of list<unknown>(obj['subsets'])) {
        if (!isRecord(ss)) continue;
        for (const p of list<unknown>(ss['ports'])) if (isRecord(p) && !p['protocol']) p['protocol'] = 'TCP';
      }
    },
    validate: validateEndpoints,
  },
  table: {
    columns: [
      nameColumn('endpoints'),
      {
        name: 'Endpoints',
        type: 'string',
        description: 'The set of all endpoints is the union of all subsets.',
        priority: 0,
      },
      ageColumn('endpoints'),
    ],
    row: (obj, now) => [obj.metadata.name ?? '', formatEndpoints(obj), age(obj, now)],
  },
};
