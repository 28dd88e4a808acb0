import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import {
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  ensure,
  formatLabels,
  ipFamilyOf,
  isDNSSubdomainField,
  jsonEqual,
  keepAllButStatus,
  list,
  portProtocols,
  rec,
  stringMap,
  validateDNSLabelField,
  validateIP,
  validateNonSpecialIP,
} from '../shared.ts';

interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string | null;
  nodePort?: number;
  appProtocol?: string;
}

interface ServiceSpec {
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

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

const spec = (obj: KubeObject): ServiceSpec => rec(obj['spec']) as ServiceSpec;
const ports = (s: ServiceSpec): ServicePort[] => list<unknown>(s.ports).map((p) => rec(p) as ServicePort);
const ingress = (obj: KubeObject): LoadBalancerIngress[] =>
  list<unknown>(rec(rec(obj['status'])['loadBalancer'])['ingress']).map((i) => rec(i) as LoadBalancerIngress);

// core.ServiceType values, sorted as sets.List prints them in NotSupported errors.
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const sessionAffinities = ['ClientIP', 'None'];
const trafficPolicies = ['Cluster', 'Local'];
const ipFamilies = ['IPv4', 'IPv6'];
const ipFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
/** core.DefaultClientIPServiceAffinitySeconds: three hours. */
const defaultClientIPTimeout = 10800;
/** core.MaxClientIPServiceAffinitySeconds: one day. */
const maxClientIPTimeout = 86400;

const clusterIPs = (s: ServiceSpec): string[] => list<string>(s.clusterIPs).filter((ip) => ip !== '');

/** isHeadlessService in validation.go: the only cluster IP is "None" (whatever the type). */
function isHeadless(s: ServiceSpec): boolean {
  const ips = clusterIPs(s);
  const first = ips.length > 0 ? ips[0] : s.clusterIP;
  return first === 'None' && ips.length <= 1;
}

/** service.ExternallyAccessible (pkg/api/v1/service). */
function externallyAccessible(s: ServiceSpec): boolean {
  return (
    s.type === 'LoadBalancer' ||
    s.type === 'NodePort' ||
    (s.type === 'ClusterIP' && list(s.externalIPs).length > 0)
  );
}

/** service.NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
const needsHealthCheck = (s: ServiceSpec): boolean =>
  s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
const needsClusterIP = (s: ServiceSpec): boolean => s.type !== 'ExternalName';
const needsNodePort = (s: ServiceSpec): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';

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
function setDefaults(obj: KubeObject): void {
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
function defaultIPMode(obj: KubeObject): void {
  for (const ing of ingress(obj)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}

// ---- update preparation (pkg/registry/core/service/strategy.go and storage.go) ----

const sameList = (a: unknown, b: unknown): boolean => jsonEqual(list(a), list(b));

/**
 * normalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one.
 * `old` is undefined on create.
 */
function normalizeClusterIPs(s: ServiceSpec, old: ServiceSpec | undefined): void {
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
function patchAllocatedValues(s: ServiceSpec, old: ServiceSpec): void {
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
function dropTypeDependentFields(obj: KubeObject, s: ServiceSpec, old: ServiceSpec): void {
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

// ---- validation (ValidateService in pkg/apis/core/validation/validation.go) ----

function validateServicePort(
  p: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const name = p.name ?? '';
  if (requireName && name === '') errors.push(required(fieldPath(path, 'name'), ''));
  else if (name !== '') {
    errors.push(...validateDNSLabelField(name, fieldPath(path, 'name')));
    if (names.has(name)) errors.push(duplicate(fieldPath(path, 'name'), name));
    else names.add(name);
  }
  const port = p.port ?? 0;
  for (const msg of isValidPortNum(port)) errors.push(invalid(fieldPath(path, 'port'), port, msg));
  if (!p.protocol) errors.push(required(fieldPath(path, 'protocol'), ''));
  else if (!portProtocols.includes(p.protocol))
    errors.push(notSupported(fieldPath(path, 'protocol'), p.protocol, portProtocols));
  // ValidatePortNumOrName
  const target = p.targetPort;
  const targetPath = fieldPath(path, 'targetPort');
  if (typeof target === 'number') {
    for (const msg of isValidPortNum(target)) errors.push(invalid(targetPath, target, msg));
  } else if (typeof target === 'string') {
    for (const msg of isValidPortName(target)) errors.push(invalid(targetPath, target, msg));
  }
  if (p.appProtocol !== undefined) {
    for (const msg of isQualifiedName(p.appProtocol))
      errors.push(invalid(fieldPath(path, 'appProtocol'), p.appProtocol, msg));
  }
  return errors;
}

/** validateServiceClusterIPsRelatedFields, without the checks that need the cluster's CIDRs. */
function validateClusterIPFields(s: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const ips = list<string>(s.clusterIPs);
  if (s.clusterIP) {
    if (ips.length === 0) errors.push(required('spec.clusterIPs', ''));
    else if (ips[0] !== s.clusterIP)
      errors.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errors.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  list<string>(s.ipFamilies).forEach((family, i) => {
    const p = fieldPath('spec.ipFamilies', i);
    if (!ipFamilies.includes(family)) errors.push(notSupported(p, family, ipFamilies));
    if (seen.has(family)) errors.push(duplicate(p, family));
    seen.add(family);
  });
  if (s.ipFamilyPolicy !== undefined && !ipFamilyPolicies.includes(s.ipFamilyPolicy)) {
    errors.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, ipFamilyPolicies));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1)
        errors.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      return;
    }
    errors.push(...validateIP(fieldPath('spec.clusterIPs', i), ip));
  });
  if (ips.length > 2) errors.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  return errors;
}

export function validateService(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  const ps = ports(s);
  const headless = isHeadless(s);
  if (ps.length === 0 && !headless && s.type !== 'ExternalName') errors.push(required('spec.ports', ''));
  switch (s.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) {
        errors.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${s.type} services`));
      }
      break;
    case 'ExternalName': {
      if (list(s.clusterIPs).length > 0)
        errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (list(s.ipFamilies).length > 0)
        errors.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined)
        errors.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      // The CNAME may end in a dot to mark it fully qualified.
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname === '') errors.push(required('spec.externalName', ''));
      else errors.push(...isDNSSubdomainField(cname, 'spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ps.forEach((p, i) =>
    errors.push(...validateServicePort(p, ps.length > 1, names, fieldPath('spec.ports', i))),
  );
  if (s.selector !== undefined) errors.push(...validateLabels(stringMap(s.selector), 'spec.selector'));
  if (!s.sessionAffinity) errors.push(required('spec.sessionAffinity', ''));
  else if (!sessionAffinities.includes(s.sessionAffinity))
    errors.push(notSupported('spec.sessionAffinity', s.sessionAffinity, sessionAffinities));
  if (s.sessionAffinity === 'ClientIP') {
    const timeout = rec(rec(s.sessionAffinityConfig)['clientIP'])['timeoutSeconds'];
    const t = typeof timeout === 'number' ? timeout : 0;
    if (t <= 0 || t > maxClientIPTimeout) {
      errors.push(
        invalid(
          'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
          t,
          `must be greater than 0 and less than ${maxClientIPTimeout}`,
        ),
      );
    }
  } else if (s.sessionAffinity === 'None' && isRecord(s.sessionAffinityConfig)) {
    errors.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  list<string>(s.externalIPs).forEach((ip, i) => {
    const p = fieldPath('spec.externalIPs', i);
    const bad = validateIP(p, ip);
    errors.push(...(bad.length > 0 ? bad : validateNonSpecialIP(p, ip)));
  });
  if (s.type === undefined || !serviceTypes.includes(s.type))
    errors.push(notSupported('spec.type', s.type ?? '', serviceTypes));
  if (s.type === 'ClusterIP') {
    ps.forEach((p, i) => {
      if (p.nodePort)
        errors.push(
          forbidden(fieldPath('spec.ports', i, 'nodePort'), "may not be used when `type` is 'ClusterIP'"),
        );
    });
  }
  // Duplicates count (protocol, nodePort) and (protocol, port) pairs.
  const nodePorts = new Set<string>();
  const servicePorts = new Set<string>();
  ps.forEach((p, i) => {
    if (p.nodePort) {
      const key = `${p.protocol ?? ''}/${p.nodePort}`;
      if (nodePorts.has(key)) errors.push(duplicate(fieldPath('spec.ports', i, 'nodePort'), p.nodePort));
      nodePorts.add(key);
    }
    const key = `${p.protocol ?? ''}/${p.port ?? 0}`;
    if (servicePorts.has(key))
      errors.push(duplicate(fieldPath('spec.ports', i), { protocol: p.protocol ?? '', port: p.port ?? 0 }));
    servicePorts.add(key);
  });
  // validateServiceExternalTrafficPolicy
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) {
      errors.push(
        invalid(
          'spec.externalTrafficPolicy',
          s.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
    }
  } else if (!s.externalTrafficPolicy) errors.push(required('spec.externalTrafficPolicy', ''));
  else if (!trafficPolicies.includes(s.externalTrafficPolicy))
    errors.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, trafficPolicies));
  if (!needsHealthCheck(s) && s.healthCheckNodePort) {
    errors.push(
      invalid(
        'spec.healthCheckNodePort',
        s.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  // validateServiceInternalTrafficPolicy
  if (!s.internalTrafficPolicy) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP')
      errors.push(required('spec.internalTrafficPolicy', ''));
  } else if (!trafficPolicies.includes(s.internalTrafficPolicy)) {
    errors.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, trafficPolicies));
  }
  errors.push(...validateClusterIPFields(s));
  return errors;
}

/**
 * ValidateServiceUpdate: a service may gain or lose a secondary cluster IP or family, but its
 * primary ones never change, unless it changes to or from ExternalName (or stays headless).
 */
export function validateServiceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = spec(obj);
  const o = spec(old);
  const errors: FieldError[] = [];
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && !(isHeadless(s) && isHeadless(o))) {
    const ips = list<string>(s.clusterIPs);
    const oldIPs = list<string>(o.clusterIPs);
    if (oldIPs.length === ips.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i])
          errors.push(invalid(fieldPath('spec.clusterIPs', i), ips, 'may not change once set'));
      });
    } else if (oldIPs.length > ips.length) {
      if (ips.length === 0)
        errors.push(invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
      if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0])
        errors.push(invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
      if (ips.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
        errors.push(
          invalid(
            'spec.clusterIPs[0]',
            ips,
            "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
          ),
        );
      }
    } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
      errors.push(invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    }
    // validateUpgradeDowngradeIPFamilies: the primary family is fixed once set.
    const families = list<string>(s.ipFamilies);
    const oldFamilies = list<string>(o.ipFamilies);
    if (oldFamilies.length > 0 && families.length > 0 && families[0] !== oldFamilies[0]) {
      errors.push(invalid('spec.ipFamilies[0]', families, 'may not change once set'));
    }
  }
  return [...errors, ...validateService(obj)];
}

// ---- printing (printService in pkg/printers/internalversion/printers.go) ----

/** loadBalancerStatusStringer, wide: the ingress IPs or hostnames, sorted and unique. */
function loadBalancerIPs(obj: KubeObject): string {
  const found = new Set<string>();
  for (const ing of ingress(obj)) {
    if (ing.ip) found.add(ing.ip);
    else if (ing.hostname) found.add(ing.hostname);
  }
  return [...found].sort().join(',');
}

/** getServiceExternalIP. */
export function externalIP(obj: KubeObject): string {
  const s = spec(obj);
  const externalIPs = list<string>(s.externalIPs);
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(obj);
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `port/protocol`, or `port:nodePort/protocol`, comma-separated. */
export function portString(obj: KubeObject): string {
  const pieces = ports(spec(obj)).map((p) =>
    p.nodePort && p.nodePort > 0
      ? `${p.port ?? 0}:${p.nodePort}/${p.protocol ?? ''}`
      : `${p.port ?? 0}/${p.protocol ?? ''}`,
  );
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

function clusterIPCell(obj: KubeObject): string {
  const s = spec(obj);
  const ips = list<string>(s.clusterIPs);
  if (ips.length > 0) return ips[0]!;
  // clusterIPs is kept in step with clusterIP; an object written before that still prints its IP.
  return s.clusterIP ? s.clusterIP : '<none>';
}

/** core/v1 Service (upstream pkg/registry/core/service): strategy, printer columns, field selectors. */
export const services: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  status: {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      if (spec(obj).type === 'LoadBalancer') defaultIPMode(obj);
    },
  },
  strategy: {
    defaults: setDefaults,
    prepareForCreate(obj) {
      obj['status'] = { loadBalancer: {} };
      normalizeClusterIPs(ensure(obj, 'spec') as ServiceSpec, undefined);
    },
    prepareForUpdate(obj, old) {
      const s = ensure(obj, 'spec') as ServiceSpec;
      const o = spec(old);
      patchAllocatedValues(s, o);
      normalizeClusterIPs(s, o);
      dropTypeDependentFields(obj, s, o);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  },
  table: {
    columns: [
      nameColumn('service'),
      {
        name: 'Type',
        type: 'string',
        description:
          'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
        priority: 0,
      },
      {
        name: 'Cluster-IP',
        type: 'string',
        description: 'clusterIP is the IP address of the service and is usually assigned randomly.',
        priority: 0,
      },
      {
        name: 'External-IP',
        type: 'string',
        description:
          'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
        priority: 0,
      },
      {
        name: 'Port(s)',
        type: 'string',
        description: 'The list of ports that are exposed by this service.',
        priority: 0,
      },
      ageColumn('service'),
      {
        name: 'Selector',
        type: 'string',
        description: 'Route service traffic to pods with label keys and values matching this selector.',
        priority: 1,
      },
    ],
    row: (obj, now) => [
      obj.metadata.name ?? '',
      spec(obj).type ?? '',
      clusterIPCell(obj),
      externalIP(obj),
      portString(obj),
      age(obj, now),
      formatLabels(spec(obj).selector),
    ],
  },
  fields: (obj) => ({
    'spec.clusterIP': spec(obj).clusterIP ?? '',
    'spec.type': spec(obj).type ?? '',
  }),
};
