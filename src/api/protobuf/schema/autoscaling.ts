// autoscaling/v1 (HorizontalPodAutoscaler, Scale) and autoscaling/v2 (HorizontalPodAutoscaler with
// metrics and behavior). `kubectl autoscale` sends a v1 object up to kubectl 1.32 and a v2 object
// from 1.33 on.
import { list, opt, ptr, req, type KindTable, type MessageTable } from './types.ts';

const v1: MessageTable = {
  'autoscaling.HorizontalPodAutoscaler': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('spec', 'autoscaling.HorizontalPodAutoscalerSpec'),
    3: opt('status', 'autoscaling.HorizontalPodAutoscalerStatus'),
  },
  'autoscaling.HorizontalPodAutoscalerSpec': {
    1: req('scaleTargetRef', 'autoscaling.CrossVersionObjectReference'),
    2: ptr('minReplicas', 'int32'),
    3: req('maxReplicas', 'int32'),
    4: ptr('targetCPUUtilizationPercentage', 'int32'),
  },
  // The same three fields in v1 and v2.
  'autoscaling.CrossVersionObjectReference': { 1: req('kind'), 2: req('name'), 3: opt('apiVersion') },
  'autoscaling.HorizontalPodAutoscalerStatus': {
    1: ptr('observedGeneration', 'int64'),
    2: ptr('lastScaleTime', 'Time'),
    3: req('currentReplicas', 'int32'),
    4: req('desiredReplicas', 'int32'),
    5: ptr('currentCPUUtilizationPercentage', 'int32'),
  },
  'autoscaling.Scale': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('spec', 'autoscaling.ScaleSpec'),
    3: opt('status', 'autoscaling.ScaleStatus'),
  },
  'autoscaling.ScaleSpec': { 1: opt('replicas', 'int32') },
  'autoscaling.ScaleStatus': { 1: req('replicas', 'int32'), 2: opt('selector') },
};

const v2: MessageTable = {
  'autoscalingv2.HorizontalPodAutoscaler': {
    1: opt('metadata', 'meta.ObjectMeta'),
    2: opt('spec', 'autoscalingv2.HorizontalPodAutoscalerSpec'),
    3: opt('status', 'autoscalingv2.HorizontalPodAutoscalerStatus'),
  },
  'autoscalingv2.HorizontalPodAutoscalerSpec': {
    1: req('scaleTargetRef', 'autoscaling.CrossVersionObjectReference'),
    2: ptr('minReplicas', 'int32'),
    3: req('maxReplicas', 'int32'),
    4: list('metrics', 'autoscalingv2.MetricSpec'),
    5: ptr('behavior', 'autoscalingv2.HorizontalPodAutoscalerBehavior'),
  },
  // One of object, pods, resource, containerResource, external, as `type` says.
  'autoscalingv2.MetricSpec': {
    1: req('type'),
    2: ptr('object', 'autoscalingv2.ObjectMetricSource'),
    3: ptr('pods', 'autoscalingv2.PodsMetricSource'),
    4: ptr('resource', 'autoscalingv2.ResourceMetricSource'),
    7: ptr('containerResource', 'autoscalingv2.ContainerResourceMetricSource'),
    5: ptr('external', 'autoscalingv2.PodsMetricSource'),
  },
  'autoscalingv2.ObjectMetricSource': {
    1: req('describedObject', 'autoscaling.CrossVersionObjectReference'),
    2: req('target', 'autoscalingv2.MetricTarget'),
    3: req('metric', 'autoscalingv2.MetricIdentifier'),
  },
  // ExternalMetricSource has the same two fields.
  'autoscalingv2.PodsMetricSource': {
    1: req('metric', 'autoscalingv2.MetricIdentifier'),
    2: req('target', 'autoscalingv2.MetricTarget'),
  },
  'autoscalingv2.ResourceMetricSource': { 1: req('name'), 2: req('target', 'autoscalingv2.MetricTarget') },
  'autoscalingv2.ContainerResourceMetricSource': {
    1: req('name'),
    2: req('target', 'autoscalingv2.MetricTarget'),
    3: req('container'),
  },
  'autoscalingv2.MetricIdentifier': { 1: req('name'), 2: ptr('selector', 'meta.LabelSelector') },
  'autoscalingv2.MetricTarget': {
    1: req('type'),
    2: ptr('value', 'Quantity'),
    3: ptr('averageValue', 'Quantity'),
    4: ptr('averageUtilization', 'int32'),
  },
  'autoscalingv2.HorizontalPodAutoscalerBehavior': {
    1: ptr('scaleUp', 'autoscalingv2.HPAScalingRules'),
    2: ptr('scaleDown', 'autoscalingv2.HPAScalingRules'),
  },
  'autoscalingv2.HPAScalingRules': {
    3: ptr('stabilizationWindowSeconds', 'int32'),
    1: ptr('selectPolicy'),
    2: list('policies', 'autoscalingv2.HPAScalingPolicy'),
  },
  'autoscalingv2.HPAScalingPolicy': {
    1: req('type'),
    2: req('value', 'int32'),
    3: req('periodSeconds', 'int32'),
  },
  'autoscalingv2.HorizontalPodAutoscalerStatus': {
    1: ptr('observedGeneration', 'int64'),
    2: ptr('lastScaleTime', 'Time'),
    3: opt('currentReplicas', 'int32'),
    4: req('desiredReplicas', 'int32'),
    // No omitempty: `"currentMetrics": null` in every fresh object.
    5: list('currentMetrics', 'autoscalingv2.MetricStatus', 'required'),
    6: list('conditions', 'autoscalingv2.HorizontalPodAutoscalerCondition'),
  },
  'autoscalingv2.MetricStatus': {
    1: req('type'),
    2: ptr('object', 'autoscalingv2.ObjectMetricStatus'),
    3: ptr('pods', 'autoscalingv2.PodsMetricStatus'),
    4: ptr('resource', 'autoscalingv2.ResourceMetricStatus'),
    7: ptr('containerResource', 'autoscalingv2.ContainerResourceMetricStatus'),
    5: ptr('external', 'autoscalingv2.PodsMetricStatus'),
  },
  'autoscalingv2.ObjectMetricStatus': {
    1: req('metric', 'autoscalingv2.MetricIdentifier'),
    2: req('current', 'autoscalingv2.MetricValueStatus'),
    3: req('describedObject', 'autoscaling.CrossVersionObjectReference'),
  },
  // ExternalMetricStatus has the same two fields.
  'autoscalingv2.PodsMetricStatus': {
    1: req('metric', 'autoscalingv2.MetricIdentifier'),
    2: req('current', 'autoscalingv2.MetricValueStatus'),
  },
  'autoscalingv2.ResourceMetricStatus': {
    1: req('name'),
    2: req('current', 'autoscalingv2.MetricValueStatus'),
  },
  'autoscalingv2.ContainerResourceMetricStatus': {
    1: req('name'),
    2: req('current', 'autoscalingv2.MetricValueStatus'),
    3: req('container'),
  },
  'autoscalingv2.MetricValueStatus': {
    1: ptr('value', 'Quantity'),
    2: ptr('averageValue', 'Quantity'),
    3: ptr('averageUtilization', 'int32'),
  },
  'autoscalingv2.HorizontalPodAutoscalerCondition': {
    1: req('type'),
    2: req('status'),
    3: opt('lastTransitionTime', 'Time'),
    4: opt('reason'),
    5: opt('message'),
  },
};

export const autoscalingMessages: MessageTable = { ...v1, ...v2 };

export const autoscalingKinds: KindTable = {
  'autoscaling/v1 HorizontalPodAutoscaler': 'autoscaling.HorizontalPodAutoscaler',
  'autoscaling/v1 Scale': 'autoscaling.Scale',
  'autoscaling/v2 HorizontalPodAutoscaler': 'autoscalingv2.HorizontalPodAutoscaler',
};
