// Pods and Services as the endpoints and endpointslice controllers read them, and the helpers both
// share (upstream's podutil.FindPort / IsPodReady, endpointsliceutil.ShouldPodBeInEndpoints,
// endpointutil.ShouldSetHostname, GetPodServiceMemberships).
import type { KubeObject } from '../../api/meta.ts';
import { selectorFromSet } from '../../api/labels.ts';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface Container {
  readonly name?: string;
  readonly ports?: readonly ContainerPort[];
  readonly restartPolicy?: string;
}

export interface PodCondition {
  readonly type: string;
  readonly status: string;
  readonly lastTransitionTime?: string;
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: readonly Container[];
    initContainers?: readonly Container[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: ReadonlyArray<{ readonly ip: string }>;
    conditions?: readonly PodCondition[];
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
}

export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string> | null;
    ports?: readonly ServicePort[];
    clusterIP?: string;
    type?: string;
    publishNotReadyAddresses?: boolean;
    ipFamilies?: readonly string[];
  };
}

/** A reference to a pod as endpoints carry it. */
export interface PodReference {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

export const headlessLabel = 'service.kubernetes.io/headless';
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The pod's IPs, `podIPs` or else `podIP`. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => ip !== '');
  if (ips.length > 0) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless that is wanted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp !== undefined) return false;
  return true;
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/** The service's primary IP family (IPv4 when the server did not set ipFamilies). */
export function serviceIPFamily(service: Service, pod?: Pod): 'IPv4' | 'IPv6' {
  const first = service.spec?.ipFamilies?.[0];
  if (first === 'IPv4' || first === 'IPv6') return first;
  const clusterIP = service.spec?.clusterIP ?? '';
  if (clusterIP !== '' && clusterIP !== 'None') return isIPv6(clusterIP) ? 'IPv6' : 'IPv4';
  return pod !== undefined && isIPv6(pod.status?.podIP ?? '') ? 'IPv6' : 'IPv4';
}

/** The pod's IP of the family, or undefined. */
export function podIPOfFamily(pod: Pod, family: 'IPv4' | 'IPv6'): string | undefined {
  return podIPs(pod).find((ip) => isIPv6(ip) === (family === 'IPv6'));
}

/** IsServiceIPSet: a ClusterIP other than None. */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** ShouldSetHostname: the pod's hostname under the service's name as its subdomain. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return (
    (pod.spec?.hostname ?? '') !== '' &&
    pod.spec?.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace
  );
}

/** podutil.FindPort: a target port by number, or by name among the containers' ports (and sidecars'). */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export function podReference(pod: Pod): PodReference {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
  };
}

/** Whether the service selects pods (services without a selector are left to their owners). */
export function hasSelector(
  service: Service,
): service is Service & { spec: { selector: Record<string, string> } } {
  const s = service.spec?.selector;
  return s !== undefined && s !== null;
}

/** GetPodServiceMemberships: keys of the services in the pod's namespace that select it. */
export function podServiceKeys(pod: Pod, services: readonly Service[]): string[] {
  const keys: string[] = [];
  for (const svc of services) {
    if (!hasSelector(svc)) continue;
    if (selectorFromSet(svc.spec.selector).matches(pod.metadata.labels)) {
      keys.push(`${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
    }
  }
  return keys;
}
