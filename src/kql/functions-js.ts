/**
 * Functions computed in JavaScript (one row-wise DuckDB UDF, `tt_kql_js(name, args)`, see udf.ts): the
 * parsers, array / bag reshaping and series arithmetic whose SQL would be long and fragile. Arguments go
 * in as one JSON array (dynamic values as JSON, datetimes as Kusto's ISO text, timespans as microseconds);
 * the result comes back as JSON and is cast to the binder's type. These run once per row on the JS
 * thread (`npm run bench -- kql-udf`): fine for a projection over a hunt's results, slow over whole
 * tables, so functions a hunt filters on stay in SQL.
 */
import type { Env } from './context.js';
import { dialect } from './dialect.js';
import { arg, type Library } from './functions-common.js';
import { JS_LIBRARY, type JsValue } from './js-library.js';
import type { KNode } from './kusto.js';
import type { FunctionFamily } from './registry.js';
import type { JsFunction } from './udf.js';

/** One argument as JSON: timespans as microseconds (JSON has no duration). */
function jsonArg(args: KNode[], i: number, node: KNode, env: Env): string {
  const value = arg(args, i, env);
  if (value.type === 'timespan') return dialect.toJson(dialect.intervalMicros(value.sql));
  if (value.type === 'dynamic') return `coalesce(${value.sql}, 'null'::JSON)`;
  if (value.type === 'datetime' || value.type === 'guid')
    return dialect.toJson(`nullif(${env.c.expr.asString(value, node, env)}, '')`);
  return dialect.toJson(value.sql);
}

/** The JSON result as the binder's type. */
function fromJson(json: string, type: string): string {
  const text = `(${json} ->> '$')`;
  switch (type) {
    case 'string':
      return `coalesce(${text}, '')`;
    case 'dynamic':
      return `(CASE WHEN ${dialect.jsonType(`CAST(${json} AS JSON)`)} = 'NULL' THEN NULL ELSE CAST(${json} AS JSON) END)`;
    case 'datetime':
      return `TRY_CAST(${text} AS TIMESTAMP)`;
    case 'timespan':
      return dialect.intervalFromMicros(`TRY_CAST(${text} AS BIGINT)`);
  }
  const duck = dialect.type(type);
  return duck ? `TRY_CAST(${text} AS ${duck})` : `CAST(${json} AS JSON)`;
}

export function jsCall(name: string, args: KNode[], node: KNode, env: Env): string {
  const list = args.map((_, i) => jsonArg(args, i, node, env));
  const call = `tt_kql_js(${env.c.params.add(name, 'string')}, CAST(json_array(${list.join(', ')}) AS VARCHAR))`;
  return fromJson(call, node.type?.name ?? 'dynamic');
}

/** NaN and ±∞ have no JSON form: they travel as the text DuckDB casts back to a double. */
function toJsonText(value: JsValue | undefined): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    if (typeof v === 'bigint') return Number(v);
    return v;
  });
}

const DISPATCH: JsFunction = {
  name: 'tt_kql_js',
  parameters: ['string', 'string'],
  returns: 'string',
  apply: (name: string, args: string) => {
    const fn = JS_LIBRARY[name];
    if (!fn) throw new Error(`no JS function ${name}`);
    return toJsonText(fn(...(JSON.parse(args) as JsValue[])));
  },
};

/**
 * `array_sort_asc(a1, a2 …)` where it names columns (print, extend, project): one column per array, read
 * from the array of sorted arrays the call returns.
 */
export function sortedArrays(expr: KNode, env: Env): string[] | undefined {
  const name = expr.node('Name')?.simpleName?.toLowerCase();
  if (name !== 'array_sort_asc' && name !== 'array_sort_desc') return undefined;
  const args = expr.node('ArgumentList')?.list('Expressions') ?? [];
  const all = `CAST(${jsCall(name, args, expr, env)} AS JSON)`;
  return (expr.type?.columns ?? []).map((_, i) => `json_extract(${all}, '$[${i}]')`);
}

const SCALARS: Library = Object.fromEntries(
  Object.keys(JS_LIBRARY).map((name) => [
    name,
    (args: KNode[], node: KNode, env: Env) => jsCall(name, args, node, env),
  ]),
);

/**
 * An aggregate computed in JavaScript over the rows' non-null values (the JS function gets them as its
 * arguments): `make_bag` / `make_bag_if` merge bags (the first value of a key), `buildschema` unions schemas.
 */
function jsAggregate(name: string, args: KNode[], env: Env, where?: KNode): string {
  const value = arg(args, 0, env).sql;
  const condition = where ? ` AND ${env.c.expr.scalar(where, env).sql}` : '';
  // in the rows' order when it is known (a union's alternatives and a merge's first value depend on it)
  const by = env.listOrder ? ` ORDER BY ${env.listOrder}` : '';
  const values = `coalesce(list(${value}${by}) FILTER (WHERE ${value} IS NOT NULL${condition}), [])`;
  return `CAST(tt_kql_js(${env.c.params.add(name, 'string')}, CAST(${dialect.toJson(values)} AS VARCHAR)) AS JSON)`;
}

const AGGREGATES: Library = {
  make_bag: (args, _node, env) => jsAggregate('bag_merge', args, env),
  make_bag_if: (args, _node, env) => jsAggregate('bag_merge', args, env, args[1]),
  buildschema: (args, _node, env) => jsAggregate('buildschema', args, env),
};

export const JS_FUNCTIONS: FunctionFamily = {
  name: 'js',
  scalars: SCALARS,
  aggregates: AGGREGATES,
  udfs: [DISPATCH],
};
