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
import {
  isDNSSubdomainField,
  list,
  portProtocols,
  rec,
  stringMap,
  validateDNSLabelField,
  validateIP,
  validateNonSpecialIP,
} from '../shared.ts';
import {
  externallyAccessible,
  ipFamilies,
  ipFamilyPolicies,
  isHeadless,
  maxClientIPTimeout,
  needsHealthCheck,
  ports,
  type ServicePort,
  type ServiceSpec,
  serviceTypes,
  sessionAffinities,
  spec,
  trafficPolicies,
} from './spec.ts';

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
