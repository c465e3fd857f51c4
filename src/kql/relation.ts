/**
 * Building blocks shared by the operator emitters: the hidden columns a relation carries (provenance and
 * a frozen sort order), projecting with them, and freezing a pending order into a row number when a
 * projection would drop the columns the order reads.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, OrderTerm, Relation } from './context.js';
import { ident, sqlName } from './sql.js';

export const ORDINAL_COLUMN = '_tt_ord';
export const MAX_SOURCES = 10;

export function hiddenColumns(rel: Relation): string[] {
  const hidden: string[] = [];
  if (rel.source !== 'none') hidden.push(ident(SOURCE_COLUMN));
  if (rel.ordinal) hidden.push(ident(ORDINAL_COLUMN));
  if (rel.partition) hidden.push(ident(rel.partition.column));
  return hidden;
}

export function orderBy(terms: OrderTerm[]): string {
  return terms
    .map((t) => `${t.expr} ${t.desc ? 'DESC' : 'ASC'} NULLS ${t.nullsFirst ? 'FIRST' : 'LAST'}`)
    .join(', ');
}

/** Sources of a group after aggregation: up to MAX_SOURCES distinct values, smallest first. */
export function sourceAggregate(rel: Relation): string | undefined {
  const src = ident(SOURCE_COLUMN);
  if (rel.source === 'row') return `list_sort(list_distinct(min(${src}, ${MAX_SOURCES})))`;
  if (rel.source === 'list') return `list_sort(list_distinct(flatten(list(${src}))))[1:${MAX_SOURCES}]`;
  return undefined;
}

/** Turns a pending sort into a hidden row number, so later projections may drop the sorted columns. */
export function freezeOrder(rel: Relation, c: Compiler): Relation {
  if (!rel.order || (rel.ordinal && rel.order.length === 1 && rel.order[0].columns[0] === ORDINAL_COLUMN))
    return rel;
  const keep = rel.ordinal ? `* EXCLUDE (${ident(ORDINAL_COLUMN)})` : '*';
  const from = c.cte(
    `SELECT ${keep}, row_number() OVER (ORDER BY ${orderBy(rel.order)}) AS ${ident(ORDINAL_COLUMN)} FROM ${rel.from}`,
  );
  return { ...rel, from, ordinal: true, order: [ordinalTerm()] };
}

/**
 * Serialized rows (Kusto's `serialize`, or any sort): freezes the pending order, or the scan order when
 * there is none, into the hidden row number that window functions (prev, next, row_number) order by.
 */
export function serialize(rel: Relation, c: Compiler): Relation {
  if (rel.order) return freezeOrder(rel, c);
  if (rel.ordinal) return { ...rel, order: [ordinalTerm()] };
  const from = c.cte(`SELECT *, row_number() OVER () AS ${ident(ORDINAL_COLUMN)} FROM ${rel.from}`);
  return { ...rel, from, ordinal: true, order: [ordinalTerm()] };
}

export function ordinalTerm(): OrderTerm {
  return { expr: ident(ORDINAL_COLUMN), columns: [ORDINAL_COLUMN], desc: false, nullsFirst: false };
}

/** One output column of a projection; `passthrough` names the input column it copies unchanged. */
export interface Item extends Column {
  sql: string;
  passthrough?: string;
}

/** SELECT items (plus hidden columns) FROM input, keeping any pending order valid. */
export function projectItems(
  input: Relation,
  items: Item[],
  c: Compiler,
  fail: (detail: string) => never,
): Relation {
  const seen = new Set<string>();
  for (const item of items) {
    // DuckDB identifiers are case-insensitive; Kusto's are not
    const key = sqlName(item.name).toLowerCase();
    if (seen.has(key) || key === SOURCE_COLUMN.toLowerCase() || key === ORDINAL_COLUMN)
      fail(`column name ${item.name} clashes with another column`);
    seen.add(key);
  }
  const survives = (input.order ?? []).every((t) =>
    t.columns.every(
      (col) => col === ORDINAL_COLUMN || items.some((i) => i.name === col && i.passthrough === col),
    ),
  );
  const rel = survives ? input : freezeOrder(input, c);
  const list = items.map((i) => `${i.sql} AS ${ident(i.name)}`).concat(hiddenColumns(rel));
  const from = c.cte(`SELECT ${list.join(', ')} FROM ${rel.from}`);
  return { ...rel, from, columns: items.map(({ name, type }) => ({ name, type })) };
}
