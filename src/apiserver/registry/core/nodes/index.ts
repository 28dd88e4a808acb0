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
import { isQualifiedName, isValidLabelValue } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { ensure, jsonEqual, keepAllButStatus, list, rec, str, stringMap } from '../shared.ts';

interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

interface NodeSpec {
  podCIDR?: string;
  podCIDRs?: string[];
  providerID?: string;
  unschedulable?: boolean;
  taints?: Taint[];
  externalID?: string;
}

interface NodeStatus {
  capacity?: Record<string, unknown>;
  allocatable?: Record<string, unknown>;
  conditions?: Array<{ type?: string; status?: string }>;
  addresses?: Array<{ type?: string; address?: string }>;
  nodeInfo?: {
    kubeletVersion?: string;
    osImage?: string;
    kernelVersion?: string;
    containerRuntimeVersion?: string;
  };
}

const spec = (obj: KubeObject): NodeSpec => rec(obj['spec']) as NodeSpec;
const status = (obj: KubeObject): NodeStatus => rec(obj['status']) as NodeStatus;

/** labelNodeRolePrefix and nodeLabelRole in printers.go. */
const nodeRolePrefix = 'node-role.kubernetes.io/';
const nodeRoleLabel = 'kubernetes.io/role';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** SetDefaults_NodeStatus: allocatable starts out as the whole capacity. */
function defaultStatus(obj: KubeObject): void {
  const s = obj['status'];
  if (!isRecord(s)) return;
  if (s['allocatable'] === undefined && isRecord(s['capacity'])) s['allocatable'] = { ...s['capacity'] };
}

/** validateNodeTaints. Upstream roots the path at metadata.taints, a long-standing quirk kept here. */
function validateTaints(taints: Taint[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((raw, i) => {
    const t = rec(raw) as Taint;
    const path = fieldPath('metadata.taints', i);
    const key = t.key ?? '';
    for (const msg of isQualifiedName(key)) errors.push(invalid(fieldPath(path, 'key'), key, msg));
    const value = t.value ?? '';
    const valueErrors = isValidLabelValue(value);
    if (valueErrors.length > 0) errors.push(invalid(fieldPath(path, 'value'), value, valueErrors.join(';')));
    const effect = t.effect ?? '';
    if (effect === '') errors.push(required(fieldPath(path, 'effect'), ''));
    else if (!taintEffects.includes(effect))
      errors.push(notSupported(fieldPath(path, 'effect'), effect, taintEffects));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errors.push({ ...duplicate(path, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
  return errors;
}

/** A CIDR as netutils.ParseCIDRSloppy accepts it: an address, a slash and a prefix length. */
function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash === -1) return false;
  const ip = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4 !== null) return v4.slice(1).every((o) => Number(o) <= 255) && Number(prefix) <= 32;
  return ip.includes(':') && Number(prefix) <= 128;
}

/** ValidateNode: taints, pod CIDRs (at most one per family, no duplicates). */
function validateNode(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errors: FieldError[] = [];
  const taints = list<Taint>(s.taints);
  if (taints.length > 0) errors.push(...validateTaints(taints));
  const cidrs = list<string>(s.podCIDRs);
  cidrs.forEach((cidr, i) => {
    if (!isCIDR(cidr)) {
      errors.push(
        invalid(
          fieldPath('spec.podCIDRs', i),
          cidr,
          'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        ),
      );
    }
  });
  if (cidrs.length > 1) {
    const v6 = cidrs.filter((c) => c.includes(':')).length;
    if (cidrs.length > 2 || v6 !== 1) {
      errors.push(invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    }
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errors.push(duplicate(fieldPath('spec.podCIDRs', i), cidr));
      seen.add(cidr);
    });
  }
  return errors;
}

/** ValidateNodeUpdate: pod CIDRs and the provider ID may be set once, never changed. */
function validateNodeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = spec(obj);
  const o = spec(old);
  const errors: FieldError[] = [];
  const addresses = list<unknown>(status(obj).addresses);
  addresses.forEach((a, i) => {
    if (addresses.slice(0, i).some((b) => jsonEqual(a, b)))
      errors.push(duplicate(fieldPath('status.addresses', i), a));
  });
  const oldCIDRs = list<string>(o.podCIDRs);
  const cidrs = list<string>(s.podCIDRs);
  const cidrChange = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== cidrs.length) errors.push(forbidden('spec.podCIDRs', cidrChange));
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && errors.push(forbidden('spec.podCIDRs', cidrChange)));
  }
  if (o.providerID && o.providerID !== s.providerID) {
    errors.push(
      forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'),
    );
  }
  if ((s.externalID ?? '') !== (o.externalID ?? ''))
    errors.push(forbidden('spec.externalID', 'may not be updated'));
  // ValidateNodeUpdate checks taints itself, then the full ValidateNode runs as well.
  return [...errors, ...validateNode(obj)];
}

/** The STATUS column: the Ready condition, or Unknown without one, and SchedulingDisabled. */
export function nodeStatus(obj: KubeObject): string {
  const out: string[] = [];
  const ready = list<unknown>(status(obj).conditions)
    .map((c) => rec(c))
    .filter((c) => c['type'] === 'Ready')
    .pop();
  if (ready !== undefined) out.push(ready['status'] === 'True' ? 'Ready' : 'NotReady');
  if (out.length === 0) out.push('Unknown');
  if (spec(obj).unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted. */
export function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(stringMap(obj.metadata.labels))) {
    if (k.startsWith(nodeRolePrefix)) {
      const role = k.slice(nodeRolePrefix.length);
      if (role !== '') roles.add(role);
    } else if (k === nodeRoleLabel && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** getNodeInternalIP / getNodeExternalIP: the first address of the type. */
function nodeAddress(obj: KubeObject, type: string): string {
  const found = list<unknown>(status(obj).addresses)
    .map((a) => rec(a))
    .find((a) => a['type'] === type);
  return found === undefined ? '<none>' : str(found['address']);
}

const orUnknown = (v: string | undefined): string => (v ? v : '<unknown>');

/** core/v1 Node (upstream pkg/registry/core/node): cluster-scoped; the kubelet writes status. */
export const nodes: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  status: {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      defaultStatus(obj);
    },
  },
  strategy: {
    // nodeStrategy.PrepareForCreate keeps the status: a kubelet registers its node with it.
    defaults(obj) {
      ensure(obj, 'spec');
      defaultStatus(obj);
    },
    validate: validateNode,
    validateUpdate: validateNodeUpdate,
  },
  table: {
    columns: [
      nameColumn('node'),
      { name: 'Status', type: 'string', description: 'The status of the node', priority: 0 },
      { name: 'Roles', type: 'string', description: 'The roles of the node', priority: 0 },
      ageColumn('node'),
      { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', priority: 0 },
      {
        name: 'Internal-IP',
        type: 'string',
        description: 'List of addresses reachable to the node.',
        priority: 1,
      },
      {
        name: 'External-IP',
        type: 'string',
        description: 'List of addresses reachable to the node.',
        priority: 1,
      },
      {
        name: 'OS-Image',
        type: 'string',
        description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        priority: 1,
      },
      {
        name: 'Kernel-Version',
        type: 'string',
        description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        priority: 1,
      },
      {
        name: 'Container-Runtime',
        type: 'string',
        description:
          'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        priority: 1,
      },
    ],
    row: (obj, now) => {
      const info = rec(status(obj).nodeInfo);
      return [
        obj.metadata.name ?? '',
        nodeStatus(obj),
        nodeRoles(obj),
        age(obj, now),
        str(info['kubeletVersion']),
        nodeAddress(obj, 'InternalIP'),
        nodeAddress(obj, 'ExternalIP'),
        orUnknown(str(info['osImage'])),
        orUnknown(str(info['kernelVersion'])),
        orUnknown(str(info['containerRuntimeVersion'])),
      ];
    },
  },
  fields: (obj) => ({ 'spec.unschedulable': String(spec(obj).unschedulable === true) }),
};
