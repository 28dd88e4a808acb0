import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.ts';
import { formatQuantity } from '../../api/quantity.ts';
import {
  calculateUsage,
  podLimits,
  podMatchesScope,
  podRequests,
  podUsage,
  type QuotaPod,
  type ResourceQuota,
} from './usage.ts';

const res = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  resources: { requests, limits },
});
const pod = (name: string, spec: QuotaPod['spec'] = {}, phase?: string): QuotaPod => ({
  metadata: { name, namespace: 'ns' },
  spec,
  status: { phase },
});
const show = (m: Map<string, { value: bigint; scale: number; format: string }>) =>
  Object.fromEntries([...m].map(([k, q]) => [k, formatQuantity(q as Parameters<typeof formatQuantity>[0])]));
const quota = (
  hard: Record<string, string>,
  spec: Partial<NonNullable<ResourceQuota['spec']>> = {},
): ResourceQuota => ({
  metadata: { name: 'q', namespace: 'ns' },
  spec: { hard, ...spec },
});

describe('pod usage', () => {
  it('takes the max of the containers and each init container, then adds overhead', () => {
    const p = pod('p', {
      containers: [res({ cpu: '100m', memory: '64Mi' }, { cpu: '200m' }), res({ cpu: '200m' })],
      initContainers: [res({ cpu: '500m', memory: '32Mi' }, { cpu: '1', memory: '1Gi' })],
      overhead: { cpu: '10m', memory: '1Mi' },
    });
    assert.deepEqual(show(podRequests(p)), { cpu: '510m', memory: '65Mi' });
    // Overhead adds only to resources that have limits.
    assert.deepEqual(show(podLimits(p)), { cpu: '1010m', memory: '1025Mi' });
  });

  it('runs sidecars beside later init containers and the regular containers', () => {
    const p = pod('p', {
      containers: [res({ cpu: '100m' })],
      initContainers: [{ ...res({ cpu: '200m' }), restartPolicy: 'Always' }, res({ cpu: '250m' })],
    });
    // max(100m + 200m sidecar, 200m + 250m init) = 450m
    assert.deepEqual(show(podRequests(p)), { cpu: '450m' });
  });

  it('charges compute and pods only for non-terminal pods', () => {
    const spec = { containers: [res({ cpu: '1', memory: '1Gi' }, { memory: '2Gi' })] };
    assert.deepEqual(show(podUsage(pod('p', spec), 0)), {
      'count/pods': '1',
      pods: '1',
      cpu: '1',
      'requests.cpu': '1',
      memory: '1Gi',
      'requests.memory': '1Gi',
      'limits.memory': '2Gi',
    });
    assert.deepEqual(show(podUsage(pod('p', spec, 'Succeeded'), 0)), { 'count/pods': '1' });
  });
});

describe('scopes', () => {
  const be = pod('be', { containers: [{}] });
  const burst = pod('b', {
    containers: [res({ cpu: '100m' })],
    activeDeadlineSeconds: 30,
    priorityClassName: 'high',
  });
  it('matches each scope', () => {
    const m = (p: QuotaPod, scopeName: string) => podMatchesScope(p, { scopeName, operator: 'Exists' });
    assert.deepEqual(
      ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'PriorityClass'].map((s) => [
        m(be, s),
        m(burst, s),
      ]),
      [
        [true, false],
        [false, true],
        [false, true],
        [true, false],
        [false, true],
      ],
    );
    assert.equal(
      podMatchesScope(be, { scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }),
      true,
    );
    assert.equal(
      podMatchesScope(burst, { scopeName: 'PriorityClass', operator: 'In', values: ['high'] }),
      true,
    );
  });

  it('sums only matching pods and charges nothing else under scopes', () => {
    const objects = (resource: string): KubeObject[] | undefined =>
      resource === 'pods' ? [be, burst, pod('done', { containers: [res({ cpu: '1' })] }, 'Failed')] : [];
    assert.deepEqual(
      calculateUsage(quota({ pods: '5', 'requests.cpu': '2', 'count/pods': '9' }), objects, 0),
      {
        pods: '2',
        'requests.cpu': '100m',
        'count/pods': '3',
      },
    );
    assert.deepEqual(
      calculateUsage(
        quota(
          { pods: '5', 'requests.cpu': '2' },
          {
            scopeSelector: {
              matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }],
            },
          },
        ),
        objects,
        0,
      ),
      { pods: '0', 'requests.cpu': '0' },
    );
    assert.deepEqual(
      calculateUsage(quota({ pods: '5', configmaps: '3' }, { scopes: ['BestEffort'] }), objects, 0),
      {
        pods: '1',
        configmaps: '0',
      },
    );
  });

  it('counts services, PVC storage and count/<resource>.<group>', () => {
    const objects = (resource: string, group: string): KubeObject[] | undefined => {
      if (resource === 'services')
        return [{ metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{}, {}] } } as KubeObject];
      if (resource === 'persistentvolumeclaims')
        return [
          { metadata: { name: 'c' }, spec: { resources: { requests: { storage: '1Gi' } } } } as KubeObject,
        ];
      if (resource === 'deployments' && group === 'apps') return [{ metadata: { name: 'd' } }];
      return undefined;
    };
    const hard = {
      services: '9',
      'services.nodeports': '9',
      'requests.storage': '9Gi',
      'count/deployments.apps': '9',
      'count/widgets.example.com': '1',
    };
    assert.deepEqual(calculateUsage(quota(hard), objects, 0), {
      services: '1',
      'services.nodeports': '2',
      'requests.storage': '1Gi',
      'count/deployments.apps': '1',
    });
  });
});
