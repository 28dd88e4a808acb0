import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { ensure, ipFamilyOf, list, rec } from '../shared.ts';
import {
  clusterIPs,
  defaultClientIPTimeout,
  externallyAccessible,
  ingress,
  type ServicePort,
  type ServiceSpec,
} from './spec.ts';

// ---- defaults ----

/**
 * The IP family fields the service REST storage fills before allocation (upstream's
 * initIPFamilyFields in pkg/registry/core/service/storage/alloc.go), for a single-stack IPv4
 * cluster: a policy inferred from the number of IPs or families given, families inferred from
 * the cluster IPs, IPv4 otherwise. ExternalName services have neither.
 */
function initIPFamilyFields(s: ServiceSpec): void {
  if (s.type === 'ExternalName') return;
  const ips = clusterIPs(s);
  if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === '') {
    s.ipFamilyPolicy = ips.length >= 2 || list(s.ipFamilies).length >= 2 ? 'RequireDualStack' : 'SingleStack';
  }
  const families = [...list<string>(s.ipFamilies)];
  ips.forEach((ip, i) => {
    if (ip === 'None' || i < families.length) return;
    const family = ipFamilyOf(ip);
    if (family !== undefined) families.push(family);
  });
  const headlessSelectorless = s.clusterIP === 'None' && Object.keys(rec(s.selector)).length === 0;
  if (families.length === 0) families.push('IPv4');
  // A headless service without a selector may list both families even on a single-stack cluster.
  if (headlessSelectorless && families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') {
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  s.ipFamilies = families;
}

/** SetDefaults_Service (pkg/apis/core/v1/defaults.go). */
export function setDefaults(obj: KubeObject): void {
  const s = ensure(obj, 'spec') as ServiceSpec;
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP') {
    const timeout = rec(rec(s.sessionAffinityConfig)['clientIP'])['timeoutSeconds'];
    if (timeout === undefined || timeout === null) {
      s.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultClientIPTimeout } };
    }
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of list<unknown>(s.ports)) {
    if (!isRecord(p)) continue;
    const port = p as ServicePort;
    if (!port.protocol) port.protocol = 'TCP';
    // intstr's zero value, 0 or "", means "the same as port".
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ''
    )
      port.targetPort = port.port ?? 0;
  }
  if (externallyAccessible(s) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (!s.internalTrafficPolicy && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) {
    s.internalTrafficPolicy = 'Cluster';
  }
  if (s.type === 'LoadBalancer') {
    s.allocateLoadBalancerNodePorts ??= true;
    defaultIPMode(obj);
  }
  initIPFamilyFields(s);
}

// LoadBalancerIPMode (on by default in 1.32): an ingress IP without a mode is a VIP.
export function defaultIPMode(obj: KubeObject): void {
  for (const ing of ingress(obj)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}
