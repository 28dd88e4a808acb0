import {
  duplicate,
  type FieldError,
  fieldPath,
  invalid,
  notSupported,
  required,
  tooMany,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateLabels,
} from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { isValidIPv4Address, isValidIPv6Address, validateNonSpecialIP } from '../../networking/net.ts';
import {
  list,
  optionalText,
  record,
  semanticEqual,
  text,
  validateImmutableField,
  validateLabelName,
} from '../../networking/validation.ts';

// Upstream's sets.List() order: sorted.
const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const maxTopologyLabels = 16;
const maxAddresses = 100;
const maxPorts = 20000;
const maxEndpoints = 1000;
const maxZoneHints = 8;
const hostnameLabel = 'kubernetes.io/hostname';

/** validation.IsFullyQualifiedDomainName: at least two labels, a trailing dot allowed. */
function isFullyQualifiedDomainName(path: string, value: string): FieldError[] {
  if (value === '') return [required(path, '')];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [invalid(path, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) {
    return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  }
  for (const label of labels) {
    const labelErrs = isDNS1123Label(label);
    if (labelErrs.length > 0) return [invalid(path, label, labelErrs.join(','))];
  }
  return [];
}

function validateAddress(addressType: string, address: string, path: string): FieldError[] {
  // Only the known address types check their addresses; validateAddressType reports the others.
  switch (addressType) {
    case 'IPv4': {
      const errs = isValidIPv4Address(path, address);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'IPv6': {
      const errs = isValidIPv6Address(path, address);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'FQDN':
      return isFullyQualifiedDomainName(path, address);
    default:
      return [];
  }
}

/** validateEndpoints. */
function validateEndpoints(obj: KubeObject, addressType: string): FieldError[] {
  const endpoints = list(obj['endpoints']);
  if (endpoints.length > maxEndpoints) return [tooMany('endpoints', endpoints.length, maxEndpoints)];
  const errs: FieldError[] = [];
  endpoints.forEach((raw, i) => {
    const ep = record(raw);
    const path = fieldPath('endpoints', i);
    const addressPath = fieldPath(path, 'addresses');
    const addresses = list(ep['addresses']);
    if (addresses.length === 0) errs.push(required(addressPath, 'must contain at least 1 address'));
    else if (addresses.length > maxAddresses) errs.push(tooMany(addressPath, addresses.length, maxAddresses));
    addresses.forEach((a, j) =>
      errs.push(...validateAddress(addressType, text(a), fieldPath(addressPath, j))),
    );
    const nodeName = optionalText(ep['nodeName']);
    if (nodeName !== undefined) {
      for (const msg of nameIsDNSSubdomain(nodeName, false)) {
        errs.push(invalid(fieldPath(path, 'nodeName'), nodeName, msg));
      }
    }
    const topology = isRecord(ep['deprecatedTopology'])
      ? (ep['deprecatedTopology'] as Record<string, string>)
      : undefined;
    const topologyPath = fieldPath(path, 'deprecatedTopology');
    const topologyCount = Object.keys(topology ?? {}).length;
    if (topologyCount > maxTopologyLabels) errs.push(tooMany(topologyPath, topologyCount, maxTopologyLabels));
    errs.push(...validateLabels(topology, topologyPath));
    const hostname = optionalText(ep['hostname']);
    if (hostname !== undefined) {
      for (const msg of isDNS1123Label(hostname))
        errs.push(invalid(fieldPath(path, 'hostname'), hostname, msg));
    }
    if (isRecord(ep['hints'])) errs.push(...validateHints(ep['hints'], fieldPath(path, 'hints')));
  });
  return errs;
}

/** validateHints: topology-aware routing zones, unique label values. */
function validateHints(hints: Record<string, unknown>, path: string): FieldError[] {
  const zones = list(hints['forZones']);
  const zonesPath = fieldPath(path, 'forZones');
  if (zones.length > maxZoneHints) return [tooMany(zonesPath, zones.length, maxZoneHints)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const name = text(record(z)['name']);
    const p = fieldPath(zonesPath, i, 'name');
    if (seen.has(name)) errs.push(duplicate(p, name));
    seen.add(name);
    for (const msg of isValidLabelValue(name)) errs.push(invalid(p, name, msg));
  });
  return errs;
}

/** validatePorts: unique names, known protocols. */
function validatePorts(obj: KubeObject): FieldError[] {
  const ports = list(obj['ports']);
  if (ports.length > maxPorts) return [tooMany('ports', ports.length, maxPorts)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port = record(raw);
    const path = fieldPath('ports', i);
    const name = text(port['name']);
    for (const msg of name === '' ? [] : isDNS1123Label(name))
      errs.push(invalid(fieldPath(path, 'name'), name, msg));
    if (names.has(name)) errs.push(duplicate(fieldPath(path, 'name'), name));
    names.add(name);
    const protocol = optionalText(port['protocol']);
    if (protocol === undefined) errs.push(required(fieldPath(path, 'protocol'), ''));
    else if (!protocols.includes(protocol))
      errs.push(notSupported(fieldPath(path, 'protocol'), protocol, protocols));
    const appProtocol = optionalText(port['appProtocol']);
    if (appProtocol !== undefined)
      errs.push(...validateLabelName(appProtocol, fieldPath(path, 'appProtocol')));
  });
  return errs;
}

/** ValidateEndpointSlice, less the metadata the generic handler checks. */
function validate(obj: KubeObject): FieldError[] {
  const addressType = text(obj['addressType']);
  const errs: FieldError[] = [];
  if (addressType === '') errs.push(required('addressType', ''));
  else if (!addressTypes.includes(addressType))
    errs.push(notSupported('addressType', addressType, addressTypes));
  return [...errs, ...validateEndpoints(obj, addressType), ...validatePorts(obj)];
}

/**
 * dropTopologyOnV1: writes through v1 drop deprecatedTopology, keeping a node name the old object's
 * topology held when nodeName is unset; an update that leaves the endpoints alone keeps them as they are.
 */
function dropTopology(obj: KubeObject, old: KubeObject | undefined): void {
  if (old !== undefined && semanticEqual(old['endpoints'], obj['endpoints'])) return;
  const previous = new Set<string>();
  for (const ep of list(old?.['endpoints'])) {
    const node = record(record(ep)['deprecatedTopology'])[hostnameLabel];
    if (typeof node === 'string') previous.add(node);
  }
  for (const ep of list(obj['endpoints'])) {
    if (!isRecord(ep)) continue;
    const node = record(ep['deprecatedTopology'])[hostnameLabel];
    const nodeNameUnset = ep['nodeName'] === undefined || ep['nodeName'] === null;
    if (
      nodeNameUnset &&
      typeof node === 'string' &&
      previous.has(node) &&
      nameIsDNSSubdomain(node, false).length === 0
    ) {
      ep['nodeName'] = node;
    }
    delete ep['deprecatedTopology'];
  }
}

function formatList(items: string[], count: number): string {
  const shown = items.slice(0, 3).join(',');
  if (count > 3) return `${shown} + ${count - 3} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** discovery.k8s.io/v1 EndpointSlice (upstream pkg/registry/discovery/endpointslice). */
export const endpointslices: ResourceDefinition = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  strategy: {
    prepareForCreate(obj) {
      // EndpointSlices have no spec, yet count generations of everything but metadata.
      obj.metadata.generation = 1;
      dropTopology(obj, undefined);
    },
    prepareForUpdate: (obj, old) => dropTopology(obj, old),
    defaults(obj) {
      // endpoints and ports are not omitempty: absent lists serialize as null.
      obj['endpoints'] ??= null;
      obj['ports'] ??= null;
      for (const port of list(obj['ports'])) {
        // SetDefaults_EndpointPort: an empty name and TCP.
        if (!isRecord(port)) continue;
        port['name'] ??= '';
        port['protocol'] ??= 'TCP';
      }
    },
    validate,
    validateUpdate: (obj, old) => [
      ...validate(obj),
      ...validateImmutableField(obj['addressType'], old['addressType'], 'addressType'),
    ],
    specChanged: (obj, old) => {
      const { metadata: _m, ...rest } = obj;
      const { metadata: _o, ...oldRest } = old;
      return !semanticEqual(rest, oldRest);
    },
  },
  table: {
    columns: [
      nameColumn('endpoint slice'),
      {
        name: 'AddressType',
        type: 'string',
        description:
          'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
        priority: 0,
      },
      {
        name: 'Ports',
        type: 'string',
        description:
          'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
        priority: 0,
      },
      {
        name: 'Endpoints',
        type: 'string',
        description:
          'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
        priority: 0,
      },
      ageColumn('endpoint slice'),
    ],
    row: (obj, now) => {
      // formatDiscoveryPorts: the port number, else its name, else `*` (all ports).
      const ports = list(obj['ports']).map((raw) => {
        const p = record(raw);
        if (typeof p['port'] === 'number') return String(p['port']);
        return optionalText(p['name']) ?? '*';
      });
      const addresses = list(obj['endpoints']).flatMap((ep) => list(record(ep)['addresses']).map(text));
      return [
        obj.metadata.name ?? '',
        text(obj['addressType']),
        formatList(ports, ports.length),
        formatList(addresses, addresses.length),
        age(obj, now),
      ];
    },
  },
};
