/**
 * Kusto's t-digest family: `tdigest(x[, w])` and `tdigest_merge` / `merge_tdigest` build a digest,
 * `percentile_tdigest`, `percentiles_array_tdigest` and `rank_tdigest` read it. Telltale's digest is exact:
 * a dynamic array of `[value, weight]` pairs (datetimes and timespans as microseconds), so its percentiles
 * are the weighted nearest-rank percentiles `percentilesw` gives. Its text is not Kusto's opaque digest.
 * Reading one runs in JavaScript (once per digest: digests are few, one per summarize group).
 */
import type { Env, Sql } from './context.js';
import { dialect } from './dialect.js';
import { arg, constArg, type Library } from './functions-common.js';
import type { KNode } from './kusto.js';
import type { FunctionFamily } from './registry.js';
import type { JsFunction } from './udf.js';

type Pair = [number, number];

function pairs(json: string): Pair[] {
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) return [];
  return (parsed as Pair[])
    .filter((p) => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number' && p[1] > 0)
    .sort((a, b) => a[0] - b[0]);
}

/** Weighted nearest rank: the first value whose cumulative weight reaches ceil(p% of the total). */
function percentileOf(sorted: Pair[], p: number): number | null {
  const total = sorted.reduce((s, [, w]) => s + w, 0);
  if (!total || !(p >= 0 && p <= 100)) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total - 1e-9));
  let seen = 0;
  for (const [v, w] of sorted) if ((seen += w) >= rank) return v;
  return sorted[sorted.length - 1][0];
}

const UDFS: JsFunction[] = [
  {
    name: 'tt_js_tdigest_percentiles',
    parameters: ['json', 'json'],
    returns: 'json',
    apply: (digest: string, ps: string) => {
      const sorted = pairs(digest);
      return (JSON.parse(ps) as number[]).map((p) => percentileOf(sorted, Number(p)));
    },
  },
  {
    name: 'tt_js_tdigest_rank',
    parameters: ['json', 'real'],
    returns: 'real',
    // the summed weight of the values at or below v
    apply: (digest: string, v: number) =>
      pairs(digest).reduce((s, [value, w]) => (value <= v ? s + w : s), 0),
  },
];

/** A value as the digest's number: datetimes and timespans as microseconds. */
function numeric(value: Sql): string {
  if (value.type === 'datetime') return `CAST(${dialect.epochMicros(value.sql)} AS DOUBLE)`;
  if (value.type === 'timespan') return `CAST(${dialect.intervalMicros(value.sql)} AS DOUBLE)`;
  return `CAST(${value.sql} AS DOUBLE)`;
}

/** A digest's number back as the binder's type. */
function typed(number: string, type: string): string {
  if (type === 'datetime') return dialect.timestampFromMicros(`CAST(round(${number}) AS BIGINT)`);
  if (type === 'timespan') return dialect.intervalFromMicros(`CAST(round(${number}) AS BIGINT)`);
  const duck = dialect.type(type);
  return duck && duck !== 'JSON' ? `CAST(${number} AS ${duck})` : dialect.toJson(number);
}

const digestText = (args: KNode[], env: Env) => `CAST(${arg(args, 0, env).sql} AS VARCHAR)`;
const asPairs = (sql: string) => `CAST(${sql} AS DOUBLE[][])`;

/** The percentile arguments from `first` on: constants, or one constant dynamic array of them. */
function percentArgs(args: KNode[], first: number, node: KNode, env: Env): number[] {
  const values = args
    .slice(first)
    .flatMap((_, i) => [constArg<unknown>(args, first + i, env, 'percentile', node)])
    .flat();
  if (!values.length || values.some((v) => typeof v !== 'number' && typeof v !== 'bigint'))
    return env.c.fail(node, 'percentiles that are not constant numbers');
  return values.map(Number);
}

function percentilesCall(digest: string, ps: number[], env: Env): string {
  return `CAST(tt_js_tdigest_percentiles(${digest}, ${env.c.params.add(JSON.stringify(ps), 'string')}) AS JSON)`;
}

const SCALARS: Library = {
  merge_tdigest: (args, _node, env) =>
    dialect.toJson(`flatten([${args.map((_, i) => asPairs(arg(args, i, env).sql)).join(', ')}])`),
  percentile_tdigest: (args, node, env) => {
    const p = percentArgs(args.slice(0, 2), 1, node, env);
    const value = `CAST(json_extract(${percentilesCall(digestText(args, env), p, env)}, '$[0]') AS DOUBLE)`;
    return typed(value, node.type?.name ?? 'real');
  },
  percentiles_array_tdigest: (args, node, env) =>
    percentilesCall(digestText(args, env), percentArgs(args, 1, node, env), env),
  rank_tdigest: (args, node, env) =>
    `CAST(tt_js_tdigest_rank(${digestText(args, env)}, ${numeric(arg(args, 1, env))}) AS BIGINT)`,
};

/** The digest of a group's values (aggregate SQL): its `[value, weight]` pairs. */
function digestOf(value: Sql, weight: string): string {
  return dialect.toJson(
    `coalesce(list([${numeric(value)}, ${weight}]) FILTER (WHERE ${value.sql} IS NOT NULL), [])`,
  );
}

const AGGREGATES: Library = {
  tdigest: (args, _node, env) =>
    digestOf(arg(args, 0, env), args.length > 1 ? numeric(arg(args, 1, env)) : '1.0'),
  tdigest_merge: (args, _node, env) =>
    dialect.toJson(`coalesce(flatten(list(${asPairs(arg(args, 0, env).sql)})), [])`),
};
AGGREGATES.merge_tdigest = AGGREGATES.tdigest_merge;

/** `percentiles_array(x, p…)` / `percentilesw_array(x, w, p…)`: one dynamic array of the percentiles. */
function percentilesArray(weighted: boolean) {
  return (args: KNode[], node: KNode, env: Env): string => {
    const value = arg(args, 0, env);
    const weight = weighted ? numeric(arg(args, 1, env)) : '1.0';
    const ps = percentArgs(args, weighted ? 2 : 1, node, env);
    const digest = `CAST(${digestOf(value, weight)} AS VARCHAR)`;
    const list = percentilesCall(digest, ps, env);
    // the percentiles keep the column's type (long values print as integers)
    const elementType = value.type === 'int' ? 'long' : value.type;
    if (elementType === 'long') return dialect.toJson(`CAST(${list} AS BIGINT[])`);
    return list;
  };
}
AGGREGATES.percentiles_array = percentilesArray(false);
AGGREGATES.percentilesw_array = percentilesArray(true);

export const TDIGEST_FUNCTIONS: FunctionFamily = {
  name: 'tdigest',
  scalars: SCALARS,
  aggregates: AGGREGATES,
  udfs: UDFS,
};
