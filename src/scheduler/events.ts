// Which ActionType bits an update carries (framework/events.go NodeSchedulingPropertiesChange and
// PodSchedulingPropertiesChange), so queueing hints only see relevant changes.
import { podInfoOf } from './cache/pod-info.ts';
import { ActionType } from './framework/interface.ts';
import type { Node, Pod } from './types.ts';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function nodeUpdateActions(old: Node, node: Node): number {
  let a = 0;
  if (old.spec?.unschedulable !== node.spec?.unschedulable) a |= ActionType.UpdateNodeTaint;
  if (!same(old.status?.allocatable, node.status?.allocatable)) a |= ActionType.UpdateNodeAllocatable;
  if (!same(old.metadata.labels, node.metadata.labels)) a |= ActionType.UpdateNodeLabel;
  if (!same(old.spec?.taints, node.spec?.taints)) a |= ActionType.UpdateNodeTaint;
  if (!same(old.status?.conditions, node.status?.conditions)) a |= ActionType.UpdateNodeCondition;
  if (!same(old.metadata.annotations, node.metadata.annotations)) a |= ActionType.UpdateNodeAnnotation;
  return a;
}

export function podUpdateActions(old: Pod, pod: Pod): number {
  let a = 0;
  if (!same(old.metadata.labels, pod.metadata.labels)) a |= ActionType.UpdatePodLabel;
  const o = podInfoOf(old).requests;
  const n = podInfoOf(pod).requests;
  if (n.milliCPU < o.milliCPU || n.memory < o.memory) a |= ActionType.UpdatePodScaleDown;
  return a;
}
