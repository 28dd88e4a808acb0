import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { isQualifiedName } from '../../../../api/validation.ts';
import { age, ageColumn, nameColumn } from '../../../handlers/table.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  list,
  optionalText,
  record,
  semanticEqual,
  text,
  validateImmutableField,
  validateLabelName,
} from '../../networking/validation.ts';

const maxParameters = 512;
const maxParametersSize = 256 * 1024;
// sets.List() order: sorted.
const reclaimPolicies = ['Delete', 'Retain'];
const bindingModes = ['Immediate', 'WaitForFirstConsumer'];

/** storageutil.IsDefaultAnnotation: the GA annotation, or the beta one older clusters set. */
export function isDefaultClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return (
    a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

/** validateParameters: at most 512 entries and 256 KiB, no empty keys. */
function validateParameters(raw: unknown): FieldError[] {
  const params = Object.entries(record(raw));
  if (params.length > maxParameters) {
    return [tooLong('parameters', 'Provisioner Parameters exceeded max allowed', maxParameters)];
  }
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of params) {
    if (k === '') errs.push(invalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(text(v));
  }
  if (size > maxParametersSize) errs.push(tooLong('parameters', '', maxParametersSize));
  return errs;
}

/** validateAllowedTopologies: each term's label requirements, no duplicate terms. */
function validateAllowedTopologies(raw: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const terms = list(raw);
  // Upstream starts its list of seen terms with one nil map per term, so a term without expressions
  // counts as a duplicate; kept.
  const seen: Array<Map<string, Set<string>>> = terms.map(() => new Map());
  terms.forEach((t, i) => {
    const termPath = fieldPath('allowedTopologies', i);
    const expressions = new Map<string, Set<string>>();
    list(record(t)['matchLabelExpressions']).forEach((e, j) => {
      const expr = record(e);
      const path = fieldPath(termPath, 'matchLabelExpressions', j);
      const values = list(expr['values']).map(text);
      if (values.length === 0) errs.push(required(fieldPath(path, 'values'), ''));
      const set = new Set<string>();
      values.forEach((v, k) => {
        if (set.has(v)) errs.push(duplicate(fieldPath(path, 'values', k), v));
        set.add(v);
      });
      const key = text(expr['key']);
      errs.push(...validateLabelName(key, fieldPath(path, 'key')));
      if (expressions.has(key)) errs.push(duplicate(fieldPath(path, 'key'), key));
      expressions.set(key, set);
    });
    if (seen.some((m) => semanticEqual(mapToObject(m), mapToObject(expressions)))) {
      errs.push(duplicate(fieldPath(termPath, 'matchLabelExpressions'), ''));
    }
    seen.push(expressions);
  });
  return errs;
}

function mapToObject(m: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));
}

/** ValidateStorageClass, less the metadata. */
function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = text(obj['provisioner']);
  if (provisioner === '') errs.push(required('provisioner', provisioner));
  // ValidateQualifiedName of the lower-cased provisioner: CSI driver names may carry upper case.
  const lower = provisioner.toLowerCase();
  for (const msg of provisioner === '' ? [] : isQualifiedName(lower))
    errs.push(invalid('provisioner', lower, msg));
  errs.push(...validateParameters(obj['parameters']));
  const reclaimPolicy = text(obj['reclaimPolicy']);
  if (reclaimPolicy !== '' && !reclaimPolicies.includes(reclaimPolicy)) {
    errs.push(notSupported('reclaimPolicy', reclaimPolicy, reclaimPolicies));
  }
  const mode = optionalText(obj['volumeBindingMode']);
  if (mode === undefined) errs.push(required('volumeBindingMode', ''));
  else if (!bindingModes.includes(mode)) errs.push(notSupported('volumeBindingMode', mode, bindingModes));
  errs.push(...validateAllowedTopologies(obj['allowedTopologies']));
  return errs;
}

/** ValidateStorageClassUpdate: what provisioned volumes depend on stays as it was. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validate(obj);
  if (!semanticEqual(obj['parameters'], old['parameters'])) {
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  }
  if (text(obj['provisioner']) !== text(old['provisioner'])) {
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  }
  if (text(obj['reclaimPolicy']) !== text(old['reclaimPolicy'])) {
    errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  }
  errs.push(
    ...validateImmutableField(obj['volumeBindingMode'], old['volumeBindingMode'], 'volumeBindingMode'),
  );
  return errs;
}

/** storage.k8s.io/v1 StorageClass (upstream pkg/registry/storage/storageclass), cluster-scoped. */
export const storageclasses: ResourceDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  strategy: {
    defaults(obj) {
      // SetDefaults_StorageClass.
      obj['reclaimPolicy'] ??= 'Delete';
      obj['volumeBindingMode'] ??= 'Immediate';
    },
    validate,
    validateUpdate,
  },
  table: {
    columns: [
      nameColumn('storage class'),
      {
        name: 'Provisioner',
        type: 'string',
        description: 'provisioner indicates the type of the provisioner.',
        priority: 0,
      },
      {
        name: 'ReclaimPolicy',
        type: 'string',
        description:
          'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
        priority: 0,
      },
      {
        name: 'VolumeBindingMode',
        type: 'string',
        description:
          'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
        priority: 0,
      },
      {
        name: 'AllowVolumeExpansion',
        type: 'string',
        description: 'allowVolumeExpansion shows whether the storage class allow volume expand.',
        priority: 0,
      },
      ageColumn('storage class'),
    ],
    row: (obj, now) => [
      `${obj.metadata.name ?? ''}${isDefaultClass(obj) ? ' (default)' : ''}`,
      text(obj['provisioner']),
      optionalText(obj['reclaimPolicy']) ?? 'Delete',
      optionalText(obj['volumeBindingMode']) ?? 'Immediate',
      obj['allowVolumeExpansion'] === true,
      age(obj, now),
    ],
  },
};
