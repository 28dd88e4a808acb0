// List and watch options from the query string: selectors, paging, resourceVersion semantics
// (upstream's metav1.ListOptions and storage.SelectionPredicate).
import type { KubeObject } from '../../api/meta.ts';
import { badRequest, StatusError } from '../../api/status.ts';
import { parseSelector } from '../../api/labels.ts';
import { parseFieldSelector } from '../../api/fields.ts';
import type { ResourceDefinition } from '../registry/types.ts';

export interface ParsedListOptions {
  readonly labels: ((labels: Record<string, string>) => boolean) | undefined;
  readonly fields: ((fields: Record<string, string>) => boolean) | undefined;
  readonly limit: number | undefined;
  readonly continueToken: string | undefined;
  /** Set for resourceVersionMatch=Exact. */
  readonly exactRevision: number | undefined;
}

/** The field-selector values of an object: metadata.name/namespace plus the resource's own. */
export function objectFields(def: ResourceDefinition, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (def.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
  return { ...fields, ...def.fields?.(obj) };
}

/**
 * List options from the query. `def` is the stored version's definition; `labels` the requested
 * version's field-label names for the stored ones, when it has its own.
 */
export function listOptions(
  query: URLSearchParams,
  def: ResourceDefinition,
  name = '',
  fieldLabels?: Readonly<Record<string, string>>,
): ParsedListOptions {
  let labels: ParsedListOptions['labels'];
  let fields: ParsedListOptions['fields'];
  const labelSelector = query.get('labelSelector') ?? '';
  if (labelSelector !== '') {
    try {
      const selector = parseSelector(labelSelector);
      labels = (l) => selector.matches(l);
    } catch (e: unknown) {
      throw new StatusError(badRequest(e instanceof Error ? e.message : String(e)));
    }
  }
  let fieldSelector = query.get('fieldSelector') ?? '';
  // A watch on one object's URL is a watch of its name.
  if (name !== '')
    fieldSelector = fieldSelector === '' ? `metadata.name=${name}` : `${fieldSelector},metadata.name=${name}`;
  if (fieldSelector !== '') {
    let selector: ReturnType<typeof parseFieldSelector>;
    try {
      selector = parseFieldSelector(fieldSelector);
    } catch (e: unknown) {
      throw new StatusError(badRequest(e instanceof Error ? e.message : String(e)));
    }
    const known = Object.keys(objectFields(def, { metadata: {} }));
    const stored = selector.requirements.map((r) => {
      const field = fieldLabels === undefined ? r.field : fieldLabels[r.field];
      if (field === undefined || !known.includes(field)) {
        throw new StatusError(badRequest(`field label not supported: ${r.field}`));
      }
      return { ...r, field };
    });
    fields = (f) =>
      stored.every(
        (r) => ((Object.hasOwn(f, r.field) ? f[r.field] : '') === r.value) === (r.operator === '='),
      );
  }
  const limitParam = query.get('limit');
  const limit = limitParam === null || limitParam === '' ? undefined : Number(limitParam);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new StatusError(badRequest(`invalid limit: ${limitParam}`));
  }
  const continueToken = query.get('continue') ?? undefined;
  const rv = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  let exactRevision: number | undefined;
  if (match !== '') {
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      throw new StatusError(
        badRequest(
          `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
        ),
      );
    }
    if (rv === '')
      throw new StatusError(
        badRequest(
          'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (continueToken)
      throw new StatusError(
        badRequest(
          'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    if (match === 'Exact') {
      if (rv === '0')
        throw new StatusError(
          badRequest(
            'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
          ),
        );
      exactRevision = Number(rv);
    }
  } else if (rv !== '' && rv !== '0' && limit !== undefined && limit > 0 && !continueToken) {
    // Upstream: a paged list at a specific resourceVersion is served exactly at it.
    exactRevision = Number(rv);
  }
  if (exactRevision !== undefined && !Number.isInteger(exactRevision)) {
    throw new StatusError(badRequest(`invalid resourceVersion: ${rv}`));
  }
  return { labels, fields, limit: limit === 0 ? undefined : limit, continueToken, exactRevision };
}

export function listFilter(def: ResourceDefinition, opts: ParsedListOptions): (obj: KubeObject) => boolean {
  const { labels, fields } = opts;
  if (labels === undefined && fields === undefined) return () => true;
  return (obj) =>
    (labels === undefined || labels(obj.metadata.labels ?? {})) &&
    (fields === undefined || fields(objectFields(def, obj)));
}
