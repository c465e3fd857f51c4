/**
 * Dynamic values (DuckDB JSON): parse_json, property and index access (`d.key`, `d["key"]`, `a[0]`,
 * `a[-1]`), and the array / bag functions. A JSON null read from a document is SQL NULL, as in Kusto.
 */
import { arg, constArg, sqlText, str, toJsonSql, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import type { Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { NUMERIC } from './sql.js';
import { dialect } from './dialect.js';

/** parse_json of a string: JSON when it parses, else the string itself as a dynamic string. */
export function parseJsonSql(value: Sql, node: KNode, env: Env): string {
  if (value.type === 'dynamic') return value.sql;
  if (value.type !== 'string') return toJsonSql(value, node, env);
  // the empty string is null (gettype(parse_json('')) is `null` on its page)
  return `(CASE WHEN ${value.sql} = '' THEN NULL WHEN json_valid(${value.sql}) THEN CAST(${value.sql} AS JSON) ELSE ${dialect.toJson(value.sql)} END)`;
}

const dropJsonNull = (sql: string) =>
  `(CASE WHEN ${dialect.jsonType(sql)} = 'NULL' THEN NULL ELSE ${sql} END)`;

function keyPath(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `d.key`, `d['key']`, `a[i]` on a dynamic value. */
export function dynamicAccess(node: KNode, env: Env): Sql {
  const base = env.c.expr.scalar(node.node('Expression')!, env);
  // a call yielding several arrays (array_sort_asc(a, b)) reads as the array of them
  if (base.type !== 'dynamic' && base.type !== 'tuple')
    return env.c.fail(node, `property access on ${base.type}`);
  const selector = node.node('Selector')!;
  let path: string;
  // `d.[expr]` (a PathExpression whose selector is bracketed) reads like `d[expr]`
  if (node.kind === 'PathExpression' && selector.kind !== 'BracketedExpression') {
    const name =
      selector.kind === 'BracketedName'
        ? env.c.expr.constant(selector.node('Name')!, env.c)?.value
        : selector.simpleName;
    if (typeof name !== 'string') return env.c.fail(selector, 'property name');
    path = env.c.params.add(keyPath(name), 'string');
  } else {
    const inner = selector.kind === 'BracketedExpression' ? selector.node('Expression')! : selector;
    const k = env.c.expr.constant(inner, env.c);
    if (typeof k?.value === 'string') path = env.c.params.add(keyPath(k.value), 'string');
    else if (typeof k?.value === 'number') {
      const i = k.value;
      path = env.c.params.add(i < 0 ? `$[#${i}]` : `$[${i}]`, 'string');
    } else {
      const v = env.c.expr.scalar(inner, env);
      if (NUMERIC.has(v.type))
        path = `(CASE WHEN ${v.sql} < 0 THEN '$[#' || ${v.sql} || ']' ELSE '$[' || ${v.sql} || ']' END)`;
      else if (v.type === 'string')
        path = `('$."' || replace(replace(${v.sql}, '\\', '\\\\'), '"', '\\"') || '"')`;
      else return env.c.fail(selector, `index of type ${v.type}`);
    }
  }
  return { sql: dropJsonNull(`json_extract(${base.sql}, ${path})`), type: 'dynamic' };
}

const asJsonList = (sql: string) => `CAST(${sql} AS JSON[])`;
const isArray = (sql: string) => `(${dialect.jsonType(sql)} = 'ARRAY')`;

function bagPack(args: KNode[], node: KNode, env: Env): string {
  if (args.length % 2 !== 0) return env.c.fail(node, 'bag_pack with an odd number of arguments');
  const pairs: string[] = [];
  for (let i = 0; i < args.length; i += 2)
    pairs.push(`${str(args, i, node, env)}, ${toJsonSql(arg(args, i + 1, env), node, env)}`);
  return pairs.length ? `json_object(${pairs.join(', ')})` : `'{}'::JSON`;
}

/** `bag_pack_columns(a, b)`: a bag of the named columns' values, keyed by the column names. */
function bagPackColumns(args: KNode[], node: KNode, env: Env): string {
  const pairs = args.map((a, i) => {
    const name = a.kind === 'NameReference' && a.symbol?.kind === 'Column' ? a.simpleName : undefined;
    if (!name) return env.c.fail(a, 'bag_pack_columns of an expression that is not a column');
    return `${env.c.params.add(name, 'string')}, ${toJsonSql(arg(args, i, env), node, env)}`;
  });
  return `json_object(${pairs.join(', ')})`;
}

/** `pack_all([ignore_null_empty])`: a bag of every column of the row, in column order. */
function packAll(args: KNode[], node: KNode, env: Env): string {
  const columns = node.rowColumns;
  if (!columns) return env.c.fail(node, 'pack_all outside a pipe operator');
  const skipEmpty = args.length ? constArg<boolean>(args, 0, env, 'pack_all flag', node) : false;
  const pairs = columns.map((col) => {
    const raw = env.scope.column(col.name);
    const value = { sql: col.type === 'string' ? `coalesce(${raw}, '')` : raw, type: col.type };
    return { key: env.c.params.add(col.name, 'string'), json: toJsonSql(value, node, env), raw };
  });
  if (!pairs.length) return `'{}'::JSON`;
  if (!skipEmpty) return `json_object(${pairs.map((p) => `${p.key}, ${p.json}`).join(', ')})`;
  // a null or empty value leaves its key out: concat_ws skips the NULL members
  const members = pairs.map(
    (p) =>
      `CASE WHEN ${p.raw} IS NULL OR CAST(${p.raw} AS VARCHAR) = '' THEN NULL ELSE to_json(${p.key}) || ':' || CAST(${p.json} AS VARCHAR) END`,
  );
  return `CAST('{' || concat_ws(',', ${members.join(', ')}) || '}' AS JSON)`;
}

/** `column_names_of(T)`: the names of a table's columns, known when the query is compiled. */
function columnNamesOf(args: KNode[], _node: KNode, env: Env): string {
  const names = env.c.tabular(args[0]).columns.map((col) => col.name);
  return `CAST(${env.c.params.add(JSON.stringify(names), 'string')} AS JSON)`;
}

/** Names gettype() gives the JSON types of a dynamic value (a whole number that fits 32 bits is `int`). */
function dynamicTypeName(d: string): string {
  const t = dialect.jsonType(d);
  return `(CASE ${t} WHEN 'VARCHAR' THEN 'string' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'OBJECT' THEN 'dictionary' WHEN 'ARRAY' THEN 'array' WHEN 'BIGINT' THEN CASE WHEN TRY_CAST(${d} AS BIGINT) BETWEEN -2147483648 AND 2147483647 THEN 'int' ELSE 'long' END WHEN 'UBIGINT' THEN CASE WHEN TRY_CAST(${d} AS BIGINT) <= 2147483647 THEN 'int' ELSE 'long' END ELSE 'null' END)`;
}

/** `gettype(v)`: the static type, or for a dynamic value the type of what it holds (the page's names). */
function getType(args: KNode[], _node: KNode, env: Env): string {
  const value = arg(args, 0, env);
  if (value.type === 'dynamic') return `coalesce(${dynamicTypeName(value.sql)}, 'null')`;
  const name = value.type === 'double' ? 'real' : value.type;
  return sqlText(name);
}

/** `repeat(value, count)`: an array of count copies (empty for 0, null for a negative count). */
function repeat(args: KNode[], node: KNode, env: Env): string {
  const value = toJsonSql(arg(args, 0, env), node, env);
  const count = `CAST(${arg(args, 1, env).sql} AS BIGINT)`;
  return `(CASE WHEN ${count} >= 0 THEN ${dialect.toJson(dialect.listTransform(`range(${count})`, 'i', `coalesce(${value}, 'null'::JSON)`))} END)`;
}

const SCALARS: Library = {
  gettype: getType,
  repeat,
  array_reverse: (args, _node, env) => {
    const d = arg(args, 0, env).sql;
    return `(CASE WHEN ${isArray(d)} THEN ${dialect.toJson(`list_reverse(${asJsonList(d)})`)} END)`;
  },
  bag_pack_columns: bagPackColumns,
  pack_all: packAll,
  column_names_of: columnNamesOf,
  parse_json: (args, node, env) => parseJsonSql(arg(args, 0, env), node, env),
  array_length: (args, _node, env) => {
    const d = arg(args, 0, env).sql;
    return `CAST(CASE WHEN ${isArray(d)} THEN json_array_length(${d}) END AS BIGINT)`;
  },
  set_has_element: (args, node, env) => {
    const d = arg(args, 0, env).sql;
    const v = toJsonSql(arg(args, 1, env), node, env);
    return `(CASE WHEN ${isArray(d)} THEN list_contains(CAST(${asJsonList(d)} AS VARCHAR[]), CAST(${v} AS VARCHAR)) END)`;
  },
  array_concat: (args, _node, env) =>
    dialect.toJson(`flatten([${args.map((_, i) => asJsonList(arg(args, i, env).sql)).join(', ')}])`),
  bag_keys: (args, _node, env) => {
    const d = arg(args, 0, env).sql;
    return `(CASE WHEN ${dialect.jsonType(d)} = 'OBJECT' THEN ${dialect.toJson(`json_keys(${d})`)} END)`;
  },
  bag_has_key: (args, node, env) => {
    const key = env.c.expr.constant(args[1], env.c)?.value;
    // a constant `$.a.b` is a JSONPath into nested bags; anything else is one top-level key
    const path =
      typeof key === 'string' && /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/.test(key)
        ? sqlText(key)
        : `'$."' || replace(${str(args, 1, node, env)}, '"', '\\"') || '"'`;
    return `coalesce(json_exists(${arg(args, 0, env).sql}, ${path}), false)`;
  },
  bag_pack: bagPack,
  pack_array: (args, node, env) =>
    `json_array(${args.map((_, i) => toJsonSql(arg(args, i, env), node, env)).join(', ')})`,
  // inclusive bounds; negative ones count from the end; out-of-range bounds are clamped
  array_slice: (args, _node, env) => {
    const d = arg(args, 0, env).sql;
    const list = asJsonList(d);
    const bound = (i: number) => {
      const b = `CAST(${arg(args, i, env).sql} AS BIGINT)`;
      return `(CASE WHEN ${b} < 0 THEN ${dialect.listLength(list)} + ${b} ELSE ${b} END)`;
    };
    return `(CASE WHEN ${isArray(d)} THEN ${dialect.toJson(`coalesce(list_slice(${list}, greatest(${bound(1)}, 0) + 1, ${bound(2)} + 1), [])`)} END)`;
  },
  extract_json: (args, node, env) => {
    const doc = parseJsonSql(arg(args, 1, env), node, env);
    const value = dropJsonNull(`json_extract(${doc}, ${str(args, 0, node, env)})`);
    const type = node.type?.name ?? 'string';
    if (type === 'string')
      return `coalesce(CASE WHEN ${dialect.jsonType(value)} = 'VARCHAR' THEN ${value} ->> '$' ELSE CAST(${value} AS VARCHAR) END, '')`;
    return `TRY_CAST(${value} ->> '$' AS ${dialect.type(type) ?? 'VARCHAR'})`;
  },
  // the binder types the call but does not say whether the column exists: ask the input row's columns
  column_ifexists: (args, node, env) => {
    const name = constArg<string>(args, 0, env, 'column name', node);
    const column = node.rowColumns?.find((c) => c.name === name);
    if (!node.rowColumns) return env.c.fail(node, 'column_ifexists outside a pipe operator');
    if (!column) return arg(args, 1, env).sql;
    const raw = env.scope.column(name);
    return column.type === 'string' ? `coalesce(${raw}, '')` : raw;
  },
  series_stats_dynamic: (args, _node, env) => {
    const list = `CAST(${arg(args, 0, env).sql} AS DOUBLE[])`;
    return (
      `json_object('min', list_min(${list}), 'min_idx', list_position(${list}, list_min(${list})) - 1, ` +
      `'max', list_max(${list}), 'max_idx', list_position(${list}, list_max(${list})) - 1, ` +
      `'avg', list_avg(${list}), 'stdev', list_stddev_samp(${list}), 'variance', list_var_samp(${list}))`
    );
  },
};
SCALARS.todynamic = SCALARS.parse_json;
SCALARS.toobject = SCALARS.parse_json;
SCALARS.extractjson = SCALARS.extract_json;
SCALARS.pack = bagPack;
SCALARS.pack_dictionary = bagPack;

export const DYNAMIC_FUNCTIONS: FunctionFamily = { name: 'dynamic', scalars: SCALARS };
