// The Service fields the allocators read and fill (core/v1 ServiceSpec as JSON), and the IP family
// checks that need the cluster's configuration (the part of upstream's initIPFamilyFields in
// pkg/registry/core/service/storage/alloc.go that the Service strategy cannot do on its own).
import { type FieldError, fieldPath, invalid } from '../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../api/meta.ts';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  externalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
}

/** The spec to fill in place; an object without one gets an empty spec. */
export function specOf(obj: KubeObject): ServiceSpec {
  if (!isRecord(obj['spec'])) obj['spec'] = {};
  return obj['spec'] as ServiceSpec;
}

/** The spec to read; never changes the object. */
export function readSpec(obj: KubeObject): ServiceSpec {
  return isRecord(obj['spec']) ? (obj['spec'] as ServiceSpec) : {};
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

export function portsOf(s: ServiceSpec): ServicePort[] {
  return Array.isArray(s.ports) ? s.ports.filter(isRecord) : [];
}

/** A port's nodePort; 0 when none (as the Go zero value). */
export function nodePortOf(p: ServicePort): number {
  return typeof p.nodePort === 'number' ? p.nodePort : 0;
}

/** The type, ClusterIP when unset (SetDefaults_Service). */
export function typeOf(s: ServiceSpec): string {
  return typeof s.type === 'string' && s.type !== '' ? s.type : 'ClusterIP';
}

export const needsNodePorts = (s: ServiceSpec): boolean =>
  typeOf(s) === 'NodePort' || typeOf(s) === 'LoadBalancer';

/** service.NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
export const needsHealthCheck = (s: ServiceSpec): boolean =>
  typeOf(s) === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

/** shouldAllocateNodePorts: a LoadBalancer may opt out (allocateLoadBalancerNodePorts: false). */
export const shouldAllocateNodePorts = (s: ServiceSpec): boolean =>
  typeOf(s) === 'NodePort' || (typeOf(s) === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);

/** The requested cluster IPs: clusterIPs, or clusterIP alone from an old client. */
export function requestedClusterIPs(s: ServiceSpec): string[] {
  const ips = strings(s.clusterIPs).filter((ip) => ip !== '');
  if (ips.length > 0) return ips;
  return typeof s.clusterIP === 'string' && s.clusterIP !== '' ? [s.clusterIP] : [];
}

export const isHeadless = (s: ServiceSpec): boolean => requestedClusterIPs(s)[0] === 'None';

/** The addresses a stored Service holds in the allocator (none for ExternalName and headless). */
export function heldClusterIPs(svc: KubeObject): string[] {
  const s = readSpec(svc);
  if (typeOf(s) === 'ExternalName' || isHeadless(s)) return [];
  return requestedClusterIPs(s);
}

/** collectServiceNodePorts: every port's nodePort, each number once. */
export function heldNodePorts(s: ServiceSpec): number[] {
  return [
    ...new Set(
      portsOf(s)
        .map(nodePortOf)
        .filter((p) => p !== 0),
    ),
  ];
}

/** The health check node port a Service holds, when it needs one. */
export function heldHealthCheckNodePort(s: ServiceSpec): number | undefined {
  const hc = s.healthCheckNodePort;
  return needsHealthCheck(s) && typeof hc === 'number' && hc !== 0 ? hc : undefined;
}

function ipFamilyOf(ip: string): string {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/**
 * initIPFamilyFields on a single-stack IPv4 cluster: defaults the policy and families the strategy
 * left unset (SingleStack, [IPv4]) and rejects what the cluster cannot serve (IPv6, dual-stack).
 * A headless service without a selector may name both families (upstream's special case).
 */
export function checkIPFamilies(s: ServiceSpec, old: ServiceSpec | undefined): FieldError[] {
  if (typeOf(s) === 'ExternalName') return [];
  const ips = requestedClusterIPs(s);
  const headlessSelectorless =
    ips[0] === 'None' && (!isRecord(s.selector) || Object.keys(s.selector).length === 0);
  if (typeof s.ipFamilyPolicy !== 'string' || s.ipFamilyPolicy === '') {
    s.ipFamilyPolicy = old?.ipFamilyPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
  }
  const families = strings(s.ipFamilies);
  const errors: FieldError[] = [];
  for (const [i, ip] of ips.entries()) {
    if (ip === 'None') break;
    if (i < families.length) continue;
    const family = ipFamilyOf(ip);
    if (family !== 'IPv4')
      errors.push(
        invalid(fieldPath('spec.clusterIPs', i), ips, `${family} is not configured on this cluster`),
      );
    else families.push(family);
  }
  if (errors.length > 0) return errors;
  if (headlessSelectorless) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') families.push('IPv6');
    s.ipFamilies = families;
    return [];
  }
  if (s.ipFamilyPolicy === 'RequireDualStack') {
    errors.push(
      invalid(
        'spec.ipFamilyPolicy',
        s.ipFamilyPolicy,
        'this cluster is not configured for dual-stack services',
      ),
    );
  }
  families.forEach((family, i) => {
    if (family !== 'IPv4')
      errors.push(invalid(fieldPath('spec.ipFamilies', i), family, 'not configured on this cluster'));
  });
  if (errors.length > 0) return errors;
  s.ipFamilies = families.length === 0 ? ['IPv4'] : families;
  return [];
}
