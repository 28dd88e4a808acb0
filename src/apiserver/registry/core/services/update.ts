import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { jsonEqual, list } from '../shared.ts';
import {
  externallyAccessible,
  needsClusterIP,
  needsHealthCheck,
  needsNodePort,
  ports,
  type ServicePort,
  type ServiceSpec,
} from './spec.ts';

// ---- update preparation (pkg/registry/core/service/strategy.go and storage.go) ----

const sameList = (a: unknown, b: unknown): boolean => jsonEqual(list(a), list(b));

/**
 * normalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one.
 * `old` is undefined on create.
 */
export function normalizeClusterIPs(s: ServiceSpec, old: ServiceSpec | undefined): void {
  if (old === undefined) {
    if (s.clusterIP && list(s.clusterIPs).length === 0) s.clusterIPs = [s.clusterIP];
    return;
  }
  // An old client that does not know clusterIPs sends the same clusterIP without them.
  if (list(old.clusterIPs).length > 0 && list(s.clusterIPs).length === 0 && old.clusterIP === s.clusterIP) {
    s.clusterIPs = old.clusterIPs;
  }
  if ((old.clusterIP ?? '') !== (s.clusterIP ?? '')) {
    if (old.clusterIP && !s.clusterIP) {
      if (sameList(old.clusterIPs, s.clusterIPs)) delete s.clusterIPs;
    } else if (sameList(old.clusterIPs, s.clusterIPs)) {
      s.clusterIPs = s.clusterIP ? [s.clusterIP] : [];
    }
  }
}

/** patchAllocatedValues: an update that omits allocated values keeps the old ones. */
export function patchAllocatedValues(s: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(s)) {
    if (!s.clusterIP && old.clusterIP) s.clusterIP = old.clusterIP;
    if (list(s.clusterIPs).length === 0 && list(old.clusterIPs).length > 0) s.clusterIPs = old.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(s)) {
    const used = (svc: ServiceSpec): Set<number> =>
      new Set(
        ports(svc)
          .map((p) => p.nodePort ?? 0)
          .filter((n) => n !== 0),
      );
    const newUsed = used(s);
    const inBoth = new Set([...used(old)].filter((n) => newUsed.has(n)));
    const byName = new Map(ports(old).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const raw of list<unknown>(s.ports)) {
      if (!isRecord(raw)) continue;
      const p = raw as ServicePort;
      if (p.nodePort) continue;
      const oldPort = byName.get(p.name ?? '') ?? 0;
      if (oldPort !== 0 && !inBoth.has(oldPort)) p.nodePort = oldPort;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(s) && !s.healthCheckNodePort && old.healthCheckNodePort) {
    s.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/**
 * dropTypeDependentFields: on a type change, clear what the old type needed and the new one does
 * not, when the client left it as it was (it was likely allocated or defaulted, not asked for).
 */
export function dropTypeDependentFields(obj: KubeObject, s: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && !needsClusterIP(s)) {
    if ((old.clusterIP ?? '') === (s.clusterIP ?? '') && sameList(old.clusterIPs, s.clusterIPs)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameList(old.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if (old.ipFamilyPolicy === s.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  const nodePorts = (svc: ServiceSpec): number[] => ports(svc).map((p) => p.nodePort ?? 0);
  if (needsNodePort(old) && !needsNodePort(s) && jsonEqual(nodePorts(old), nodePorts(s))) {
    for (const p of list<unknown>(s.ports)) if (isRecord(p)) delete p['nodePort'];
  }
  if (needsHealthCheck(old) && !needsHealthCheck(s) && old.healthCheckNodePort === s.healthCheckNodePort) {
    delete s.healthCheckNodePort;
  }
  if (old.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (
      s.allocateLoadBalancerNodePorts !== undefined &&
      s.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts
    ) {
      delete s.allocateLoadBalancerNodePorts;
    }
    if (s.loadBalancerClass === old.loadBalancerClass) delete s.loadBalancerClass;
  }
  if (
    externallyAccessible(old) &&
    !externallyAccessible(s) &&
    s.externalTrafficPolicy === old.externalTrafficPolicy
  ) {
    delete s.externalTrafficPolicy;
  }
  // A load balancer's status means nothing once the service is no longer one.
  if (s.type !== 'LoadBalancer' && isRecord(obj['status'])) obj['status']['loadBalancer'] = {};
}
