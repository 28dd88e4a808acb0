import { type FieldError, invalid, required } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { isDNS1123Label } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';

interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  resources?: unknown;
  ports?: { protocol?: string }[];
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
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

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image ?? '');
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  // SetDefaults_ContainerPort.
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
}

function validateContainers(list: Container[] | undefined, path: string, requireOne: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (requireOne && (list === undefined || list.length === 0)) errors.push(required(path, ''));
  (list ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errors.push(required(`${p}.name`, ''));
    else for (const m of isDNS1123Label(c.name)) errors.push(invalid(`${p}.name`, c.name, m));
    if (!c.image) errors.push(required(`${p}.image`, ''));
  });
  return errors;
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
      s.restartPolicy ??= 'Always';
      s.dnsPolicy ??= 'ClusterFirst';
      s.terminationGracePeriodSeconds ??= 30;
      s.schedulerName ??= 'default-scheduler';
      s.securityContext ??= {};
      s.enableServiceLinks ??= true;
      s.preemptionPolicy ??= 'PreemptLowerPriority';
      s.priority ??= 0;
      for (const c of s.containers ?? []) defaultContainer(c);
      for (const c of s.initContainers ?? []) defaultContainer(c);
    },
    validate(obj) {
      const s = spec(obj);
      const errors = [
        ...validateContainers(s.containers, 'spec.containers', true),
        ...validateContainers(s.initContainers, 'spec.initContainers', false),
      ];
      const policies = ['Always', 'OnFailure', 'Never'];
      if (s.restartPolicy !== undefined && !policies.includes(s.restartPolicy)) {
        errors.push({
          type: 'FieldValueNotSupported',
          field: 'spec.restartPolicy',
          badValue: s.restartPolicy,
          detail: `supported values: ${policies.map((p) => `"${p}"`).join(', ')}`,
        });
      }
      return errors;
    },
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
      const total = spec(obj).containers?.length ?? 0;
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
  s.restartPolicy ??= 'Always';
  s.dnsPolicy ??= 'ClusterFirst';
  s.terminationGracePeriodSeconds ??= 30;
  s.schedulerName ??= 'default-scheduler';
  s.securityContext ??= {};
  for (const c of s.containers ?? []) defaultContainer(c);
  for (const c of s.initContainers ?? []) defaultContainer(c);
}
