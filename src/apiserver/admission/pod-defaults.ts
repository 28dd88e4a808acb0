// Two of upstream's default admission plugins that only fill in a new pod:
// - DefaultTolerationSeconds: tolerate `node.kubernetes.io/not-ready` and `unreachable` (NoExecute)
//   for 300 s, so a node that drops off does not evict its pods at once (the node lifecycle
//   controller evicts them once the toleration runs out);
// - ServiceAccount: a pod without `serviceAccountName` runs as `default`.
import { isRecord, type KubeObject } from '../../api/meta.ts';
import type { Registry } from '../registry/registry.ts';

export const defaultTolerationSeconds = 300;
const taintKeys = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Adds the defaults to a pod spec in place (exported for tests). */
export function applyPodDefaults(pod: KubeObject): void {
  const spec = (isRecord(pod['spec']) ? pod['spec'] : {}) as Record<string, unknown>;
  if (typeof spec['serviceAccountName'] !== 'string' || spec['serviceAccountName'] === '') {
    spec['serviceAccountName'] = 'default';
  }
  const tolerations = (Array.isArray(spec['tolerations']) ? spec['tolerations'] : []) as Toleration[];
  for (const key of taintKeys) {
    // Upstream skips a key that any toleration already covers for NoExecute (or all effects).
    const covered = tolerations.some(
      (t) =>
        (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')) &&
        (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'),
    );
    if (!covered) {
      tolerations.push({
        key,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: defaultTolerationSeconds,
      });
    }
  }
  spec['tolerations'] = tolerations;
  pod['spec'] = spec;
}

export function installPodDefaults(registry: Registry): void {
  if (registry.storage('', 'pods') === undefined) return;
  registry.setHooks('', 'pods', {
    async beforeCreate(pod: KubeObject) {
      applyPodDefaults(pod);
      return undefined;
    },
  });
}
