/**
 * The SQL of one LoadPlan field (plan.ts): its raw text as the line layout gives it (a JSON key, a
 * delimited column with Zeek's unset/empty markers, a CEF value), and its conversion with the test that
 * tells a value that did not convert. Shared by the staged load (bulk.ts), which reads raw lines and
 * parses them, and the direct load (direct.ts), where DuckDB's own reader has cut the columns already.
 */
import { cefRawField, cefValue } from './cef-sql.js';
import { fieldSqlType } from './native.js';
import type { LineLayout, LoadPlan, SourceField } from './plan.js';
import { quoteIdent, sqlString } from '../util/sql.js';

/** Column names of a field in the stage: typed, and raw (before conversion). */
export const col = (name: string): string => quoteIdent(`f_${name}`);
export const rawCol = (name: string): string => quoteIdent(`r_${name}`);

/**
 * `{ value, ok }`: the typed value from `raw`, and a test (over the stage's raw and typed columns, so
 * nothing is computed twice) that is false when a present value failed to convert.
 */
export function convert(
  raw: string,
  field: SourceField,
  layout: LineLayout['kind'],
): { value: string; ok: string } {
  const ok = `(${rawCol(field.name)} IS NULL OR ${col(field.name)} IS NOT NULL)`;
  const checked = (value: string) => ({ value, ok });
  const json = layout === 'json';
  if (layout === 'cef' && field.as !== 'string') return checked(cefValue(raw, field));
  switch (field.as) {
    case 'string':
      return { value: raw, ok: 'true' };
    case 'int':
    case 'long':
    case 'real':
      return checked(`TRY_CAST(${raw} AS ${fieldSqlType(field.as)})`);
    case 'bool':
      return checked(
        `CASE ${raw} WHEN 'T' THEN true WHEN 'F' THEN false ELSE TRY_CAST(${raw} AS BOOLEAN) END`,
      );
    case 'epoch':
      return checked(`tt_epoch_time(TRY_CAST(${raw} AS DOUBLE))`);
    case 'datetime':
      return checked(`tt_parse_time(${raw})`);
    case 'dynamic':
      return checked(`CASE WHEN json_type(${raw}) <> 'VARCHAR' THEN ${raw} END`);
    case 'list': {
      const list = json ? `TRY_CAST(${raw} AS VARCHAR[])` : raw; // delimited lists are split already
      return {
        value: `CASE WHEN len(${list}) > 0 THEN ${list} END`,
        ok: `(${raw} IS NULL OR ${list} IS NOT NULL)`,
      };
    }
  }
}

export function jsonPath(struct: string, path: readonly string[]): string {
  let expr = struct;
  for (const key of path) expr = `struct_extract(${expr}, ${sqlString(key)})`;
  return expr;
}

/**
 * Where a field's text comes from: by default the parsed line of the stage (`_j` for JSON, `_p` the
 * split line for delimited layouts); the direct load names the reader's own columns instead.
 */
export interface RawSource {
  json: (path: readonly string[]) => string;
  column: (index: number) => string;
  /** Values hold no `\xHH` escape (the file has no backslash): no decoding needed. */
  plain?: boolean;
}

const STAGED: RawSource = {
  json: (path) => jsonPath('_j', path),
  column: (index) => `_p[${index + 1}]`,
};

export function rawField(field: SourceField, plan: LoadPlan, source: RawSource = STAGED): string {
  if (plan.layout.kind === 'json') return source.json(field.at as readonly string[]);
  if (plan.layout.kind === 'cef') return cefRawField(field, plan, plan.layout);
  const { unset, empty, listSeparator } = plan.layout;
  const unescape = plan.layout.unescape && !source.plain;
  // the unset and empty markers are tested on the text as written (`\x2d` is a dash, not unset)
  const decode = (text: string) => (unescape ? `tt_zeek_unescape(${text})` : text);
  let value = source.column(field.at as number);
  if (unset !== undefined) value = `nullif(${value}, ${sqlString(unset)})`;
  if (field.as === 'list') {
    let split = `string_split(${value}, ${sqlString(listSeparator ?? ',')})`;
    if (unescape) split = `list_transform(${split}, x -> ${decode('x')})`;
    return empty === undefined
      ? split
      : `CASE WHEN ${value} = ${sqlString(empty)} THEN []::VARCHAR[] ELSE ${split} END`;
  }
  if (empty !== undefined) {
    const blank = field.as === 'string' ? "''" : 'NULL';
    return `CASE WHEN ${value} = ${sqlString(empty)} THEN ${blank} ELSE ${decode(value)} END`;
  }
  return decode(value);
}
