import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { ingressclasses } from './index.ts';

const now = new Date('2024-01-01T03:00:00Z');

function ingressClass(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
  };
}

const validate = (obj: KubeObject) => ingressclasses.strategy!.validate!(obj).map(errorString);

describe('ingressclasses', () => {
  it('is cluster-scoped', () => {
    assert.equal(ingressclasses.namespaced, false);
    assert.equal(ingressclasses.resource, 'ingressclasses');
  });

  it('defaults the scope of parameters to Cluster', () => {
    const obj = ingressClass({ controller: 'k8s.io/nginx', parameters: { kind: 'Config', name: 'c' } });
    ingressclasses.strategy!.defaults!(obj);
    assert.deepEqual((obj['spec'] as Record<string, unknown>)['parameters'], {
      kind: 'Config',
      name: 'c',
      scope: 'Cluster',
    });
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a domain-prefixed controller', { controller: 'k8s.io/ingress-nginx' }, []],
    ['no controller', {}, ['spec.controller: Required value']],
    [
      'a controller without path',
      { controller: 'nginx' },
      ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'],
    ],
    [
      'a controller path with a space',
      { controller: 'acme.io/a b' },
      [
        `spec.controller: Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
      ],
    ],
    [
      'namespace-scoped parameters without namespace',
      { controller: 'acme.io/c', parameters: { kind: 'Config', name: 'c', scope: 'Namespace' } },
      ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    ],
    [
      'cluster-scoped parameters with a namespace',
      {
        controller: 'acme.io/c',
        parameters: { kind: 'Config', name: 'c', scope: 'Cluster', namespace: 'x' },
      },
      ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    ],
    [
      'an unknown scope',
      { controller: 'acme.io/c', parameters: { kind: 'Config', name: 'c', scope: 'Global' } },
      ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    ],
    [
      'parameters without kind and name',
      { controller: 'acme.io/c', parameters: { scope: 'Cluster' } },
      [
        'spec.parameters.kind: Required value: kind is required',
        'spec.parameters.name: Required value: name is required',
      ],
    ],
    [
      'a controller longer than 250 bytes',
      { controller: `acme.io/${'a'.repeat(250)}` },
      ['spec.controller: Too long: must have at most 250 bytes'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`validates ${name}`, () => assert.deepEqual(validate(ingressClass(spec)), want));
  }

  it('keeps the controller immutable', () => {
    const old = ingressClass({ controller: 'acme.io/a' });
    const next = ingressClass({ controller: 'acme.io/b' });
    assert.deepEqual(ingressclasses.strategy!.validateUpdate!(next, old).map(errorString), [
      'spec.controller: Invalid value: "acme.io/b": field is immutable',
    ]);
  });

  it('prints controller and parameters', () => {
    assert.deepEqual(
      ingressclasses.table!.columns.map((c) => c.name),
      ['Name', 'Controller', 'Parameters', 'Age'],
    );
    assert.deepEqual(ingressclasses.table!.row(ingressClass({ controller: 'acme.io/c' }), now), [
      'nginx',
      'acme.io/c',
      '<none>',
      '3h',
    ]);
    const withParams = ingressClass({
      controller: 'acme.io/c',
      parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' },
    });
    assert.deepEqual(ingressclasses.table!.row(withParams, now), [
      'nginx',
      'acme.io/c',
      'IngressParameters.k8s.example.com/external-lb',
      '3h',
    ]);
  });
});
