import type { StatementSync } from 'node:sqlite';
import type { KeyRange, KeyValue } from '../types.ts';

/** One row of the kv log table. */
export interface Row {
  readonly id: number;
  readonly name: string;
  readonly deleted: number;
  readonly create_revision: number;
  readonly prev_revision: number;
  readonly version: number;
  readonly lease: number;
  readonly value: Uint8Array;
}

export const rowColumns = 'id, name, deleted, create_revision, prev_revision, version, lease, value';

export function toKeyValue(row: Row): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.create_revision,
    modRevision: row.id,
    version: row.version,
    lease: row.lease,
  };
}

/** node:sqlite hands back untyped records; the columns come from our own schema. */
export function asRow(record: Record<string, unknown> | undefined): Row | undefined {
  return record as Row | undefined;
}

export function asRows(records: Record<string, unknown>[]): Row[] {
  return records as unknown as Row[];
}

/**
 * A range becomes SQL bounds `name >= lo AND name < hi`; a single key is `[key, key + "\0")`
 * (nothing sorts between a string and itself followed by NUL), and etcd's rangeEnd "\0" means
 * no upper bound. Statements are prepared once per shape and cached.
 */
export class RangeStatements {
  private readonly cache = new Map<string, StatementSync>();
  private readonly prepare: (sql: string) => StatementSync;
  private readonly column: string;
  private readonly template: (cond: string) => string;

  constructor(options: {
    prepare: (sql: string) => StatementSync;
    /** The name column as the statement refers to it, e.g. `c.name`. */
    column: string;
    template: (nameCondition: string) => string;
  }) {
    this.prepare = options.prepare;
    this.column = options.column;
    this.template = options.template;
  }

  /** Returns the statement and the leading bound parameters for this range. */
  for(range: KeyRange): { statement: StatementSync; bounds: string[] } {
    const open = range.rangeEnd === '\0';
    const shape = open ? 'open' : 'bounded';
    let statement = this.cache.get(shape);
    if (statement === undefined) {
      statement = this.prepare(
        this.template(open ? `${this.column} >= ?` : `${this.column} >= ? AND ${this.column} < ?`),
      );
      this.cache.set(shape, statement);
    }
    const hi = range.rangeEnd ?? `${range.key}\0`;
    return { statement, bounds: open ? [range.key] : [range.key, hi] };
  }
}
