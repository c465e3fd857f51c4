/**
 * The core of the function library: conversions, null / empty tests, `iff`, `bin`, the basic string
 * functions, and the basic summarize aggregates (more in op-aggregates.ts). Results are cast to the
 * binder's type by the caller (functions.ts).
 */
import type { Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { arg, str, type Impl, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import { NUMERIC } from './sql.js';
import { dialect } from './dialect.js';
import { ipv4InConstantRangeSql, ipv4IsPrivateSql } from './ipv4-tests.js';

// micros between 0001-01-01 and 1970-01-01: Kusto bins datetimes from year 1, not from the Unix epoch
export const YEAR_ONE_OFFSET_US = '62135596800000000';

function bin(args: KNode[], node: KNode, env: Env): string {
  const value = arg(args, 0, env);
  if (value.type === 'datetime' || value.type === 'timespan') {
    const k = env.c.expr.constant(args[1], env.c);
    const micros =
      typeof k?.value === 'number'
        ? env.c.params.add(k.value, 'long')
        : dialect.intervalMicros(arg(args, 1, env).sql);
    if (value.type === 'datetime') {
      return dialect.timestampFromMicros(
        `((${dialect.epochMicros(value.sql)} + ${YEAR_ONE_OFFSET_US}) // ${micros}) * ${micros} - ${YEAR_ONE_OFFSET_US}`,
      );
    }
    return dialect.intervalFromMicros(
      `CAST(floor(${dialect.intervalMicros(value.sql)} / ${micros}) * ${micros} AS BIGINT)`,
    );
  }
  if (NUMERIC.has(value.type)) {
    const size = arg(args, 1, env);
    return `CAST(floor(${value.sql} / ${size.sql}) * ${size.sql} AS ${dialect.type(node.type?.name ?? 'real') ?? 'DOUBLE'})`;
  }
  return env.c.fail(node, `bin of ${value.type}`);
}

function toNumber(target: 'INTEGER' | 'BIGINT' | 'DOUBLE'): Impl {
  return (args, node, env) => {
    const value = arg(args, 0, env);
    const v = value.sql;
    if (value.type === 'string' || value.type === 'dynamic') {
      const text =
        value.type === 'string' ? `trim(${v})` : `trim(${env.c.expr.toStringSql(value, node, env)})`;
      if (target === 'DOUBLE') return `TRY_CAST(${text} AS DOUBLE)`;
      // DuckDB rounds '2.7' when casting to an integer; Kusto truncates
      return `(CASE WHEN regexp_full_match(${text}, '[+-]?[0-9]+') THEN TRY_CAST(${text} AS ${target}) ELSE TRY_CAST(trunc(TRY_CAST(${text} AS DOUBLE)) AS ${target}) END)`;
    }
    if (value.type === 'bool') return `CAST(CASE WHEN ${v} THEN 1 WHEN NOT ${v} THEN 0 END AS ${target})`;
    if (value.type === 'real' || value.type === 'decimal') {
      return target === 'DOUBLE' ? `CAST(${v} AS DOUBLE)` : `TRY_CAST(trunc(${v}) AS ${target})`;
    }
    if (value.type === 'int' || value.type === 'long') return `TRY_CAST(${v} AS ${target})`;
    return env.c.fail(node, `conversion of ${value.type} to a number`);
  };
}

function emptiness(wantEmpty: boolean): Impl {
  return (args, _node, env) => {
    const value = arg(args, 0, env);
    const empty = value.type === 'string' ? `(${value.sql} = '')` : `(${value.sql} IS NULL)`;
    return wantEmpty ? empty : `(NOT ${empty})`;
  };
}

function nullness(wantNull: boolean): Impl {
  return (args, _node, env) => {
    const value = arg(args, 0, env);
    if (value.type === 'string') return wantNull ? 'false' : 'true'; // Kusto strings are never null
    return wantNull ? `(${value.sql} IS NULL)` : `(${value.sql} IS NOT NULL)`;
  };
}

const SCALAR: Library = {
  now: (args, _node, env) => (args.length ? `(${env.c.now()} + ${arg(args, 0, env).sql})` : env.c.now()),
  ago: (args, _node, env) => `(${env.c.now()} - ${arg(args, 0, env).sql})`,
  bin,
  floor: (args, node, env) => (args.length === 2 ? bin(args, node, env) : `floor(${arg(args, 0, env).sql})`),
  toint: toNumber('INTEGER'),
  tolong: toNumber('BIGINT'),
  todouble: toNumber('DOUBLE'),
  toreal: toNumber('DOUBLE'),
  // Kusto's decimal is held as a double here (the store's decimal columns are DOUBLE)
  todecimal: toNumber('DOUBLE'),
  isempty: emptiness(true),
  isnotempty: emptiness(false),
  isnull: nullness(true),
  isnotnull: nullness(false),
  not: (args, _node, env) => `(NOT ${arg(args, 0, env).sql})`,
  iff: (args, _node, env) =>
    `(CASE WHEN ${arg(args, 0, env).sql} THEN ${arg(args, 1, env).sql} ELSE ${arg(args, 2, env).sql} END)`,
  strcat: (args, node, env) => `concat(${args.map((_, i) => str(args, i, node, env)).join(', ')})`,
  tolower: (args, node, env) => `lower(${str(args, 0, node, env)})`,
  toupper: (args, node, env) => `upper(${str(args, 0, node, env)})`,
  strlen: (args, node, env) => `CAST(length(${str(args, 0, node, env)}) AS BIGINT)`,
  substring: (args, node, env) => {
    const s = str(args, 0, node, env);
    const start = arg(args, 1, env).sql;
    const len = args.length > 2 ? `, ${arg(args, 2, env).sql}` : '';
    return `coalesce(substring(${s}, (${start}) + 1${len}), '')`;
  },
  // Kusto's coalesce skips empty strings as well as nulls
  coalesce: (args, _node, env) => {
    const values = args.map((_, i) => arg(args, i, env));
    if (values.every((v) => v.type === 'string'))
      return `coalesce(${values.map((v) => `nullif(${v.sql}, '')`).join(', ')}, '')`;
    return `coalesce(${values.map((v) => v.sql).join(', ')})`;
  },
  // Kusto's private ranges are RFC 1918's only (not loopback or link-local); a /n suffix is allowed
  ipv4_is_private: (args, node, env) => ipv4IsPrivateSql(str(args, 0, node, env)),
  // 32 hex digits with or without dashes (and braces): the canonical lower-case text; else a null guid
  toguid: (args, node, env) => {
    const v = arg(args, 0, env);
    if (v.type === 'guid') return v.sql;
    return `coalesce(CAST(TRY_CAST(${env.c.expr.asString(v, node, env)} AS UUID) AS VARCHAR), '')`;
  },
  // a constant range (every hunt's) is decided on the address's text; any other by the macro
  ipv4_is_in_range: (args, node, env) => {
    const ip = str(args, 0, node, env);
    const range = args[1] && env.c.expr.constant(args[1], env.c)?.value;
    const fast = typeof range === 'string' ? ipv4InConstantRangeSql(ip, range) : undefined;
    return fast ?? `tt_ipv4_in_range(${ip}, ${str(args, 1, node, env)})`;
  },
};
SCALAR.iif = SCALAR.iff;

/** Non-empty strings and non-null values: what Kusto's aggregates count. */
function counted(value: Sql): string {
  return value.type === 'string' ? `nullif(${value.sql}, '')` : value.sql;
}

function collected(value: Sql, distinct: boolean, maxSize?: Sql, order?: string): string {
  const v = counted(value);
  // a set has no order (and DuckDB cannot order a DISTINCT aggregate by another column)
  const by = order && !distinct ? ` ORDER BY ${order}` : '';
  const list = `coalesce(list(${distinct ? 'DISTINCT ' : ''}${v}${by}) FILTER (WHERE ${v} IS NOT NULL), [])`;
  // Kusto's maxSize argument: at most that many elements
  return dialect.toJson(maxSize ? `list_slice(${list}, 1, ${maxSize.sql})` : list);
}

const AGGREGATE: Library = {
  count: () => 'count(*)',
  countif: (args, _node, env) => `count(*) FILTER (WHERE ${arg(args, 0, env).sql})`,
  dcount: (args, _node, env) => `count(DISTINCT ${counted(arg(args, 0, env))})`,
  dcountif: (args, _node, env) =>
    `count(DISTINCT ${counted(arg(args, 0, env))}) FILTER (WHERE ${arg(args, 1, env).sql})`,
  sum: (args, _node, env) => `sum(${arg(args, 0, env).sql})`,
  sumif: (args, _node, env) => `sum(${arg(args, 0, env).sql}) FILTER (WHERE ${arg(args, 1, env).sql})`,
  avg: (args, _node, env) => `avg(${arg(args, 0, env).sql})`,
  min: (args, _node, env) => minMax('min', arg(args, 0, env)),
  max: (args, _node, env) => minMax('max', arg(args, 0, env)),
  take_any: (args, _node, env) => `any_value(${counted(arg(args, 0, env))})`,
  // DuckDB's list() keeps NULLs; Kusto's make_set/make_list skip them (and empty strings)
  make_set: (args, _node, env) =>
    collected(arg(args, 0, env), true, args.length > 1 ? arg(args, 1, env) : undefined),
  make_list: (args, _node, env) =>
    collected(arg(args, 0, env), false, args.length > 1 ? arg(args, 1, env) : undefined, env.listOrder),
};
AGGREGATE.any = AGGREGATE.take_any;
AGGREGATE.count_distinct = AGGREGATE.dcount;
// the deprecated spellings still found in older hunts
AGGREGATE.makeset = AGGREGATE.make_set;
AGGREGATE.makelist = AGGREGATE.make_list;

function minMax(fn: 'min' | 'max', value: Sql): string {
  // empty strings are Kusto's missing strings: ignore them, and give '' when nothing is left
  return value.type === 'string' ? `coalesce(${fn}(nullif(${value.sql}, '')), '')` : `${fn}(${value.sql})`;
}

export const CORE_FUNCTIONS: FunctionFamily = { name: 'core', scalars: SCALAR, aggregates: AGGREGATE };
