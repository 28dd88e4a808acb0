import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { validatePodCreate } from './spec.ts';
import { validatePodUpdate } from './update.ts';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

interface PodSpec {
  containers?: unknown;
  initContainers?: unknown;
  ephemeralContainers?: unknown;
  volumes?: unknown;
  restartPolicy?: string;
  dnsPolicy?: string;
  terminationGracePeriodSeconds?: number;
  schedulerName?: string;
  securityContext?: unknown;
  nodeName?: string;
  enableServiceLinks?: boolean;
  preemptionPolicy?: string;
  priority?: number;
  serviceAccountName?: string;
  hostNetwork?: boolean;
}

interface PodStatus {
  phase?: string;
  podIP?: string;
  reason?: string;
  nominatedNodeName?: string;
  containerStatuses?: ContainerStatus[];
}

const spec = (obj: KubeObject): PodSpec => (obj['spec'] ?? {}) as PodSpec;
const status = (obj: KubeObject): PodStatus => (obj['status'] ?? {}) as PodStatus;

/** Upstream's SetDefaults_Container: Always for :latest or untagged images, else IfNotPresent. */
function defaultPullPolicy(image: string): string {
  const last = image.split('/').pop() ?? '';
  const tagged = last.includes(':') && !last.endsWith(':latest');
  return image.includes('@') || tagged ? 'IfNotPresent' : 'Always';
}

type Obj = Record<string, unknown>;
const recOf = (v: unknown): Obj | undefined => (isRecord(v) ? v : undefined);
const recsOf = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isRecord) : []);

// SetDefaults_HTTPGetAction.
function defaultHTTPGet(get: unknown): void {
  const g = recOf(get);
  if (g === undefined) return;
  if (!g['path']) g['path'] = '/';
  if (!g['scheme']) g['scheme'] = 'HTTP';
}

// SetDefaults_Probe.
function defaultProbe(probe: unknown): void {
  const p = recOf(probe);
  if (p === undefined) return;
  if (!p['timeoutSeconds']) p['timeoutSeconds'] = 1;
  if (!p['periodSeconds']) p['periodSeconds'] = 10;
  if (!p['successThreshold']) p['successThreshold'] = 1;
  if (!p['failureThreshold']) p['failureThreshold'] = 3;
  defaultHTTPGet(p['httpGet']);
}

// SetDefaults_ObjectFieldSelector: downward API field references default to v1.
function defaultFieldRef(ref: unknown): void {
  const r = recOf(ref);
  if (r !== undefined && !r['apiVersion']) r['apiVersion'] = 'v1';
}

function defaultContainer(c: Obj): void {
  if (!c['imagePullPolicy'])
    c['imagePullPolicy'] = defaultPullPolicy(typeof c['image'] === 'string' ? c['image'] : '');
  if (!c['terminationMessagePath']) c['terminationMessagePath'] = '/dev/termination-log';
  if (!c['terminationMessagePolicy']) c['terminationMessagePolicy'] = 'File';
  if (!isRecord(c['resources'])) c['resources'] = {};
  // SetDefaults_ContainerPort.
  for (const p of recsOf(c['ports'])) if (!p['protocol']) p['protocol'] = 'TCP';
  for (const e of recsOf(c['env'])) defaultFieldRef(recOf(e['valueFrom'])?.['fieldRef']);
  defaultProbe(c['livenessProbe']);
  defaultProbe(c['readinessProbe']);
  defaultProbe(c['startupProbe']);
  const lifecycle = recOf(c['lifecycle']);
  defaultHTTPGet(recOf(lifecycle?.['postStart'])?.['httpGet']);
  defaultHTTPGet(recOf(lifecycle?.['preStop'])?.['httpGet']);
}

// SetDefaults_Volume and the volume sources' defaults: no source is an emptyDir; modes are 0644;
// projected service account tokens last an hour.
function defaultVolume(v: Obj): void {
  if (Object.keys(v).every((k) => k === 'name' || v[k] === undefined || v[k] === null)) v['emptyDir'] = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = recOf(v[key]);
    if (src !== undefined && src['defaultMode'] === undefined) src['defaultMode'] = 0o644;
  }
  for (const item of recsOf(recOf(v['downwardAPI'])?.['items'])) defaultFieldRef(item['fieldRef']);
  for (const source of recsOf(recOf(v['projected'])?.['sources'])) {
    const token = recOf(source['serviceAccountToken']);
    if (token !== undefined && !token['expirationSeconds']) token['expirationSeconds'] = 3600;
    for (const item of recsOf(recOf(source['downwardAPI'])?.['items'])) defaultFieldRef(item['fieldRef']);
  }
  const hostPath = recOf(v['hostPath']);
  if (hostPath !== undefined && hostPath['type'] === undefined) hostPath['type'] = '';
}

/** The STATUS column: upstream's printPod reason logic, reduced to what the store holds today. */
function podStatusReason(obj: KubeObject): string {
  const s = status(obj);
  let reason = s.reason ?? s.phase ?? '';
  for (const cs of s.containerStatuses ?? []) {
    const r = cs.state?.waiting?.reason ?? cs.state?.terminated?.reason;
    if (r) reason = r;
  }
  if (obj.metadata.deletionTimestamp !== undefined) reason = 'Terminating';
  return reason;
}

/** core/v1 Pod (upstream pkg/registry/core/pod): strategy, printer columns and field selectors. */
export const pods: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  status: {},
  actions: [
    { name: 'binding', group: '', version: 'v1', kind: 'Binding' },
    { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction' },
  ],
  strategy: {
    // Upstream's CheckGracefulDelete: a pod on a node gets its grace period so the agent can stop it;
    // an unscheduled or finished pod goes at once.
    gracePeriod(obj, requested) {
      const phase = status(obj).phase;
      if (!spec(obj).nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
      const period = requested ?? spec(obj).terminationGracePeriodSeconds ?? 30;
      return period < 0 ? 1 : period;
    },
    prepareForCreate(obj) {
      obj['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
    },
    defaults(obj) {
      obj['spec'] ??= {};
      const s = obj['spec'] as PodSpec;
      defaultPodSpec(s);
      s.enableServiceLinks ??= true;
      s.preemptionPolicy ??= 'PreemptLowerPriority';
      s.priority ??= 0;
      // SetDefaults_Pod: with the host's network, a container port is also the host port.
      if (s.hostNetwork === true)
        for (const c of [...recsOf(s.containers), ...recsOf(s.initContainers)])
          for (const p of recsOf(c['ports'])) if (!p['hostPort']) p['hostPort'] = p['containerPort'];
    },
    validate: validatePodCreate,
    validateUpdate: validatePodUpdate,
  },
  table: {
    columns: [
      nameColumn('pod'),
      {
        name: 'Ready',
        type: 'string',
        description: 'The aggregate readiness state of this pod for accepting traffic.',
        priority: 0,
      },
      {
        name: 'Status',
        type: 'string',
        description: 'The aggregate status of the containers in this pod.',
        priority: 0,
      },
      {
        name: 'Restarts',
        type: 'string',
        description:
          'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
        priority: 0,
      },
      ageColumn('pod'),
      { name: 'IP', type: 'string', description: 'IP address allocated to the pod.', priority: 1 },
      {
        name: 'Node',
        type: 'string',
        description: 'Name of the node where the pod is running.',
        priority: 1,
      },
      {
        name: 'Nominated Node',
        type: 'string',
        description: 'Name of the node nominated by the scheduler.',
        priority: 1,
      },
      { name: 'Readiness Gates', type: 'string', description: 'Pod readiness gates.', priority: 1 },
    ],
    row: (obj, now) => {
      const s = status(obj);
      const total = recsOf(spec(obj).containers).length;
      const ready = (s.containerStatuses ?? []).filter((c) => c.ready).length;
      const restarts = (s.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
      return [
        obj.metadata.name ?? '',
        `${ready}/${total}`,
        podStatusReason(obj),
        String(restarts),
        age(obj, now),
        s.podIP ?? '<none>',
        spec(obj).nodeName || '<none>',
        s.nominatedNodeName ?? '<none>',
        '<none>',
      ];
    },
  },
  fields: (obj) => ({
    'spec.nodeName': spec(obj).nodeName ?? '',
    'spec.restartPolicy': spec(obj).restartPolicy ?? '',
    'spec.schedulerName': spec(obj).schedulerName ?? '',
    'spec.serviceAccountName': spec(obj).serviceAccountName ?? '',
    'spec.hostNetwork': String(spec(obj).hostNetwork ?? false),
    'status.phase': status(obj).phase ?? '',
    'status.podIP': status(obj).podIP ?? '',
    'status.nominatedNodeName': status(obj).nominatedNodeName ?? '',
  }),
};

/**
 * Upstream's SetDefaults_PodSpec and SetDefaults_Container: the part of a Pod's defaults that a pod
 * template (in a Deployment, Job...) gets too. enableServiceLinks (SetDefaults_Pod) and the priority
 * fields (Priority admission) stay Pod-only, as upstream.
 */
export function defaultPodSpec(spec: object): void {
  const s = spec as PodSpec;
  s.restartPolicy ||= 'Always';
  s.dnsPolicy ||= 'ClusterFirst';
  s.terminationGracePeriodSeconds ??= 30;
  s.schedulerName ||= 'default-scheduler';
  if (!isRecord(s.securityContext)) s.securityContext = {};
  for (const key of ['containers', 'initContainers', 'ephemeralContainers'] as const)
    for (const c of recsOf(s[key])) defaultContainer(c);
  for (const v of recsOf(s.volumes)) defaultVolume(v);
}
