import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { networkpolicies } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function policy(spec: Record<string, unknown> | undefined): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  };
  if (spec !== undefined) obj['spec'] = spec;
  return obj;
}

const defaulted = (spec: Record<string, unknown> | undefined): Record<string, unknown> => {
  const obj = policy(spec);
  networkpolicies.strategy!.defaults!(obj);
  return obj['spec'] as Record<string, unknown>;
};

const validate = (spec: Record<string, unknown>) =>
  networkpolicies.strategy!.validate!(policy(spec)).map(errorString);

describe('networkpolicies: defaults', () => {
  const cases: Array<[string, Record<string, unknown> | undefined, unknown]> = [
    ['no spec at all', undefined, ['Ingress']],
    ['ingress rules only', { ingress: [{}] }, ['Ingress']],
    ['egress rules', { egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit policy types', { policyTypes: ['Egress'], egress: [{}] }, ['Egress']],
  ];
  for (const [name, spec, want] of cases) {
    it(`policyTypes for ${name}`, () => assert.deepEqual(defaulted(spec)['policyTypes'], want));
  }

  it('defaults port protocols to TCP and the pod selector to empty', () => {
    const spec = defaulted({
      ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }] }],
      egress: [{ ports: [{}] }],
    });
    assert.deepEqual(spec['podSelector'], {});
    assert.deepEqual(spec['ingress'], [{ ports: [{ port: 80, protocol: 'TCP' }, { protocol: 'UDP' }] }]);
    assert.deepEqual(spec['egress'], [{ ports: [{ protocol: 'TCP' }] }]);
  });
});

describe('networkpolicies: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['an empty policy', { podSelector: {} }, []],
    [
      'a selector with a bad operator',
      { podSelector: { matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] } },
      ['spec.podSelector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator'],
    ],
    [
      'In without values',
      { podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      [
        "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'an unknown protocol',
      { ingress: [{ ports: [{ protocol: 'ICMP' }] }] },
      [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      ],
    ],
    [
      'an endPort below the port',
      { egress: [{ ports: [{ port: 8080, endPort: 80 }] }] },
      ['spec.egress[0].ports[0].endPort: Invalid value: 8080: must be greater than or equal to `port`'],
    ],
    [
      'an endPort with a named port',
      { ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] },
      [
        'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
      ],
    ],
    [
      'an endPort without port',
      { ingress: [{ ports: [{ endPort: 90 }] }] },
      [
        'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      ],
    ],
    [
      'a peer of no kind',
      { ingress: [{ from: [{}] }] },
      ['spec.ingress[0].from[0]: Required value: must specify a peer'],
    ],
    [
      'an ipBlock together with a selector',
      { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer'],
    ],
    [
      'pod and namespace selectors together',
      { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] },
      [],
    ],
    [
      'an invalid CIDR',
      { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      [
        'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    ],
    [
      'exceptions outside the CIDR',
      {
        egress: [
          {
            to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24', '10.1.0.0/24', '10.0.0.0/16'] } }],
          },
        ],
      },
      [
        'spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
        'spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
      ],
    ],
    [
      'an IPv6 exception inside an IPv6 CIDR',
      { egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] },
      [],
    ],
    [
      'an unknown policy type',
      { policyTypes: ['Ingress', 'Sideways'] },
      ['spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"'],
    ],
    [
      'three policy types',
      { policyTypes: ['Ingress', 'Egress', 'Ingress'] },
      [
        'spec.policyTypes: Invalid value: []string{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(validate(spec), want));
  }

  it('keeps stored selectors with invalid label values on update', () => {
    const spec = { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['-bad-'] }] } };
    assert.equal(validate(spec).length, 1);
    assert.deepEqual(networkpolicies.strategy!.validateUpdate!(policy(spec), policy(spec)), []);
  });
});

describe('networkpolicies: table', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an empty selector', { podSelector: {} }, '<none>'],
    ['match labels', { podSelector: { matchLabels: { role: 'db', app: 'x' } } }, 'app=x,role=db'],
    [
      'expressions',
      { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['b', 'a'] }] } },
      'tier notin (a,b)',
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(networkpolicies.table!.row(policy(spec), now), ['deny', want, '3h']));
  }
});
