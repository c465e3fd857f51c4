/**
 * `parse-kv s as (k1:type, …) with (…)`: one JavaScript call per row finds the listed keys' values
 * (js-parse-kv.ts, which describes the modes); each is converted to its column's type like `parse` does
 * (a string column is "" when the key is absent, another type null). `greedy=true` is refused (TT001).
 */
import type { Column, Compiler, Relation } from './context.js';
import { asString, constant, rowScope, scalar } from './expr.js';
import type { KNode } from './kusto.js';
import { PARSE_KV_UDF, type KvOptions } from './js-parse-kv.js';
import { convert } from './op-parse.js';
import { projectItems, type Item } from './relation.js';
import { ident } from './sql.js';

/** The `with (…)` properties as parse-kv options, or TT001 for what is not a constant or not known. */
function options(op: KNode, keys: string[], c: Compiler): KvOptions {
  const o: KvOptions = { keys, quotes: [], escapes: [] };
  for (const p of op.node('WithClause')?.list('Properties') ?? []) {
    const name = p.node('Name')?.simpleName?.toLowerCase();
    const value = p.node('Expression') && constant(p.node('Expression')!, c)?.value;
    if (name === 'greedy' && value === false) continue;
    if (typeof value !== 'string') return c.fail(p, `parse-kv ${name ?? 'property'}`);
    if (name === 'pair_delimiter') o.pair = value;
    else if (name === 'kv_delimiter') o.kv = value;
    else if (name === 'regex') o.regex = value;
    else if (name === 'quote' && (value.length === 1 || value.length === 2))
      o.quotes.push([value[0], value[value.length - 1]]);
    else if (name === 'escape' && value.length === 1) o.escapes.push(value);
    else return c.fail(p, `parse-kv ${name}`);
  }
  if ((o.pair === undefined) !== (o.kv === undefined)) c.fail(op, 'parse-kv with only one delimiter');
  if (o.pair === '' || o.kv === '') c.fail(op, 'parse-kv with an empty delimiter');
  return o;
}

export function parseKvOperator(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const inputNames = new Set(input.columns.map((col) => col.name));
  const keys = out.filter((col) => !inputNames.has(col.name));
  const declared = op.node('Keys')?.find('NameAndTypeDeclaration') ?? [];
  if (keys.length !== declared.length) c.fail(op, 'parse-kv keys that replace input columns');
  const env = { c, scope: rowScope(), aggregate: false };
  const subjectNode = op.node('Expression')!;
  const subject = asString(scalar(subjectNode, env), subjectNode, env);
  const settings = c.params.add(
    JSON.stringify(
      options(
        op,
        keys.map((k) => k.name),
        c,
      ),
    ),
    'string',
  );
  const values = ident('_tt_kv');
  const rows: Relation = {
    ...input,
    from: c.cte(`SELECT *, ${PARSE_KV_UDF.name}(${subject}, ${settings}) AS ${values} FROM ${input.from}`),
  };
  const position = new Map(keys.map((k, i) => [k.name, i]));
  const items: Item[] = out.map(({ name, type }) => {
    const i = position.get(name);
    if (i === undefined) return { name, type, sql: ident(name), passthrough: name };
    const text = `(${values} ->> '$[${i}]')`;
    return { name, type, sql: type === 'string' ? `coalesce(${text}, '')` : convert(text, type) };
  });
  return projectItems(rows, items, c, (d) => c.fail(op, d));
}
