// The Priority admission plugin (upstream's plugin/pkg/admission/priority): a pod's
// `priorityClassName` decides `spec.priority` and `spec.preemptionPolicy`; without one, the global
// default class (or 0) applies. A priority the pod sets itself must agree with its class.
import { isRecord, type KubeObject } from '../../api/meta.ts';
import { forbidden, StatusError } from '../../api/status.ts';
import type { Registry } from '../registry/registry.ts';

/** Upstream's built-in classes, created at start-up (scheduling.k8s.io's SystemPriorityClasses). */
export const systemPriorityClasses = [
  {
    name: 'system-node-critical',
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2_000_000_000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
] as const;

function refuse(pod: KubeObject, reason: string): StatusError {
  return new StatusError(forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', reason));
}

export function installPriorityAdmission(registry: Registry): void {
  const classes = registry.storage('scheduling.k8s.io', 'priorityclasses');
  if (classes === undefined || registry.storage('', 'pods') === undefined) return;
  registry.setHooks('', 'pods', {
    async beforeCreate(pod: KubeObject) {
      const spec = (isRecord(pod['spec']) ? pod['spec'] : {}) as Record<string, unknown>;
      const name = typeof spec['priorityClassName'] === 'string' ? spec['priorityClassName'] : '';
      let value = 0;
      let policy: unknown = 'PreemptLowerPriority';
      let className = name;
      if (name !== '') {
        let pc: KubeObject;
        try {
          pc = await classes.objects.get(undefined, name);
        } catch {
          throw refuse(pod, `no PriorityClass with name ${name} was found`);
        }
        value = Number(pc['value'] ?? 0);
        policy = pc['preemptionPolicy'] ?? policy;
      } else {
        const all = await classes.objects.list({});
        const global = all.items
          .filter((pc) => pc['globalDefault'] === true)
          .sort((a, b) => Number(a['value'] ?? 0) - Number(b['value'] ?? 0))[0];
        if (global !== undefined) {
          value = Number(global['value'] ?? 0);
          policy = global['preemptionPolicy'] ?? policy;
          className = global.metadata.name ?? '';
        }
      }
      const given = spec['priority'];
      // The pod strategy defaults priority to 0 before admission; only another explicit value conflicts.
      if (typeof given === 'number' && given !== value && given !== 0) {
        throw refuse(
          pod,
          `the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
        );
      }
      spec['priority'] = value;
      spec['preemptionPolicy'] = policy;
      if (className !== '') spec['priorityClassName'] = className;
      pod['spec'] = spec;
      return undefined;
    },
  });
}
