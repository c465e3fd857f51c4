/**
 * `mv-expand` / `mvexpand`: one output row per element of a dynamic array (or per key of a property
 * bag, as a one-key bag), expanding several columns in parallel with nulls for the shorter ones, like
 * Kusto. A null value yields one row with null; an empty array yields none. Elements stay dynamic unless
 * `to typeof(T)` casts them (a non-conforming element becomes null). `with_itemindex=` adds the 0-based index.
 */
import type { Column, Compiler, Relation } from './context.js';
import { rowScope, scalar } from './expr.js';
import type { KNode } from './kusto.js';
import { projectItems, type Item } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

/**
 * The JSON value as a list to unnest: arrays as is, bags as one-key bags (or, with kind=array, as
 * [key, value] pairs), scalars and null as one item.
 */
export function elements(json: string, bagsAsArrays = false): string {
  const member = bagsAsArrays ? `json_array(k, ${json} -> k)` : `json_object(k, ${json} -> k)`;
  return (
    `(CASE WHEN ${json} IS NULL THEN [CAST(NULL AS JSON)] ` +
    `WHEN ${dialect.jsonType(json)} = 'ARRAY' THEN CAST(${json} AS JSON[]) ` +
    `WHEN ${dialect.jsonType(json)} = 'OBJECT' THEN ${dialect.listTransform(`json_keys(${json})`, 'k', member)} ` +
    `ELSE [${json}] END)`
  );
}

/** An expanded element (JSON) as the requested Kusto type. */
export function converted(element: string, type: string): string {
  if (type === 'dynamic') return element;
  if (type === 'string')
    return `coalesce(CASE WHEN ${dialect.jsonType(element)} = 'VARCHAR' THEN ${element} ->> '$' ELSE CAST(${element} AS VARCHAR) END, '')`;
  return `TRY_CAST(${element} ->> '$' AS ${dialect.type(type) ?? 'VARCHAR'})`;
}

export function mvExpand(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  let bagsAsArrays = false;
  for (const p of op.list('Parameters')) {
    const name = p.node('Name')?.simpleName?.toLowerCase();
    if (name !== 'with_itemindex' && name !== 'kind' && name !== 'bagexpansion')
      c.fail(p, `mv-expand ${name}`);
    const kind = p.node('Expression')?.text.trim().toLowerCase();
    if (name !== 'with_itemindex' && kind !== 'bag' && kind !== 'array')
      c.fail(p, `mv-expand ${name}=${kind}`);
    if (name !== 'with_itemindex') bagsAsArrays = kind === 'array';
  }
  if (op.node('RowLimitClause')) c.fail(op.node('RowLimitClause')!, 'mv-expand limit');
  const indexName = op
    .list('Parameters')
    .find((p) => p.node('Name')?.simpleName?.toLowerCase() === 'with_itemindex')
    ?.node('Expression')?.simpleName;

  const unnests: string[] = [];
  const expanded = new Map<string, string>(); // output column → hidden unnested column
  op.list('Expressions').forEach((e, i) => {
    const inner = e.node('Expression')!;
    const named = inner.kind === 'SimpleNamedExpression';
    const expr = named ? inner.node('Expression')! : inner;
    const name = named ? inner.node('Name')?.simpleName : expr.simpleName || expr.resultName;
    if (!name) c.fail(e, 'mv-expand of an unnamed expression');
    const list = elements(scalar(expr, { c, scope: rowScope(), aggregate: false }).sql, bagsAsArrays);
    unnests.push(`unnest(${list}) AS ${ident(`_tt_e${i}`)}`);
    if (i === 0 && indexName) unnests.push(`unnest(range(${dialect.listLength(list)})) AS ${ident('_tt_i')}`);
    expanded.set(name!, `_tt_e${i}`);
  });
  const from = c.cte(`SELECT *, ${unnests.join(', ')} FROM ${input.from}`);
  const items: Item[] = out.map(({ name, type }) => {
    const hidden = expanded.get(name);
    if (hidden) return { name, type, sql: converted(ident(hidden), type) };
    if (name === indexName) return { name, type, sql: `CAST(${ident('_tt_i')} AS BIGINT)` };
    return { name, type, sql: ident(name), passthrough: name };
  });
  return projectItems({ ...input, from }, items, c, (d) => c.fail(op, d));
}
