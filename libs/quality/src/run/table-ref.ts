import { TABLE_PATTERN } from '../suite/suite-schema';

/**
 * What a suite runs against: a table name (`table` or `database.table`, checked and quoted), or a
 * table expression that code — never a suite file — vouches for, such as
 * `icebergLocal('lake/events')` or `(SELECT … )`. Use `trustedTable` to make the second kind.
 */
export type TableRef = string | TrustedTable;

export interface TrustedTable {
  readonly expression: string;
  /** How results and reports name it, e.g. `lake.events`. */
  readonly label: string;
}

/** A table expression written by code, used in SQL as it is: never build one from user input. */
export function trustedTable(expression: string, label = expression): TrustedTable {
  if (expression.trim() === '' || expression.includes(';')) {
    throw new Error(`table expression '${expression}' must be one expression without ';'`);
  }
  return { expression, label };
}

export interface ResolvedTable {
  readonly sql: string;
  readonly label: string;
}

const TABLE_NAME = new RegExp(TABLE_PATTERN);

export function resolveTable(ref: TableRef): ResolvedTable {
  if (typeof ref !== 'string') return { sql: ref.expression, label: ref.label };
  if (!TABLE_NAME.test(ref)) {
    throw new Error(`table '${ref}' must be table or database.table ([A-Za-z_][A-Za-z0-9_]*)`);
  }
  return { sql: ref.split('.').map(quoteIdentifier).join('.'), label: ref };
}

/** A ClickHouse identifier in backticks, with backticks and backslashes escaped. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}
