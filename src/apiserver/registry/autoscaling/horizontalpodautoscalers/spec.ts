import type { KubeObject } from '../../../../api/meta.ts';
import { rec } from '../../apps/workload.ts';

export interface MetricTarget {
  type?: string;
  value?: string | number;
  averageValue?: string | number;
  averageUtilization?: number;
}

export interface MetricIdentifier {
  name?: string;
  selector?: unknown;
}

export interface MetricSpec {
  type?: string;
  object?: {
    describedObject?: CrossVersionObjectReference;
    metric?: MetricIdentifier;
    target?: MetricTarget;
  };
  pods?: { metric?: MetricIdentifier; target?: MetricTarget };
  resource?: { name?: string; target?: MetricTarget };
  containerResource?: { name?: string; container?: string; target?: MetricTarget };
  external?: { metric?: MetricIdentifier; target?: MetricTarget };
}

interface MetricValueStatus {
  value?: string | number;
  averageValue?: string | number;
  averageUtilization?: number;
}

export interface MetricStatus {
  type?: string;
  object?: { current?: MetricValueStatus };
  pods?: { current?: MetricValueStatus };
  resource?: { current?: MetricValueStatus };
  containerResource?: { current?: MetricValueStatus };
  external?: { current?: MetricValueStatus };
}

export interface CrossVersionObjectReference {
  kind?: string;
  name?: string;
  apiVersion?: string;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: string;
  policies?: { type?: string; value?: number; periodSeconds?: number }[];
}

export interface HPASpec {
  scaleTargetRef?: CrossVersionObjectReference;
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: MetricSpec[];
  behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } | null;
}

export const spec = (obj: KubeObject): HPASpec => rec(obj['spec']) as HPASpec;
export const status = (obj: KubeObject): { currentReplicas?: number; currentMetrics?: MetricStatus[] } =>
  rec(obj['status']);

export const has = (v: unknown): boolean => v !== undefined && v !== null;
