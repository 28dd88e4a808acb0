// The in-tree registry (framework/plugins/registry.go): plugin name → factory. Adding a plugin is
// its folder plus one line here.
import type { PluginFactory } from '../framework/interface.ts';
import { DefaultBinder } from './default-binder/index.ts';
import { DefaultPreemption, type DefaultPreemptionArgs } from './default-preemption/index.ts';
import { ImageLocality } from './image-locality/index.ts';
import { InterPodAffinity, type InterPodAffinityArgs } from './inter-pod-affinity/index.ts';
import { NodeAffinity, type NodeAffinityArgs } from './node-affinity/index.ts';
import { NodeName } from './node-name/index.ts';
import { NodePorts } from './node-ports/index.ts';
import { NodeResourcesBalancedAllocation } from './node-resources/balanced-allocation.ts';
import { NodeResourcesFit, type NodeResourcesFitArgs } from './node-resources/fit.ts';
import type { ResourceSpec } from './node-resources/scorer.ts';
import { NodeUnschedulable } from './node-unschedulable/index.ts';
import { PodTopologySpread } from './pod-topology-spread/index.ts';
import { PrioritySort } from './queue-sort/index.ts';
import { SchedulingGates } from './scheduling-gates/index.ts';
import { TaintToleration } from './taint-toleration/index.ts';
import { VolumeBinding } from './volume-binding/index.ts';

export function inTreeRegistry(): Map<string, PluginFactory> {
  return new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['SchedulingGates', () => new SchedulingGates()],
    ['NodeUnschedulable', () => new NodeUnschedulable()],
    ['NodeName', () => new NodeName()],
    ['TaintToleration', () => new TaintToleration()],
    ['NodeAffinity', (args) => new NodeAffinity(args as NodeAffinityArgs | undefined)],
    ['NodePorts', () => new NodePorts()],
    ['NodeResourcesFit', (args) => new NodeResourcesFit(args as NodeResourcesFitArgs | undefined)],
    [
      'NodeResourcesBalancedAllocation',
      (args) => new NodeResourcesBalancedAllocation(args as { resources?: ResourceSpec[] } | undefined),
    ],
    ['VolumeBinding', (_args, h) => new VolumeBinding(h)],
    [
      'PodTopologySpread',
      (args, h) => new PodTopologySpread(args as { defaultingType?: 'System' | 'List' } | undefined, h),
    ],
    ['InterPodAffinity', (args, h) => new InterPodAffinity(args as InterPodAffinityArgs | undefined, h)],
    ['ImageLocality', (_args, h) => new ImageLocality(h)],
    ['DefaultPreemption', (args, h) => new DefaultPreemption(args as DefaultPreemptionArgs | undefined, h)],
    ['DefaultBinder', (_args, h) => new DefaultBinder(h)],
  ]);
}
