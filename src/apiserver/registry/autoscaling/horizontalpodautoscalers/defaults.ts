import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { ensure } from '../../apps/workload.ts';
import { defaultCPUUtilization, dropRoundTripAnnotations } from './conversion.ts';
import type { HPASpec, ScalingRules } from './spec.ts';

// The behavior that repeats the controller's historical scaling (autoscaling/v2 defaults.go).
const defaultScaleUp = (): ScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
// No scale-down window: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const defaultScaleDown = (): ScalingRules => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** copyHPAScalingRules: the set fields of `from` over the defaults. */
function withDefaults(from: ScalingRules | undefined, rules: ScalingRules): ScalingRules {
  if (from === undefined || from === null) return rules;
  if (from.selectPolicy !== undefined && from.selectPolicy !== null) rules.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds !== undefined && from.stabilizationWindowSeconds !== null) {
    rules.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  }
  if (from.policies !== undefined && from.policies !== null) rules.policies = from.policies;
  return rules;
}

/** autoscaling/v2 SetDefaults_HorizontalPodAutoscaler and SetDefaults_HorizontalPodAutoscalerBehavior. */
export function defaults(obj: KubeObject): void {
  const s = ensure<HPASpec>(obj, 'spec');
  s.minReplicas ??= 1;
  if ((s.metrics ?? []).length === 0) {
    s.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } },
      },
    ];
  }
  if (isRecord(s.behavior)) {
    s.behavior.scaleUp = withDefaults(s.behavior.scaleUp, defaultScaleUp());
    s.behavior.scaleDown = withDefaults(s.behavior.scaleDown, defaultScaleDown());
  }
}

/** The conversion annotations never stay on a stored object (the v2 conversion drops them). */
export function dropAnnotations(obj: KubeObject): void {
  const kept = dropRoundTripAnnotations(obj.metadata.annotations);
  if (kept === undefined || Object.keys(kept).length === 0) delete obj.metadata.annotations;
  else obj.metadata.annotations = kept;
}
