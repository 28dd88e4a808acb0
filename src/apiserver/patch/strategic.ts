// Strategic merge patch, applied as upstream's apiserver applies it
// (k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch with MergeParallelList and
// IgnoreUnmatchedNulls): maps merge and `null` deletes; lists whose field has the `merge` strategy
// merge by the field's merge key (primitive lists as sets); other lists are replaced. Directives:
// `$patch: replace|delete` on maps and list items, `$retainKeys`, `$setElementOrder/<field>` and
// `$deleteFromPrimitiveList/<field>`.
import { isRecord } from '../../api/meta.ts';
import { PatchError } from './errors.ts';
import { deepEqual } from './json-patch.ts';
import type { PatchMeta, PatchSchema } from './schema.ts';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

type JsonMap = Record<string, unknown>;

// mergepatch's error values and how the patch handler classes them (interpretStrategicMergePatchError).
const errBadPatchFormatForPrimitiveList = (): PatchError =>
  new PatchError('bad-request', 'invalid patch format of primitive list');
const errBadPatchFormatForRetainKeys = (): PatchError =>
  new PatchError('bad-request', 'invalid patch format of retainKeys');
const errBadPatchFormatForSetElementOrderList = (): PatchError =>
  new PatchError('bad-request', 'invalid patch format of setElementOrder list');
const errNoListOfLists = (): PatchError =>
  new PatchError('unprocessable', 'lists of lists are not supported');
const errNoMergeKey = (m: unknown, key: string): PatchError =>
  new PatchError('internal', `map: ${goPrint(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: unknown): PatchError =>
  new PatchError('internal', `unknown patch type: ${String(t)} in map: ${goPrint(m)}`);

/** Roughly Go's %v of a decoded JSON value, for error messages. */
function goPrint(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isRecord(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k])}`)
      .join(' ')}]`;
  return v === null ? '<nil>' : String(v);
}

/** Applies `patch` to `original` (neither is changed) under `schema`. */
export function strategicMergePatch(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(structuredClone(original), structuredClone(patch), schema);
}

/** The merge strategy of a field without its retainKeys part (extractRetainKeysPatchStrategy). */
function mergeStrategy(meta: PatchMeta): string {
  const rest = meta.strategies.filter((s) => s !== 'retainKeys' && s !== '');
  if (rest.length > 1)
    throw new PatchError('internal', `unexpected patch strategy: ${meta.strategies.join(',')}`);
  return rest[0] ?? '';
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (Object.hasOwn(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === 'replace') {
      delete patch[directiveMarker];
      return cleanNewValue(patch) as JsonMap;
    }
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }
  applyRetainKeys(original, patch);
  mergeSetElementOrderLists(original, patch, schema);
  for (const [patchKey, patchV] of Object.entries(patch)) {
    let k = patchKey;
    const isDeleteList = k.startsWith(deleteFromPrimitiveListPrefix);
    if (isDeleteList) k = k.slice(deleteFromPrimitiveListPrefix.length);
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!Object.hasOwn(original, k)) {
      if (!isDeleteList) original[k] = cleanNewValue(patchV);
      continue;
    }
    const originalV = original[k];
    const bothMaps = isRecord(originalV) && isRecord(patchV);
    const bothLists = Array.isArray(originalV) && Array.isArray(patchV);
    if (!bothMaps && !bothLists) {
      if (!isDeleteList) original[k] = cleanNewValue(patchV);
      continue;
    }
    const { schema: sub, meta } = schema.lookup(k);
    const strategy = mergeStrategy(meta);
    if (bothMaps)
      original[k] = strategy === 'replace' ? cleanNewValue(patchV) : mergeMap(originalV, patchV, sub);
    else if (strategy === 'merge' || isDeleteList)
      original[k] = mergeSlice(originalV as unknown[], patchV as unknown[], sub, meta.mergeKey, isDeleteList);
    else original[k] = cleanNewValue(patchV);
  }
  return original;
}

/** `$retainKeys`: fields of `original` not listed are cleared (applyRetainKeysDirective). */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const keep = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(keep)) throw errBadPatchFormatForRetainKeys();
  const keys = new Set(keep);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix))
      continue;
    if (!keys.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keys.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<field>`: merges the field's patch list and orders the result by the directive,
 * then the patch, then the live list (mergePatchIntoOriginal).
 */
function mergeSetElementOrderLists(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    delete patch[key];
    if (!Array.isArray(order)) throw errBadPatchFormatForSetElementOrderList();
    const field = key.slice(setElementOrderPrefix.length);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList))
      throw new PatchError('internal', `expected a list in ${field}`);
    if (foundPatch && !Array.isArray(patchList))
      throw new PatchError('internal', `expected a list in ${field}`);
    const originalItems = (originalList ?? []) as unknown[];
    const patchItems = (patchList ?? []) as unknown[];
    const { schema: sub, meta } = schema.lookup(field);
    const strategy = mergeStrategy(meta);
    const mergeKey = meta.mergeKey;
    validatePatchWithSetOrderList(patchItems, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) {
      merged =
        strategy === 'merge'
          ? mergeSlice(originalItems, patchItems, sub, mergeKey, false)
          : (cleanNewValue(patchItems) as unknown[]);
    } else if (foundPatch) merged = cleanNewValue(patchItems) as unknown[];
    else if (foundOriginal) merged = originalItems;
    else continue;
    const [inOrder, serverOnly] = partition(merged, order, mergeKey);
    const isMap = elementKind(originalItems, patchItems) === 'map';
    original[field] = normalizeElementOrder(inOrder, serverOnly, order, originalItems, isMap ? mergeKey : '');
    delete patch[field];
  }
}

function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((v) => !(isRecord(v) && Object.hasOwn(v, directiveMarker)));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (sameItem(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw new PatchError(
      'internal',
      `The order in patch list:\n${goPrint(patchList)}\n doesn't match $setElementOrder list:\n${goPrint(order)}\n`,
    );
  }
}

function elementKind(...lists: unknown[][]): 'map' | 'scalar' | 'none' {
  let kind: 'map' | 'scalar' | 'none' = 'none';
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw errNoListOfLists();
      const k = isRecord(v) ? 'map' : 'scalar';
      if (kind !== 'none' && kind !== k) throw new PatchError('internal', 'mismatched types in list');
      kind = k;
    }
  }
  return kind;
}

/** Whether two list items are the same element: by merge key for maps, by value for primitives. */
function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return a === b;
  return isRecord(a) && isRecord(b) && Object.hasOwn(a, mergeKey) && deepEqual(a[mergeKey], b[mergeKey]);
}

function mergeKeyOf(v: unknown, mergeKey: string): unknown {
  if (!isRecord(v) || !Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
  return v[mergeKey];
}

function indexIn(list: readonly unknown[], v: unknown, mergeKey: string): number {
  return list.findIndex((x) => sameItem(v, x, mergeKey));
}

/** Items of `list` present in `by`, and the others (partition{Maps,Primitives}ByPresentInList). */
function partition(list: unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const v of list) {
    if (mergeKey !== '') mergeKeyOf(v, mergeKey);
    (indexIn(by, v, mergeKey) >= 0 ? present : absent).push(v);
  }
  return [present, absent];
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: unknown[];
  let key = mergeKey;
  if (isDeleteList && kind === 'map') throw errBadPatchFormatForPrimitiveList();
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => d === v));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.includes(v)) merged.push(v);
    key = '';
  } else {
    if (mergeKey === '')
      throw new PatchError('internal', `cannot merge lists without merge key for ${schema.name || 'type'}`);
    [original, patch] = mergeSpecialElements(original, patch, mergeKey);
    merged = [...original];
    for (const v of patch) {
      const value = mergeKeyOf(v, mergeKey);
      const i = merged.findIndex((x) => isRecord(x) && deepEqual(x[mergeKey], value));
      if (i >= 0) merged[i] = mergeMap(merged[i] as JsonMap, v as JsonMap, schema);
      else merged.push(cleanNewValue(v));
    }
  }
  const [patchItems, serverOnly] = partition(merged, patch, key);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, key);
}

/** List items carrying `$patch`: `delete` removes by merge key, `replace` replaces the list. */
function mergeSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const rest: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.hasOwn(item, directiveMarker)) {
      rest.push(v);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === 'delete') {
      const value = mergeKeyOf(item, mergeKey);
      original = original.filter((x) => !(isRecord(x) && deepEqual(x[mergeKey], value)));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge')
      throw new PatchError('internal', 'merging lists cannot yet be specified in the patch');
    else throw errBadPatchType(directive, item);
  }
  return replace ? [rest, []] : [original, rest];
}

/**
 * Sorts the patch's items by `patchOrder` and the server-only items by `serverOrder`, then
 * interleaves them keeping both relative orders (normalizeElementOrder, mergeSortedSlice).
 */
function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
): unknown[] {
  const right = sortByOrder(patch, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function sortByOrder(list: unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  const [known, unknown] = partition(list, order, mergeKey);
  const sorted = known
    .map((v, n) => ({ v, n, at: indexIn(order, v, mergeKey) }))
    .sort((a, b) => a.at - b.at || a.n - b.n)
    .map((x) => x.v);
  return [...sorted, ...unknown];
}

/**
 * A patch value taken as it is: nulls dropped (IgnoreUnmatchedNulls) and directives removed, so
 * none reaches the stored object.
 */
function cleanNewValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    // Items that are only a directive (`{$patch: replace}`) or deleted ones are dropped.
    const directiveOnly = (x: unknown): boolean =>
      isRecord(x) &&
      Object.hasOwn(x, directiveMarker) &&
      (x[directiveMarker] === 'delete' || Object.keys(x).length === 1);
    return v.filter((x) => !directiveOnly(x)).map(cleanNewValue);
  }
  if (!isRecord(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || k === directiveMarker || k === retainKeysDirective) continue;
    if (k.startsWith(setElementOrderPrefix) || k.startsWith(deleteFromPrimitiveListPrefix)) continue;
    out[k] = cleanNewValue(x);
  }
  return out;
}
