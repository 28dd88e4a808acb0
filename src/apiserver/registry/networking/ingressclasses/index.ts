import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { nameIsDNSLabel } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import { validateTypedLocalObjectReference } from '../ingresses/index.ts';
import { isDomainPrefixedPath, optionalText, record, text, validateImmutableField } from '../validation.ts';

const maxControllerLength = 250;

const spec = (obj: KubeObject): Record<string, unknown> => record(obj['spec']);

/** validateIngressClassParametersReference: a typed reference plus its scope. */
function validateParameters(raw: unknown): FieldError[] {
  if (raw === undefined || raw === null) return [];
  const params = record(raw);
  const path = 'spec.parameters';
  const errs = validateTypedLocalObjectReference(params, path);
  const scope = optionalText(params['scope']);
  if (scope === undefined) return [...errs, required(fieldPath(path, 'scope'), '')];
  const namespace = optionalText(params['namespace']);
  if (scope !== 'Cluster' && scope !== 'Namespace') {
    errs.push(notSupported(fieldPath(path, 'scope'), scope, ['Cluster', 'Namespace']));
  } else if (scope === 'Namespace') {
    if (namespace === undefined) {
      errs.push(required(fieldPath(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    } else {
      for (const msg of nameIsDNSLabel(namespace, false)) {
        errs.push(invalid(fieldPath(path, 'namespace'), namespace, msg));
      }
    }
  } else if (namespace !== undefined) {
    errs.push(forbidden(fieldPath(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** ValidateIngressClass: the spec part. */
function validate(obj: KubeObject): FieldError[] {
  const controller = text(spec(obj)['controller']);
  const errs: FieldError[] = [];
  if (controller.length > maxControllerLength) {
    errs.push(tooLong('spec.controller', '', maxControllerLength));
  }
  errs.push(...isDomainPrefixedPath('spec.controller', controller));
  errs.push(...validateParameters(spec(obj)['parameters']));
  return errs;
}

/** networking.k8s.io/v1 IngressClass (upstream pkg/registry/networking/ingressclass), cluster-scoped. */
export const ingressclasses: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  resource: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  strategy: {
    prepareForCreate(obj) {
      // Generations count spec changes even when a client sent no spec at all.
      obj.metadata.generation = 1;
    },
    defaults(obj) {
      // SetDefaults_IngressClass: parameters without a scope refer to a cluster-scoped object.
      const params = spec(obj)['parameters'];
      if (params !== null && typeof params === 'object' && !Array.isArray(params)) {
        const p = params as Record<string, unknown>;
        p['scope'] ??= 'Cluster';
      }
    },
    validate,
    validateUpdate: (obj, old) => [
      ...validateImmutableField(spec(obj)['controller'], spec(old)['controller'], 'spec.controller'),
      ...validate(obj),
    ],
  },
  table: {
    columns: [
      nameColumn('ingress class'),
      {
        name: 'Controller',
        type: 'string',
        description: 'Controller that is responsible for handling this class',
        priority: 0,
      },
      {
        name: 'Parameters',
        type: 'string',
        description: 'A reference to a resource with additional parameters',
        priority: 0,
      },
      ageColumn('ingress class'),
    ],
    row: (obj, now) => {
      const raw = spec(obj)['parameters'];
      let parameters = '<none>';
      if (raw !== undefined && raw !== null) {
        const p = record(raw);
        const group = optionalText(p['apiGroup']);
        parameters = `${text(p['kind'])}${group === undefined ? '' : `.${group}`}/${text(p['name'])}`;
      }
      return [obj.metadata.name ?? '', text(spec(obj)['controller']), parameters, age(obj, now)];
    },
  },
};
