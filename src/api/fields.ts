// Field selectors, after k8s.io/apimachinery v1.32 pkg/fields/selector.go (`?fieldSelector=`):
// comma-separated `field=value`, `field==value` and `field!=value` terms, ANDed. In values, `\`, `,`
// and `=` are escaped with a backslash. Which fields a resource supports is the server's concern.

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

export interface FieldSelector {
  /** In the order upstream keeps them: the raw terms sorted as strings. */
  readonly requirements: readonly FieldRequirement[];
  /** A missing field reads as "", as with fields.Set.Get. */
  matches(fields: Fields): boolean;
}

export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

/** fields.EscapeValue */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` are the only escapes; a bare `,` or `=` is an error. */
export function unescapeFieldValue(value: string): string {
  let out = '';
  let inSlash = false;
  for (const ch of value) {
    if (inSlash) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      inSlash = false;
    } else if (ch === '\\') {
      inSlash = true;
    } else if (ch === ',' || ch === '=') {
      // Upstream prints the rune with %v, which is its code point number (44 or 61).
      throw new FieldSelectorError(
        `invalid field selector: unescapedRune character in value: ${ch.codePointAt(0)}`,
      );
    } else {
      out += ch;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

// splitTerms: split on commas that are not escaped; the escapes stay in the terms.
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (inSlash) {
      inSlash = false;
    } else if (ch === '\\') {
      inSlash = true;
    } else if (ch === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// splitTerm: the field has no escaping, so the first operator splits the term; "!=" and "==" are
// tried before "=" at each position.
function splitTerm(term: string): { field: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.ParseSelector. Throws a FieldSelectorError with upstream's message. */
export function parseFieldSelector(selector: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) {
      throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    }
    const value = unescapeFieldValue(parts.rhs);
    // A term with an empty field and value selects everything, so upstream drops it.
    if (parts.field === '' && value === '') continue;
    requirements.push({ field: parts.field, operator: parts.op === '!=' ? '!=' : '=', value });
  }
  return {
    requirements,
    matches: (fields) =>
      requirements.every(
        (r) => ((Object.hasOwn(fields, r.field) ? fields[r.field] : '') === r.value) === (r.operator === '='),
      ),
  };
}

/** Selector.String(): terms joined by commas, values escaped. */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}
