// Strategic-merge-patch metadata of the built-in kinds (upstream reads it from the Go struct tags
// `patchStrategy` / `patchMergeKey`, published as `x-kubernetes-patch-strategy` /
// `x-kubernetes-patch-merge-key` in the OpenAPI). Kept as a type graph: each type lists only the
// fields that lead to a patch strategy or carry one; every other field merges as a map or is
// replaced as a list, which is upstream's default.
//
// A field is written `[Type] [strategy[:mergeKey]]`: `Container merge:name` is a list of
// Containers merged by `name`; `merge` alone is a merged list of primitives (a set);
// `ObjectMeta` alone is a nested struct.

const types: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // meta/v1
  ObjectMeta: { finalizers: 'merge', ownerReferences: 'merge:uid' },

  // core/v1
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    volumes: 'Volume merge,retainKeys:name',
    initContainers: 'Container merge:name',
    containers: 'Container merge:name',
    ephemeralContainers: 'Container merge:name',
    imagePullSecrets: 'merge:name',
    hostAliases: 'merge:ip',
    topologySpreadConstraints: 'merge:topologyKey',
    schedulingGates: 'merge:name',
    resourceClaims: 'merge,retainKeys:name',
  },
  Container: {
    ports: 'merge:containerPort',
    env: 'merge:name',
    volumeMounts: 'merge:mountPath',
    volumeDevices: 'merge:devicePath',
  },
  Volume: { ephemeral: 'EphemeralVolumeSource' },
  EphemeralVolumeSource: { volumeClaimTemplate: 'PersistentVolumeClaimTemplate' },
  PersistentVolumeClaimTemplate: { metadata: 'ObjectMeta' },
  PodStatus: {
    conditions: 'merge:type',
    podIPs: 'merge:ip',
    hostIPs: 'merge:ip',
    resourceClaimStatuses: 'merge,retainKeys:name',
  },
  ServiceSpec: { ports: 'merge:port' },
  ConditionsStatus: { conditions: 'merge:type' },
  NodeSpec: { podCIDRs: 'merge' },
  NodeStatus: { conditions: 'merge:type', addresses: 'merge:type' },

  // apps/v1
  DeploymentSpec: { template: 'PodTemplateSpec', strategy: 'retainKeys' },
  WorkloadSpec: { template: 'PodTemplateSpec' },
  StatefulSetSpec: { template: 'PodTemplateSpec', volumeClaimTemplates: 'PersistentVolumeClaimTemplate' },

  // batch/v1
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'WorkloadSpec' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },

  // policy/v1
  PodDisruptionBudgetSpec: { selector: 'replace' },
};

/** Each served kind (`group/version/Kind`, core as `v1/Kind`): its top-level fields beside metadata. */
const kinds: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'v1/ConfigMap': {},
  'v1/Endpoints': {},
  'v1/Event': {},
  'v1/LimitRange': {},
  'v1/Namespace': { status: 'ConditionsStatus' },
  'v1/Node': { spec: 'NodeSpec', status: 'NodeStatus' },
  'v1/PersistentVolume': {},
  'v1/PersistentVolumeClaim': { status: 'ConditionsStatus' },
  'v1/Pod': { spec: 'PodSpec', status: 'PodStatus' },
  'v1/PodTemplate': { template: 'PodTemplateSpec' },
  'v1/ReplicationController': { spec: 'WorkloadSpec', status: 'ConditionsStatus' },
  'v1/ResourceQuota': {},
  'v1/Secret': {},
  'v1/Service': { spec: 'ServiceSpec', status: 'ConditionsStatus' },
  'v1/ServiceAccount': { secrets: 'merge:name' },
  'apps/v1/ControllerRevision': {},
  'apps/v1/DaemonSet': { spec: 'WorkloadSpec', status: 'ConditionsStatus' },
  'apps/v1/Deployment': { spec: 'DeploymentSpec', status: 'ConditionsStatus' },
  'apps/v1/ReplicaSet': { spec: 'WorkloadSpec', status: 'ConditionsStatus' },
  'apps/v1/StatefulSet': { spec: 'StatefulSetSpec', status: 'ConditionsStatus' },
  'autoscaling/v1/HorizontalPodAutoscaler': {},
  'autoscaling/v2/HorizontalPodAutoscaler': { status: 'ConditionsStatus' },
  'batch/v1/CronJob': { spec: 'CronJobSpec' },
  'batch/v1/Job': { spec: 'WorkloadSpec', status: 'ConditionsStatus' },
  'policy/v1/PodDisruptionBudget': { spec: 'PodDisruptionBudgetSpec', status: 'ConditionsStatus' },
  'events.k8s.io/v1/Event': {},
  'networking.k8s.io/v1/IngressClass': {},
  'networking.k8s.io/v1/Ingress': {},
  'networking.k8s.io/v1/NetworkPolicy': {},
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {},
  'rbac.authorization.k8s.io/v1/ClusterRole': {},
  'rbac.authorization.k8s.io/v1/RoleBinding': {},
  'rbac.authorization.k8s.io/v1/Role': {},
  'storage.k8s.io/v1/StorageClass': {},
  'apiextensions.k8s.io/v1/CustomResourceDefinition': {},
  'scheduling.k8s.io/v1/PriorityClass': {},
  'coordination.k8s.io/v1/Lease': {},
  'discovery.k8s.io/v1/EndpointSlice': {},
};

/** A field's patch metadata (upstream's PatchMeta). */
export interface PatchMeta {
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

const none: PatchMeta = { strategies: [], mergeKey: '' };

/** Upstream's LookupPatchMeta: the metadata of a struct's fields and the schema of each field's value. */
export class PatchSchema {
  private readonly fields: Readonly<Record<string, string>>;
  readonly name: string;

  constructor(name: string, fields: Readonly<Record<string, string>>) {
    this.name = name;
    this.fields = fields;
  }

  /** The field's metadata and the schema of its value (of one item, for a list). */
  lookup(field: string): { schema: PatchSchema; meta: PatchMeta } {
    const spec = Object.hasOwn(this.fields, field) ? this.fields[field] : undefined;
    if (spec === undefined) return { schema: unknownSchema, meta: none };
    let typeName = '';
    let meta = none;
    for (const token of spec.split(' ')) {
      if (/^[A-Z]/.test(token)) typeName = token;
      else {
        const [strategies = '', mergeKey = ''] = token.split(':');
        meta = { strategies: strategies.split(','), mergeKey };
      }
    }
    const fields = typeName === '' ? undefined : types[typeName];
    return { schema: fields === undefined ? unknownSchema : new PatchSchema(typeName, fields), meta };
  }
}

/** Fields without metadata: maps merge, lists are replaced. */
const unknownSchema = new PatchSchema('', {});

/**
 * The schema of a built-in kind, or undefined for kinds without Go types (custom resources), for
 * which upstream refuses strategic merge patch with 415.
 */
export function kindSchema(apiVersion: string, kind: string): PatchSchema | undefined {
  const key = `${apiVersion}/${kind}`;
  const fields = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
  return fields === undefined ? undefined : new PatchSchema(kind, { metadata: 'ObjectMeta', ...fields });
}
