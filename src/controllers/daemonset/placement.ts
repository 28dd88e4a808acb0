// Where a daemon pod runs (pkg/controller/daemon/daemon_controller.go NodeShouldRunDaemonPod and
// daemon/util): the node's name, the template's nodeSelector and required node affinity, and the
// node's taints against the pod's tolerations, which always include upstream's daemon defaults.
import type { PodSpec, PodTemplateSpec } from '../framework/index.ts';
import type {
  Affinity,
  DaemonSet,
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PlacementSpec,
  Taint,
  Toleration,
} from './types.ts';

/** v1.Toleration.ToleratesTaint */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if ((t.effect ?? '') !== '' && t.effect !== taint.effect) return false;
  if ((t.key ?? '') !== taint.key) {
    // An empty key with operator Exists matches every key.
    return (t.key ?? '') === '' && t.operator === 'Exists';
  }
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** v1helper.FindMatchingUntoleratedTaint: the first taint passing `filter` no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
): Taint | undefined {
  return taints.filter(filter).find((taint) => !tolerations.some((t) => toleratesTaint(t, taint)));
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value)) return false;
      const want = Number.parseInt(values[0] ?? '', 10);
      if (Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? Number(value) > want : Number(value) < want;
    }
    default:
      return false;
  }
}

/** One NodeSelectorTerm: its label expressions and `metadata.name` fields ANDed; an empty term fails. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels[r.key]))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name));
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector, then any required term. */
export function matchesNodeAffinity(spec: PlacementSpec, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined || required === null) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations). */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({
    key: `node.kubernetes.io/${key}`,
    operator: 'Exists',
    effect,
  });
  const out = [
    t('not-ready', 'NoExecute'),
    t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'),
    t('memory-pressure', 'NoSchedule'),
    t('pid-pressure', 'NoSchedule'),
    t('unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) out.push(t('network-unavailable', 'NoSchedule'));
  return out;
}

/** AddOrUpdateTolerationInPodSpec for each default: an identical toleration is not added twice. */
export function withDaemonTolerations(spec: PlacementSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  for (const d of defaultDaemonTolerations(spec.hostNetwork === true)) {
    const same = (t: Toleration): boolean =>
      (t.key ?? '') === d.key && (t.operator ?? 'Equal') === d.operator && (t.effect ?? '') === d.effect;
    const i = out.findIndex(same);
    if (i < 0) out.push(d);
    else out[i] = d;
  }
  return out;
}

export interface ShouldRun {
  /** The node should run a daemon pod (NodeShouldRunDaemonPod's shouldRun). */
  readonly shouldRun: boolean;
  /** A daemon pod already there may stay (it tolerates the node's NoExecute taints). */
  readonly shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod. `spec.unschedulable` is not checked as such: upstream daemon pods tolerate
 * the `node.kubernetes.io/unschedulable` taint that marks cordoned nodes.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): ShouldRun {
  const spec = (ds.spec.template?.spec ?? {}) as PlacementSpec;
  const name = node.metadata.name ?? '';
  if ((spec.nodeName ?? '') !== '' && spec.nodeName !== name)
    return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = withDaemonTolerations(spec);
  const blocking = findUntoleratedTaint(
    taints,
    tolerations,
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  if (blocking === undefined) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: evicting === undefined };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: required node affinity to exactly this node. */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  const out: Affinity = structuredClone(affinity ?? {});
  out.nodeAffinity = { ...out.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required };
  return out;
}

/** util.GetTargetNodeName: the pod's node, or the node its daemon affinity names. */
export function targetNodeName(spec: PodSpec | undefined): string | undefined {
  if ((spec?.nodeName ?? '') !== '') return spec?.nodeName;
  const terms = (spec as PlacementSpec | undefined)?.affinity?.nodeAffinity
    ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** `pod-template-generation` (extensions.DaemonSetTemplateGenerationKey). */
export const templateGenerationLabel = 'pod-template-generation';
/** apps/v1 keeps spec.templateGeneration in this annotation. */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** util.GetTemplateGeneration */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const v = ds.metadata.annotations?.[templateGenerationAnnotation];
  return v === undefined || !/^\d+$/.test(v) ? undefined : v;
}

/** util.CreatePodTemplate: default tolerations, then the generation and hash labels. */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const template = structuredClone(ds.spec.template ?? {});
  const spec = (template.spec ??= {}) as PodSpec & PlacementSpec;
  spec.tolerations = withDaemonTolerations(spec);
  const labels = { ...template.metadata?.labels };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[templateGenerationLabel] = generation;
  if (hash !== '') labels['controller-revision-hash'] = hash;
  template.metadata = { ...template.metadata, labels };
  return template;
}
