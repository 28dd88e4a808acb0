// Label selectors, after k8s.io/apimachinery v1.32 pkg/labels/selector.go (the string syntax of
// `?labelSelector=` and `kubectl -l`) and pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector (the
// structured selector of Deployments, Services' peers, NetworkPolicies...). Parse errors carry
// upstream's exact text, which the API server returns in a 400.

import {
  errorListString,
  errorString,
  type FieldError,
  fieldPath,
  goQuote,
  invalid,
} from './field-errors.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

/** selection.Operator values; `!` is DoesNotExist, `gt` and `lt` compare integers. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** A parsed selector: the AND of its requirements, sorted by key. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** Only the selector of a null LabelSelector (labels.Nothing()) matches no object at all. */
  readonly matchesNothing: boolean;
  matches(labels: Labels | undefined): boolean;
}

/** metav1.LabelSelector, the structured form in object specs. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
}

/**
 * labels.NewRequirement: checks the key, the number of values the operator takes, and each value.
 * Throws a LabelSelectorError listing every problem, as upstream's aggregated error does.
 */
export function newRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[],
): Requirement {
  const errs: FieldError[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length > 0) errs.push(invalid('key', key, keyErrors.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(fieldPath('values', i), v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errs.push(invalid(fieldPath('values', i, { key }), v, msgs.join('; ')));
  });
  if (errs.length > 0) throw new LabelSelectorError(errorListString(errs));
  return { key, operator, values: [...values] };
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = has ? parseInt64(labels[r.key]!) : undefined;
      const bound = r.values.length === 1 ? parseInt64(r.values[0]!) : undefined;
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64.
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function makeSelector(requirements: Requirement[], matchesNothing = false): Selector {
  // Upstream sorts by key with sort.Sort, which is stable for the small lists selectors are.
  const sorted = requirements.toSorted((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    matchesNothing,
    matches: (labels) => !matchesNothing && sorted.every((r) => requirementMatches(r, labels ?? {})),
  };
}

/** labels.Everything(): no requirements, matches every object. */
export function everything(): Selector {
  return makeSelector([]);
}

/** labels.Nothing(): matches no object. */
export function nothing(): Selector {
  return makeSelector([], true);
}

/** labels.SelectorFromSet: equality on each pair, without validation; an empty set is everything. */
export function selectorFromSet(set: Labels | undefined): Selector {
  return makeSelector(
    Object.entries(set ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] })),
  );
}

/**
 * metav1.LabelSelectorAsSelector: null or undefined selects nothing, an empty selector selects
 * everything.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) {
    requirements.push(newRequirement(key, '=', [value]));
  }
  for (const expr of ls.matchExpressions ?? []) {
    const operator = expressionOperators.get(expr.operator);
    if (operator === undefined) {
      throw new LabelSelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    }
    requirements.push(newRequirement(expr.key, operator, expr.values ?? []));
  }
  return makeSelector(requirements);
}

const expressionOperators = new Map<string, SelectorOperator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/** Requirement.String(): set values sorted, `!key` for does-not-exist. */
export function requirementToString(r: Requirement): string {
  const values = r.values.toSorted().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    case 'gt':
    case 'lt':
      return `${r.key}${r.operator === 'gt' ? '>' : '<'}${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

/** Selector.String(): the canonical form, requirements sorted by key; empty for everything and nothing. */
export function selectorToString(selector: Selector): string {
  return selector.requirements.map(requirementToString).join(',');
}

// The lexer and recursive-descent parser of labels.Parse, token for token, so that the same inputs
// fail with the same messages.

type Token = 'end' | 'id' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(';

interface Scanned {
  token: Token;
  literal: string;
}

// A Map, not an object: an identifier such as "constructor" must not find a prototype member.
const keywordTokens = new Map<string, Token>(
  (['(', ')', ',', '!', '=', '==', '!=', '>', '<', 'in', 'notin'] as const).map((t) => [t, t]),
);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

// Go's lexer reads bytes and uses byte 0 for the end of input, so a NUL in the text ends the input
// where a token would start and ends the token it interrupts.
function lex(input: string): Scanned[] {
  let pos = 0;
  const read = (): string => (pos < input.length ? input[pos++]! : '\0');
  const out: Scanned[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') {
      out.push({ token: 'end', literal: '' });
      return out;
    }
    let literal = ch;
    if (isSpecial(ch)) {
      // Longest run of symbols that is still an operator: "!=" but not "=(".
      for (ch = read(); ch !== '\0' && isSpecial(ch) && keywordTokens.has(literal + ch); ch = read()) {
        literal += ch;
      }
      if (ch !== '\0') pos--;
      out.push({ token: keywordTokens.get(literal)!, literal });
    } else {
      for (ch = read(); ch !== '\0' && !isSpecial(ch) && !isWhitespace(ch); ch = read()) literal += ch;
      if (ch !== '\0') pos--;
      out.push({ token: keywordTokens.get(literal) ?? 'id', literal });
    }
  }
}

class Parser {
  private readonly items: Scanned[];
  private position = 0;

  constructor(input: string) {
    this.items = lex(input);
  }

  // Where a value is expected, "in" and "notin" are plain identifiers ("x in (in)").
  private lookahead(values: boolean): Scanned {
    const item = this.items[this.position]!;
    return values && (item.token === 'in' || item.token === 'notin')
      ? { token: 'id', literal: item.literal }
      : item;
  }

  private consume(values: boolean): Scanned {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { token, literal } = this.lookahead(true);
      if (token === 'end') return requirements;
      if (token !== 'id' && token !== '!') {
        throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e: unknown) {
        throw new LabelSelectorError(
          `unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const next = this.consume(true);
      if (next.token === 'end') return requirements;
      if (next.token !== ',') {
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
      }
      const after = this.lookahead(true);
      if (after.token !== 'id' && after.token !== '!') {
        throw new LabelSelectorError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let operator: SelectorOperator | undefined;
    let item = this.consume(true);
    if (item.token === '!') {
      operator = '!';
      item = this.consume(true);
    }
    if (item.token !== 'id') throw new Error(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyErrors = isQualifiedName(key);
    // Upstream validates against a nil field path, which prints as "<nil>".
    if (keyErrors.length > 0) throw new Error(errorString(invalid('<nil>', key, keyErrors.join('; '))));
    const after = this.lookahead(true).token;
    if (operator === undefined && (after === 'end' || after === ',')) operator = 'exists';
    if (operator !== undefined) return newRequirement(key, operator, []);
    operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // A sets.String upstream: the values come out sorted and without duplicates.
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private parseOperator(): SelectorOperator {
    const { token, literal } = this.consume(false);
    const operator = binaryOperators.get(token);
    if (operator === undefined) throw new Error(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return operator;
  }

  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.token !== '(') throw new Error(`found '${open.literal}' expected: '('`);
    const { token, literal } = this.lookahead(true);
    if (token === ')') {
      this.consume(true);
      return [''];
    }
    if (token !== 'id' && token !== ',') {
      throw new Error(`found '${literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    this.consume(true); // the ')' that ended the list
    return values;
  }

  // A possibly empty, comma-separated list of possibly empty values: "(a,,b)", "(,a)", "(a,)".
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { token, literal } = this.consume(true);
      if (token === 'id') {
        values.push(literal);
        const next = this.lookahead(true);
        if (next.token === ')') return values;
        if (next.token !== ',') throw new Error(`found '${next.literal}', expected: ',' or ')'`);
      } else if (token === ',') {
        if (values.length === 0) values.push('');
        const next = this.lookahead(true).token;
        if (next === ')') {
          values.push('');
          return values;
        }
        if (next === ',') values.push('');
      } else {
        throw new Error(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead(true).token;
    if (next === 'end' || next === ',') return [''];
    const { token, literal } = this.consume(true);
    if (token !== 'id') throw new Error(`found '${literal}', expected: identifier`);
    return [literal];
  }
}

const binaryOperators = new Map<Token, SelectorOperator>([
  ...(['in', 'notin', '=', '==', '!='] as const).map((t) => [t, t] as const),
  ['>', 'gt'],
  ['<', 'lt'],
]);

/**
 * labels.Parse: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`,
 * comma-separated and ANDed. Throws a LabelSelectorError with upstream's message.
 */
export function parseSelector(input: string): Selector {
  return makeSelector(new Parser(input).parse());
}
