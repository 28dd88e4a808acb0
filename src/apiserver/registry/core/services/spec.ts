import type { KubeObject } from '../../../../api/meta.ts';
import { list, rec } from '../shared.ts';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string | null;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  sessionAffinity?: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } } | null;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerClass?: string;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

export const spec = (obj: KubeObject): ServiceSpec => rec(obj['spec']) as ServiceSpec;
export const ports = (s: ServiceSpec): ServicePort[] =>
  list<unknown>(s.ports).map((p) => rec(p) as ServicePort);
export const ingress = (obj: KubeObject): LoadBalancerIngress[] =>
  list<unknown>(rec(rec(obj['status'])['loadBalancer'])['ingress']).map((i) => rec(i) as LoadBalancerIngress);

// core.ServiceType values, sorted as sets.List prints them in NotSupported errors.
export const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const sessionAffinities = ['ClientIP', 'None'];
export const trafficPolicies = ['Cluster', 'Local'];
export const ipFamilies = ['IPv4', 'IPv6'];
export const ipFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
/** core.DefaultClientIPServiceAffinitySeconds: three hours. */
export const defaultClientIPTimeout = 10800;
/** core.MaxClientIPServiceAffinitySeconds: one day. */
export const maxClientIPTimeout = 86400;

export const clusterIPs = (s: ServiceSpec): string[] => list<string>(s.clusterIPs).filter((ip) => ip !== '');

/** isHeadlessService in validation.go: the only cluster IP is "None" (whatever the type). */
export function isHeadless(s: ServiceSpec): boolean {
  const ips = clusterIPs(s);
  const first = ips.length > 0 ? ips[0] : s.clusterIP;
  return first === 'None' && ips.length <= 1;
}

/** service.ExternallyAccessible (pkg/api/v1/service). */
export function externallyAccessible(s: ServiceSpec): boolean {
  return (
    s.type === 'LoadBalancer' ||
    s.type === 'NodePort' ||
    (s.type === 'ClusterIP' && list(s.externalIPs).length > 0)
  );
}

/** service.NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
export const needsHealthCheck = (s: ServiceSpec): boolean =>
  s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
export const needsClusterIP = (s: ServiceSpec): boolean => s.type !== 'ExternalName';
export const needsNodePort = (s: ServiceSpec): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';
