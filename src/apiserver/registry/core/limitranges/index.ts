import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  required,
} from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import {
  compareQuantity,
  formatQuantity,
  type Quantity,
  toMilli,
  toValue,
} from '../../../../api/quantity.ts';
import { isQualifiedName } from '../../../../api/validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import {
  ensure,
  list,
  rec,
  str,
  tryQuantity,
  validateContainerResourceName,
  validateResourceName,
} from '../shared.ts';

interface LimitRangeItem {
  type?: string;
  max?: Record<string, unknown>;
  min?: Record<string, unknown>;
  default?: Record<string, unknown>;
  defaultRequest?: Record<string, unknown>;
  maxLimitRequestRatio?: Record<string, unknown>;
}

const limits = (obj: KubeObject): LimitRangeItem[] =>
  list<unknown>(rec(obj['spec'])['limits']).map((l) => rec(l) as LimitRangeItem);

const standardLimitTypes = ['Pod', 'Container', 'PersistentVolumeClaim'];

/**
 * SetDefaults_LimitRangeItem: for containers, a missing default limit is the max, a missing
 * default request the default limit, failing that the min.
 */
function defaultItem(item: Record<string, unknown>): void {
  if (item['type'] !== 'Container') return;
  const defaults = ensure(item, 'default');
  const defaultRequest = ensure(item, 'defaultRequest');
  for (const [k, v] of Object.entries(rec(item['max']))) if (!(k in defaults)) defaults[k] = v;
  for (const [k, v] of Object.entries(defaults)) if (!(k in defaultRequest)) defaultRequest[k] = v;
  for (const [k, v] of Object.entries(rec(item['min']))) if (!(k in defaultRequest)) defaultRequest[k] = v;
}

/** validateLimitRangeTypeName: a qualified name, standard unless it names its domain. */
function validateTypeName(value: string, path: string): FieldError[] {
  const errors = isQualifiedName(value).map((msg) => invalid(path, value, msg));
  if (errors.length === 0 && !value.includes('/') && !standardLimitTypes.includes(value)) {
    errors.push(invalid(path, value, 'must be a standard limit type or fully qualified'));
  }
  return errors;
}

/** helper.IsOvercommitAllowed: not for hugepages or extended resources. */
const overcommitAllowed = (name: string): boolean => !name.includes('/') && !name.startsWith('hugepages-');

// resource.MaxMilliValue: beyond it, ratios are computed in whole units.
const maxMilliValue = 2n ** 63n / 1000n;

/** Go's %f: six decimals. */
const formatFloat = (n: number): string => (Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : 'NaN');

/** ValidateLimitRange (pkg/apis/core/validation/validation.go). */
function validateLimitRange(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const seenTypes = new Set<string>();
  limits(obj).forEach((limit, i) => {
    const path = fieldPath('spec.limits', i);
    const type = str(limit.type);
    errors.push(...validateTypeName(type, fieldPath(path, 'type')));
    if (seenTypes.has(type)) errors.push(duplicate(fieldPath(path, 'type'), type));
    seenTypes.add(type);
    const checkName =
      type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
    const keys = new Set<string>();
    const collect = (field: keyof LimitRangeItem): Map<string, Quantity> => {
      const out = new Map<string, Quantity>();
      for (const [k, v] of Object.entries(rec(limit[field]))) {
        errors.push(...checkName(k, fieldPath(path, field, { key: k })));
        keys.add(k);
        const q = tryQuantity(v);
        if (q === undefined)
          errors.push(invalid(fieldPath(path, field, { key: k }), v, 'must be a valid resource quantity'));
        else out.set(k, q);
      }
      return out;
    };
    const max = collect('max');
    const min = collect('min');
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (Object.keys(rec(limit.default)).length > 0)
        errors.push(forbidden(fieldPath(path, 'default'), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(rec(limit.defaultRequest)).length > 0)
        errors.push(
          forbidden(fieldPath(path, 'defaultRequest'), "may not be specified when `type` is 'Pod'"),
        );
    } else {
      defaults = collect('default');
      defaultRequests = collect('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !max.has('storage') && !min.has('storage')) {
      errors.push(
        required(
          fieldPath(path, 'limits'),
          'either minimum or maximum storage value is required, but neither was provided',
        ),
      );
    }
    const ratios = collect('maxLimitRequestRatio');
    const s = formatQuantity;
    for (const k of [...keys].sort()) {
      const mn = min.get(k);
      const mx = max.get(k);
      const def = defaults.get(k);
      const defReq = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const p = (field: string): string => fieldPath(path, field, { key: k });
      if (mn && mx && compareQuantity(mn, mx) > 0)
        errors.push(invalid(p('min'), s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (defReq && mn && compareQuantity(mn, defReq) > 0)
        errors.push(
          invalid(
            p('defaultRequest'),
            s(defReq),
            `min value ${s(mn)} is greater than default request value ${s(defReq)}`,
          ),
        );
      if (defReq && mx && compareQuantity(defReq, mx) > 0)
        errors.push(
          invalid(
            p('defaultRequest'),
            s(defReq),
            `default request value ${s(defReq)} is greater than max value ${s(mx)}`,
          ),
        );
      if (defReq && def && compareQuantity(defReq, def) > 0)
        errors.push(
          invalid(
            p('defaultRequest'),
            s(defReq),
            `default request value ${s(defReq)} is greater than default limit value ${s(def)}`,
          ),
        );
      if (def && mn && compareQuantity(mn, def) > 0)
        errors.push(
          invalid(p('default'), s(mn), `min value ${s(mn)} is greater than default value ${s(def)}`),
        );
      if (def && mx && compareQuantity(def, mx) > 0)
        errors.push(
          invalid(p('default'), s(mx), `default value ${s(def)} is greater than max value ${s(mx)}`),
        );
      if (ratio && compareQuantity(ratio, { value: 1n, scale: 0, format: 'DecimalSI' }) < 0)
        errors.push(invalid(p('maxLimitRequestRatio'), s(ratio), `ratio ${s(ratio)} is less than 1`));
      if (ratio && mn && mx) {
        let ratioValue = Number(toValue(ratio));
        let minValue = toValue(mn);
        let maxValue = toValue(mx);
        if (toValue(ratio) < maxMilliValue && minValue < maxMilliValue && maxValue < maxMilliValue) {
          ratioValue = Number(toMilli(ratio)) / 1000;
          minValue = toMilli(mn);
          maxValue = toMilli(mx);
        }
        const limit = Number(maxValue) / Number(minValue);
        if (ratioValue > limit) {
          errors.push(
            invalid(
              p('maxLimitRequestRatio'),
              s(ratio),
              `ratio ${s(ratio)} is greater than max/min = ${formatFloat(limit)}`,
            ),
          );
        }
      }
      // Resources that cannot be overcommitted need the default limit and request to agree.
      if (!overcommitAllowed(k) && def && defReq && compareQuantity(def, defReq) !== 0) {
        errors.push(
          invalid(
            p('defaultRequest'),
            s(defReq),
            `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`,
          ),
        );
      }
    }
  });
  return errors;
}

/** core/v1 LimitRange (upstream pkg/registry/core/limitrange); upstream prints no own columns. */
export const limitranges: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  resource: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  strategy: {
    defaults(obj) {
      for (const item of list<unknown>(rec(obj['spec'])['limits'])) if (isRecord(item)) defaultItem(item);
    },
    validate: validateLimitRange,
  },
};
