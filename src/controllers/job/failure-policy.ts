// The pod failure policy (pkg/controller/job/pod_failure_policy.go): the first rule matching a
// failed pod's non-zero container exit codes or its conditions decides: FailJob (with a message),
// Ignore (not counted towards backoffLimit) or Count.
import type { ContainerStatus, Pod } from '../framework/index.ts';
import type { JobSpec, PodFailurePolicyOnExitCodes, PodFailurePolicyOnPodCondition } from './types.ts';

export interface PolicyVerdict {
  /** The Job's failure message (FailJob). */
  readonly failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit. */
  readonly countFailed: boolean;
  /** The matched rule's action, if any. */
  readonly action?: string;
}

function exitCodeOf(cs: ContainerStatus): number | undefined {
  const term = (cs['state'] as { terminated?: { exitCode?: number } } | undefined)?.terminated;
  return term === undefined ? undefined : (term.exitCode ?? 0);
}

function matchingContainer(
  statuses: readonly ContainerStatus[] | undefined,
  req: PodFailurePolicyOnExitCodes,
): ContainerStatus | undefined {
  for (const cs of statuses ?? []) {
    const code = exitCodeOf(cs);
    if (code === undefined || code === 0) continue;
    if (req.containerName !== undefined && req.containerName !== cs.name) continue;
    const listed = req.values.includes(code);
    if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return cs;
  }
  return undefined;
}

/** matchOnExitCodes: app containers first, then init containers. */
function matchOnExitCodes(pod: Pod, req: PodFailurePolicyOnExitCodes): ContainerStatus | undefined {
  const init = pod.status?.['initContainerStatuses'] as ContainerStatus[] | undefined;
  return matchingContainer(pod.status?.containerStatuses, req) ?? matchingContainer(init, req);
}

function matchOnPodConditions(
  pod: Pod,
  patterns: readonly PodFailurePolicyOnPodCondition[],
): string | undefined {
  for (const pattern of patterns) {
    for (const c of pod.status?.conditions ?? []) {
      if (c.type === pattern.type && c.status === (pattern.status ?? 'True')) return c.type;
    }
  }
  return undefined;
}

/** matchPodFailurePolicy */
export function matchPodFailurePolicy(spec: JobSpec, pod: Pod): PolicyVerdict {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const who = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  for (const [index, rule] of rules.entries()) {
    let failMessage: string | undefined;
    if (rule.onExitCodes !== undefined && rule.onExitCodes !== null) {
      const cs = matchOnExitCodes(pod, rule.onExitCodes);
      if (cs === undefined) continue;
      failMessage = `Container ${cs.name} for pod ${who} failed with exit code ${exitCodeOf(cs) ?? 0} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions !== undefined && rule.onPodConditions !== null) {
      const type = matchOnPodConditions(pod, rule.onPodConditions);
      if (type === undefined) continue;
      failMessage = `Pod ${who} has condition ${type} matching ${rule.action} rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage: failMessage, countFailed: true, action: 'FailJob' };
      default:
        // FailIndex needs backoffLimitPerIndex, which navis does not implement: count it.
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}

/** getFailJobMessage: the message of the first Failed pod a FailJob rule matches. */
export function failJobMessage(spec: JobSpec, pods: readonly Pod[]): string | undefined {
  if (spec.podFailurePolicy === undefined || spec.podFailurePolicy === null) return undefined;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Failed') continue;
    const msg = matchPodFailurePolicy(spec, pod).failJobMessage;
    if (msg !== undefined) return msg;
  }
  return undefined;
}
