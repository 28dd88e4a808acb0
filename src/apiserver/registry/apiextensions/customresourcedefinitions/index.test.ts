import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { tableColumns } from '../../../handlers/table.ts';
import { customresourcedefinitions as crds } from './index.ts';

const ctx = { user: { name: 'u', groups: [] } };
const schema = { openAPIV3Schema: { type: 'object' } };

function crd(spec: Record<string, unknown>, name = 'widgets.example.com'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema }],
      ...spec,
    },
  };
}

/** What the create handler does before validating: prepare, then default. */
function created(spec: Record<string, unknown>, name?: string): KubeObject {
  const obj = crd(spec, name);
  crds.strategy!.prepareForCreate!(obj, ctx);
  crds.strategy!.defaults!(obj);
  return obj;
}

const validate = (spec: Record<string, unknown>, name?: string) =>
  crds.strategy!.validate!(created(spec, name)).map(errorString);

describe('customresourcedefinitions: definition', () => {
  it('is cluster-scoped with short names, a category, a status and the default table', () => {
    assert.equal(crds.namespaced, false);
    assert.deepEqual(crds.shortNames, ['crd', 'crds']);
    assert.deepEqual(crds.categories, ['api-extensions']);
    assert.ok(crds.status);
    assert.deepEqual(
      tableColumns(crds).map((c) => c.name),
      ['Name', 'Created At'],
    );
  });
});

describe('customresourcedefinitions: defaults', () => {
  it('fills singular, listKind, conversion and the stored version', () => {
    const obj = created({});
    const spec = obj['spec'] as Record<string, unknown>;
    assert.deepEqual(spec['names'], {
      plural: 'widgets',
      kind: 'Widget',
      singular: 'widget',
      listKind: 'WidgetList',
    });
    assert.deepEqual(spec['conversion'], { strategy: 'None' });
    assert.deepEqual(obj['status'], {
      conditions: null,
      acceptedNames: { plural: '', kind: '' },
      storedVersions: ['v1'],
    });
  });

  it('defaults a conversion webhook service port to 443', () => {
    const conversion = {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { name: 'conv', namespace: 'x' } },
        conversionReviewVersions: ['v1'],
      },
    };
    const spec = created({ conversion })['spec'] as { conversion: typeof conversion };
    assert.deepEqual(spec.conversion.webhook.clientConfig.service, {
      name: 'conv',
      namespace: 'x',
      port: 443,
    });
  });

  it('adds a new storage version to storedVersions on update, keeping the old ones', () => {
    const old = created({});
    const next = crd({
      versions: [
        { name: 'v1', served: true, storage: false, schema },
        { name: 'v2', served: true, storage: true, schema },
      ],
    });
    next['status'] = old['status'];
    crds.strategy!.prepareForUpdate!(next, old);
    assert.deepEqual((next['status'] as Record<string, unknown>)['storedVersions'], ['v1', 'v2']);
    assert.deepEqual((old['status'] as Record<string, unknown>)['storedVersions'], ['v1']);
  });
});

describe('customresourcedefinitions: validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[], string?]> = [
    ['a valid CRD', {}, []],
    [
      'a name other than plural.group',
      {},
      ['metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group'],
      'gadgets.example.com',
    ],
    [
      'a group without a dot',
      { group: 'example' },
      [
        'metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
        'spec.group: Invalid value: "example": should be a domain with at least one dot',
      ],
    ],
    ['no scope', { scope: '' }, ['spec.scope: Required value']],
    [
      'an unknown scope',
      { scope: 'Global' },
      ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    ],
    [
      'no versions',
      { versions: [] },
      [
        'spec.versions: Invalid value: []string(nil): must have exactly one version marked as storage version',
        'status.storedVersions: Invalid value: []string(nil): must have at least one stored version',
      ],
    ],
    [
      'two storage versions',
      {
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          { name: 'v2', served: true, storage: true, schema },
        ],
      },
      [
        'spec.versions: Invalid value: [{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]: must have exactly one version marked as storage version',
        'status.storedVersions: Invalid value: []string{"v1"}: must have the storage version v2',
      ],
    ],
    [
      'a version without schema',
      { versions: [{ name: 'v1', served: true, storage: true }] },
      ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    ],
    [
      'no plural and no kind',
      { names: {} },
      [
        'metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
        'spec.names.plural: Required value',
        'spec.names.singular: Required value',
        'spec.names.kind: Required value',
        'spec.names.listKind: Required value',
      ],
    ],
    [
      'kind equal to listKind',
      { names: { plural: 'widgets', kind: 'Widget', listKind: 'Widget' } },
      ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same'],
    ],
    [
      'a kind that is no DNS-1035 label in any case (the defaulted singular neither)',
      { names: { plural: 'widgets', kind: 'Wid_get' } },
      [
        `spec.names.singular: Invalid value: "wid_get": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        `spec.names.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        `spec.names.listKind: Invalid value: "Wid_getList": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'preserveUnknownFields',
      { preserveUnknownFields: true },
      [
        'spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ],
    ],
    [
      'a webhook conversion without client config',
      { conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } } },
      ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook'],
    ],
    [
      'an unknown conversion strategy',
      { conversion: { strategy: 'Magic' } },
      ['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"'],
    ],
  ];
  for (const [name, spec, want, crdName] of cases) {
    it(name, () => assert.deepEqual(validate(spec, crdName), want));
  }

  it('requires API approval for groups under k8s.io', () => {
    const spec = { group: 'widgets.k8s.io' };
    assert.deepEqual(validate(spec, 'widgets.widgets.k8s.io'), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    const approved = created(spec, 'widgets.widgets.k8s.io');
    approved.metadata.annotations = {
      'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/1',
    };
    assert.deepEqual(crds.strategy!.validate!(approved), []);
    approved.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, experimental' };
    assert.deepEqual(crds.strategy!.validate!(approved), []);
    approved.metadata.annotations = { 'api-approved.kubernetes.io': 'yes please' };
    assert.deepEqual(crds.strategy!.validate!(approved).map(errorString), [
      'metadata.annotations[api-approved.kubernetes.io]: Invalid value: "yes please": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
  });
});

describe('customresourcedefinitions: updates', () => {
  it('keeps group and plural immutable, scope and kind once established', () => {
    const old = created({});
    const next = structuredClone(old);
    const spec = next['spec'] as { group: string; scope: string; names: Record<string, string> };
    spec.group = 'example.org';
    spec.scope = 'Cluster';
    spec.names['plural'] = 'gadgets';
    assert.deepEqual(crds.strategy!.validateUpdate!(next, old).map(errorString), [
      'spec.group: Invalid value: "example.org": field is immutable',
      'spec.names.plural: Invalid value: "gadgets": field is immutable',
    ]);
    (old['status'] as Record<string, unknown>)['conditions'] = [{ type: 'Established', status: 'True' }];
    assert.deepEqual(
      crds.strategy!.validateUpdate!(next, old).map((e) => e.field),
      ['spec.scope', 'spec.group', 'spec.names.plural'],
    );
  });

  it('refuses to drop a version objects may still be stored in', () => {
    const old = created({});
    const next = structuredClone(old);
    (next['spec'] as Record<string, unknown>)['versions'] = [
      { name: 'v2', served: true, storage: true, schema },
    ];
    crds.strategy!.prepareForUpdate!(next, old);
    assert.deepEqual(crds.strategy!.validateUpdate!(next, old).map(errorString), [
      'status.storedVersions[0]: Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions',
    ]);
  });

  it('validates accepted names on status updates', () => {
    const obj = created({});
    obj['status'] = { acceptedNames: { plural: 'Widgets', kind: 'Widget' }, storedVersions: ['v1'] };
    const errs = crds.status!.validateUpdate!(obj, obj);
    assert.deepEqual(
      errs.map((e) => e.field),
      ['status.acceptedNames.plural'],
    );
  });
});
