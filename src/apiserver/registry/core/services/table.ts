import type { KubeObject } from '../../../../api/meta.ts';
import { list } from '../shared.ts';
import { ingress, ports, spec } from './spec.ts';

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

export function clusterIPCell(obj: KubeObject): string {
  const s = spec(obj);
  const ips = list<string>(s.clusterIPs);
  if (ips.length > 0) return ips[0]!;
  // clusterIPs is kept in step with clusterIP; an object written before that still prints its IP.
  return s.clusterIP ? s.clusterIP : '<none>';
}
