// Scheduling constraints of a pod spec, after pkg/apis/core/validation v1.32: validateAffinity (node
// selector terms, pod (anti-)affinity terms), ValidateTolerations and
// validateTopologySpreadConstraints.
import {
  duplicate,
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isDNS1123Label, isValidLabelValue } from '../../../../api/validation.ts';
import {
  dnsSubdomain,
  isSet,
  num,
  type Obj,
  qualifiedName,
  rec,
  recs,
  str,
  strings,
  validateLabelSelector,
} from './util.ts';

/** ValidateNodeSelectorRequirement. */
function nodeSelectorRequirement(rq: Obj, checkValues: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const values = strings(rq['values']);
  const operator = str(rq['operator']);
  const valuesPath = fieldPath(path, 'values');
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0)
      errors.push(required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0)
      errors.push(
        forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
  } else if (operator === 'Gt' || operator === 'Lt') {
    if (values.length !== 1)
      errors.push(required(valuesPath, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errors.push(invalid(fieldPath(path, 'operator'), operator, 'not a valid selector operator'));
  }
  errors.push(...qualifiedName(str(rq['key']), fieldPath(path, 'key')));
  if (checkValues)
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(v)) errors.push(invalid(fieldPath(valuesPath, i), v, m));
    });
  return errors;
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, with one value. */
function nodeFieldRequirement(rq: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const operator = str(rq['operator']);
  const values = strings(rq['values']);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1)
      errors.push(
        required(
          fieldPath(path, 'values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
  } else {
    errors.push(invalid(fieldPath(path, 'operator'), operator, 'not a valid selector operator'));
  }
  if (str(rq['key']) !== 'metadata.name')
    errors.push(invalid(fieldPath(path, 'key'), str(rq['key']), 'not a valid field selector key'));
  else values.forEach((v, i) => errors.push(...dnsSubdomain(v, fieldPath(path, 'values', i))));
  return errors;
}

function nodeSelectorTerm(term: Obj, checkValues: boolean, path: string): FieldError[] {
  return [
    ...recs(term['matchExpressions']).flatMap((rq, j) =>
      nodeSelectorRequirement(rq, checkValues, fieldPath(path, 'matchExpressions', j)),
    ),
    ...recs(term['matchFields']).flatMap((rq, j) =>
      nodeFieldRequirement(rq, fieldPath(path, 'matchFields', j)),
    ),
  ];
}

const weight = (w: unknown, path: string): FieldError[] =>
  num(w) <= 0 || num(w) > 100 ? [invalid(path, num(w), 'must be in the range 1-100')] : [];

function nodeAffinity(na: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const requiredKey = 'requiredDuringSchedulingIgnoredDuringExecution';
  if (isSet(na[requiredKey])) {
    const termsPath = fieldPath(path, requiredKey, 'nodeSelectorTerms');
    const terms = recs(rec(na[requiredKey])['nodeSelectorTerms']);
    if (terms.length === 0) errors.push(required(termsPath, 'must have at least one node selector term'));
    terms.forEach((t, i) => errors.push(...nodeSelectorTerm(t, true, fieldPath(termsPath, i))));
  }
  recs(na['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
    const p = fieldPath(path, 'preferredDuringSchedulingIgnoredDuringExecution', i);
    // Preferred terms may name label values no node has yet.
    errors.push(
      ...weight(t['weight'], fieldPath(p, 'weight')),
      ...nodeSelectorTerm(rec(t['preference']), false, fieldPath(p, 'preference')),
    );
  });
  return errors;
}

/** validatePodAffinityTerm. */
function podAffinityTerm(term: Obj, path: string): FieldError[] {
  const errors = [
    ...validateLabelSelector(term['labelSelector'], fieldPath(path, 'labelSelector')),
    ...validateLabelSelector(term['namespaceSelector'], fieldPath(path, 'namespaceSelector')),
  ];
  for (const ns of strings(term['namespaces']))
    for (const m of isDNS1123Label(ns)) errors.push(invalid(fieldPath(path, 'namespace'), ns, m));
  const match = strings(term['matchLabelKeys']);
  const mismatch = strings(term['mismatchLabelKeys']);
  for (const [key, keys] of [
    ['matchLabelKeys', match],
    ['mismatchLabelKeys', mismatch],
  ] as const) {
    if (keys.length === 0) continue;
    if (!isSet(term['labelSelector']))
      errors.push(forbidden(fieldPath(path, key), 'must not be specified when labelSelector is not set'));
    else keys.forEach((k, i) => errors.push(...qualifiedName(k, fieldPath(path, key, i))));
  }
  match.forEach((k, i) => {
    if (mismatch.includes(k))
      errors.push(
        invalid(
          fieldPath(path, 'matchLabelKeys', i),
          k,
          'exists in both matchLabelKeys and mismatchLabelKeys',
        ),
      );
  });
  const topologyKey = str(term['topologyKey']);
  if (topologyKey === '') errors.push(required(fieldPath(path, 'topologyKey'), 'can not be empty'));
  errors.push(...qualifiedName(topologyKey, fieldPath(path, 'topologyKey')));
  return errors;
}

function podAffinity(pa: Obj, path: string): FieldError[] {
  return [
    ...recs(pa['requiredDuringSchedulingIgnoredDuringExecution']).flatMap((t, i) =>
      podAffinityTerm(t, fieldPath(path, 'requiredDuringSchedulingIgnoredDuringExecution', i)),
    ),
    ...recs(pa['preferredDuringSchedulingIgnoredDuringExecution']).flatMap((t, i) => {
      const p = fieldPath(path, 'preferredDuringSchedulingIgnoredDuringExecution', i);
      return [
        ...weight(t['weight'], fieldPath(p, 'weight')),
        ...podAffinityTerm(rec(t['podAffinityTerm']), fieldPath(p, 'podAffinityTerm')),
      ];
    }),
  ];
}

/** validateAffinity. */
export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isSet(affinity)) return [];
  const a = rec(affinity);
  const errors: FieldError[] = [];
  if (isSet(a['nodeAffinity']))
    errors.push(...nodeAffinity(rec(a['nodeAffinity']), fieldPath(path, 'nodeAffinity')));
  if (isSet(a['podAffinity']))
    errors.push(...podAffinity(rec(a['podAffinity']), fieldPath(path, 'podAffinity')));
  if (isSet(a['podAntiAffinity']))
    errors.push(...podAffinity(rec(a['podAntiAffinity']), fieldPath(path, 'podAntiAffinity')));
  return errors;
}

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  recs(tolerations).forEach((t, i) => {
    const p = fieldPath(path, i);
    const key = str(t['key']);
    const operator = str(t['operator']);
    const value = str(t['value']);
    const effect = str(t['effect']);
    if (key !== '') errors.push(...qualifiedName(key, fieldPath(p, 'key')));
    if (key === '' && operator !== 'Exists')
      errors.push(
        invalid(
          fieldPath(p, 'operator'),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (isSet(t['tolerationSeconds']) && effect !== 'NoExecute')
      errors.push(
        invalid(fieldPath(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errors.push(invalid(fieldPath(p, 'operator'), value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '')
        errors.push(
          invalid(fieldPath(p, 'operator'), value, "value must be empty when `operator` is 'Exists'"),
        );
    } else {
      errors.push(notSupported(fieldPath(p, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !taintEffects.includes(effect))
      errors.push(notSupported(fieldPath(p, 'effect'), effect, taintEffects));
  });
  return errors;
}

const nodeInclusionPolicies = ['Honor', 'Ignore'];

/** validateTopologySpreadConstraints. */
export function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const cs = recs(constraints);
  cs.forEach((c, i) => {
    const p = fieldPath(path, i);
    const maxSkew = num(c['maxSkew']);
    if (maxSkew <= 0) errors.push(invalid(fieldPath(p, 'maxSkew'), maxSkew, 'must be greater than zero'));
    const key = str(c['topologyKey']);
    if (key === '') errors.push(required(fieldPath(p, 'topologyKey'), 'can not be empty'));
    const action = str(c['whenUnsatisfiable']);
    const actions = ['DoNotSchedule', 'ScheduleAnyway'];
    if (!actions.includes(action))
      errors.push(notSupported(fieldPath(p, 'whenUnsatisfiable'), action, actions));
    if (cs.slice(i + 1).some((o) => str(o['topologyKey']) === key && str(o['whenUnsatisfiable']) === action))
      errors.push(duplicate(fieldPath(p, '{topologyKey, whenUnsatisfiable}'), `{${key}, ${action}}`));
    if (isSet(c['minDomains'])) {
      const min = num(c['minDomains']);
      if (min <= 0) errors.push(invalid(fieldPath(p, 'minDomains'), min, 'must be greater than zero'));
      if (action !== 'DoNotSchedule')
        errors.push(
          invalid(
            fieldPath(p, 'minDomains'),
            min,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'])
      if (isSet(c[policy]) && !nodeInclusionPolicies.includes(str(c[policy])))
        errors.push(notSupported(fieldPath(p, policy), str(c[policy]), nodeInclusionPolicies));
    const keys = strings(c['matchLabelKeys']);
    if (keys.length > 0 && !isSet(c['labelSelector']))
      errors.push(
        forbidden(fieldPath(p, 'matchLabelKeys'), 'must not be specified when labelSelector is not set'),
      );
    keys.forEach((k, j) => errors.push(...qualifiedName(k, fieldPath(p, 'matchLabelKeys', j))));
    errors.push(...validateLabelSelector(c['labelSelector'], fieldPath(p, 'labelSelector')));
  });
  return errors;
}
