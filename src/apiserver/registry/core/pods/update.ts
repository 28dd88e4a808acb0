// ValidatePodUpdate, after pkg/apis/core/validation v1.32: the new pod must be valid, and its spec
// may differ from the old one only in container images, a lowered activeDeadlineSeconds, added
// tolerations, removed scheduling gates, and a negative grace period set to 1.
import { type FieldError, fieldPath, forbidden, invalid, required } from '../../../../api/field-errors.ts';
import { isRecord, type KubeObject } from '../../../../api/meta.ts';
import { validateTolerations } from './scheduling.ts';
import { validatePodMetadataAndSpec } from './spec.ts';
import { goFieldName, inclusiveRange, isSet, maxInt32, num, type Obj, rec, recs, str } from './util.ts';

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (isRecord(v) && Object.keys(v).length === 0);

/** apiequality.Semantic.DeepEqual for JSON: nil and empty lists and maps are equal. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b || (isEmpty(a) && isEmpty(b))) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => semanticEqual(v, b[i]));
  if (isRecord(a) && isRecord(b))
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => semanticEqual(a[k], b[k]));
  return false;
}

/** ValidateContainerUpdates: same number of containers, each with an image. */
function containerUpdates(now: unknown, before: unknown, path: string): [FieldError[], boolean] {
  const cs = recs(now);
  if (cs.length !== recs(before).length)
    return [[forbidden(path, 'pod updates may not add or remove containers')], true];
  const errors: FieldError[] = [];
  cs.forEach((c, i) => {
    const image = str(c['image']);
    if (image === '') errors.push(required(fieldPath(path, i, 'image'), ''));
    if (image.trim() !== image)
      errors.push(
        invalid(fieldPath(path, i, 'image'), image, 'must not have leading or trailing whitespace'),
      );
  });
  return [errors, false];
}

/** validateOnlyAddedTolerations: old tolerations stay, but for their tolerationSeconds. */
function onlyAddedTolerations(now: unknown, before: unknown, path: string): FieldError[] {
  const added = recs(now);
  for (const old of recs(before)) {
    const kept = added.some((t) => semanticEqual({ ...old, tolerationSeconds: t['tolerationSeconds'] }, t));
    if (!kept)
      return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(now, path);
}

/** validateOnlyDeletedSchedulingGates. */
function onlyDeletedGates(now: unknown, before: unknown, path: string): FieldError[] {
  const old = new Set(recs(before).map((g) => str(g['name'])));
  const errors: FieldError[] = [];
  recs(now).forEach((g, i) => {
    const name = str(g['name']);
    if (!old.has(name))
      errors.push(
        forbidden(
          fieldPath(path, i, 'name'),
          `only deletion is allowed, but found new scheduling gate '${name}'`,
        ),
      );
  });
  return errors;
}

/** A short rendering of the changed fields, in the spirit of cmp.Diff(old, new). */
function specDiff(old: Obj, now: Obj): string {
  const lines = ['  core.PodSpec{'];
  for (const key of [...new Set([...Object.keys(old), ...Object.keys(now)])]) {
    if (semanticEqual(old[key], now[key])) continue;
    if (!isEmpty(old[key])) lines.push(`- \t${goFieldName(key)}: ${JSON.stringify(old[key])},`);
    if (!isEmpty(now[key])) lines.push(`+ \t${goFieldName(key)}: ${JSON.stringify(now[key])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

const withImages = (cs: unknown, from: unknown): Obj[] =>
  recs(cs).map((c, i) => ({ ...c, image: recs(from)[i]?.['image'] }));

/** ValidatePodUpdate (metadata is the generic handler's). */
export function validatePodUpdate(pod: KubeObject, oldPod: KubeObject): FieldError[] {
  const errors = validatePodMetadataAndSpec(pod);
  const spec = rec(pod['spec']);
  const old = rec(oldPod['spec']);
  for (const key of ['containers', 'initContainers']) {
    const [errs, stop] = containerUpdates(spec[key], old[key], fieldPath('spec', key));
    errors.push(...errs);
    if (stop) return errors;
  }
  const deadlinePath = 'spec.activeDeadlineSeconds';
  if (isSet(spec['activeDeadlineSeconds'])) {
    const now = num(spec['activeDeadlineSeconds']);
    if (now < 0 || now > maxInt32)
      return [...errors, invalid(deadlinePath, now, inclusiveRange(0, maxInt32))];
    if (isSet(old['activeDeadlineSeconds']) && num(old['activeDeadlineSeconds']) < now)
      return [...errors, invalid(deadlinePath, now, 'must be less than or equal to previous value')];
  } else if (isSet(old['activeDeadlineSeconds'])) {
    errors.push(invalid(deadlinePath, null, 'must not update from a positive integer to nil value'));
  }
  errors.push(...onlyAddedTolerations(spec['tolerations'], old['tolerations'], 'spec.tolerations'));
  errors.push(...onlyDeletedGates(spec['schedulingGates'], old['schedulingGates'], 'spec.schedulingGates'));
  if (semanticEqual(spec, old)) return errors;
  // The updatable fields take their old values; anything still different is forbidden.
  const munged: Obj = {
    ...spec,
    containers: withImages(spec['containers'], old['containers']),
    initContainers: withImages(spec['initContainers'], old['initContainers']),
    activeDeadlineSeconds: old['activeDeadlineSeconds'],
    schedulingGates: old['schedulingGates'],
    tolerations: old['tolerations'],
  };
  const oldGrace = old['terminationGracePeriodSeconds'];
  if (isSet(oldGrace) && num(oldGrace) < 0 && num(munged['terminationGracePeriodSeconds']) === 1)
    munged['terminationGracePeriodSeconds'] = oldGrace;
  if (!semanticEqual(munged, old))
    errors.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${updatableFields.join(',')}\n${specDiff(old, munged)}`,
      ),
    );
  return errors;
}
