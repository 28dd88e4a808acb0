import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { objectFields } from '../../../rest/selectors.ts';
import { nodes } from './index.ts';

const now = new Date('2024-01-03T00:00:00Z');

function node(over: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-1', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {},
    ...over,
  };
}

const errors = (obj: KubeObject, old?: KubeObject): string[] =>
  (old === undefined ? nodes.strategy!.validate!(obj) : nodes.strategy!.validateUpdate!(obj, old)).map(
    (e) => `${e.type} ${e.field}`,
  );

describe('nodes table', () => {
  const ready = (status: string) => ({
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status },
    ],
  });
  const cases: Array<{ name: string; obj: KubeObject; status: string; roles: string }> = [
    { name: 'ready', obj: node({ status: ready('True') }), status: 'Ready', roles: '<none>' },
    { name: 'not ready', obj: node({ status: ready('False') }), status: 'NotReady', roles: '<none>' },
    { name: 'ready unknown', obj: node({ status: ready('Unknown') }), status: 'NotReady', roles: '<none>' },
    { name: 'no Ready condition', obj: node({ status: {} }), status: 'Unknown', roles: '<none>' },
    {
      name: 'cordoned',
      obj: node({ spec: { unschedulable: true }, status: ready('True') }),
      status: 'Ready,SchedulingDisabled',
      roles: '<none>',
    },
    {
      name: 'roles from both label forms, sorted, empty suffix ignored',
      obj: node({
        metadata: {
          name: 'worker-1',
          creationTimestamp: '2024-01-01T00:00:00Z',
          labels: {
            'node-role.kubernetes.io/worker': '',
            'node-role.kubernetes.io/control-plane': '',
            'node-role.kubernetes.io/': '',
            'kubernetes.io/role': 'edge',
          },
        },
        spec: { unschedulable: true },
      }),
      status: 'Unknown,SchedulingDisabled',
      roles: 'control-plane,edge,worker',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const row = nodes.table!.row(c.obj, now);
      assert.deepEqual(row.slice(0, 4), ['worker-1', c.status, c.roles, '2d']);
    });
  }

  it('prints the node info and addresses for -o wide', () => {
    const obj = node({
      status: {
        addresses: [
          { type: 'Hostname', address: 'worker-1' },
          { type: 'InternalIP', address: '10.0.0.5' },
          { type: 'InternalIP', address: '10.0.0.6' },
        ],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '' },
      },
    });
    assert.deepEqual(nodes.table!.row(obj, now).slice(4), [
      'v1.32.0',
      '10.0.0.5',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '<unknown>',
      '<unknown>',
    ]);
    assert.deepEqual(
      nodes.table!.columns.map((c) => c.name),
      [
        'Name',
        'Status',
        'Roles',
        'Age',
        'Version',
        'Internal-IP',
        'External-IP',
        'OS-Image',
        'Kernel-Version',
        'Container-Runtime',
      ],
    );
  });
});

describe('nodes strategy', () => {
  it('defaults allocatable to capacity, on create and on status writes', () => {
    const obj = node({ status: { capacity: { cpu: '4', pods: '110' } } });
    nodes.strategy!.defaults!(obj);
    assert.deepEqual((obj['status'] as Record<string, unknown>)['allocatable'], { cpu: '4', pods: '110' });
    const body = node({ spec: { unschedulable: true }, status: { capacity: { cpu: '8' } } });
    nodes.status!.prepareForUpdate!(body, node());
    assert.deepEqual(body['spec'], {});
    assert.deepEqual(body['status'], { capacity: { cpu: '8' }, allocatable: { cpu: '8' } });
  });

  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'a valid node', spec: { podCIDRs: ['10.244.0.0/24', 'fd00::/64'], taints: [] }, want: [] },
    {
      name: 'a taint without effect or a valid key',
      spec: { taints: [{ key: 'bad key!' }] },
      want: ['FieldValueInvalid metadata.taints[0].key', 'FieldValueRequired metadata.taints[0].effect'],
    },
    {
      name: 'an unknown taint effect',
      spec: { taints: [{ key: 'k', effect: 'Sometimes' }] },
      want: ['FieldValueNotSupported metadata.taints[0].effect'],
    },
    {
      name: 'duplicate taints',
      spec: {
        taints: [
          { key: 'k', effect: 'NoSchedule' },
          { key: 'k', value: 'v', effect: 'NoSchedule' },
        ],
      },
      want: ['FieldValueDuplicate metadata.taints[1]'],
    },
    {
      name: 'two IPv4 pod CIDRs',
      spec: { podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] },
      want: ['FieldValueInvalid spec.podCIDRs'],
    },
    {
      name: 'a malformed pod CIDR',
      spec: { podCIDRs: ['10.244.0.0'] },
      want: ['FieldValueInvalid spec.podCIDRs[0]'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(errors(node({ spec: c.spec })), c.want));

  it('lets pod CIDRs and the provider ID be set once', () => {
    const old = node({ spec: { podCIDRs: ['10.244.0.0/24'], providerID: 'aws://i-1' } });
    assert.deepEqual(
      errors(
        node({ spec: { podCIDRs: ['10.244.0.0/24'], providerID: 'aws://i-1', unschedulable: true } }),
        old,
      ),
      [],
    );
    assert.deepEqual(errors(node({ spec: { podCIDRs: ['10.244.1.0/24'], providerID: 'aws://i-2' } }), old), [
      'FieldValueForbidden spec.podCIDRs',
      'FieldValueForbidden spec.providerID',
    ]);
    assert.deepEqual(errors(node({ spec: { podCIDRs: ['10.244.0.0/24'] } }), node()), []);
  });

  it('selects on spec.unschedulable, cluster-scoped', () => {
    assert.deepEqual(objectFields(nodes, node({ spec: { unschedulable: true } })), {
      'metadata.name': 'worker-1',
      'spec.unschedulable': 'true',
    });
    assert.equal(objectFields(nodes, node())['spec.unschedulable'], 'false');
    assert.deepEqual([nodes.namespaced, nodes.shortNames], [false, ['no']]);
  });
});
