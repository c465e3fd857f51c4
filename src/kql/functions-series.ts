/**
 * Series functions over dynamic numeric arrays (make-series output, make_list): `series_stats` (one
 * column per statistic, `extend series_stats(x)` or `(a, b, …) = series_stats(x)`), `series_stats_dynamic`
 * (one bag, in functions-dynamic.ts) and `series_outliers`. Elements that are null (or `ignore_val`) are
 * left out of the statistics; an element that is not a number reads as null.
 */
import { constArg, arg, type Library } from './functions-common.js';
import type { Env } from './expr.js';
import type { KNode } from './kusto.js';

/** The series as DOUBLE[] and the values the statistics use (nulls and ignore_val dropped). */
function values(args: KNode[], ignoreAt: number, env: Env): { list: string; kept: string } {
  const list = `TRY_CAST(${arg(args, 0, env).sql} AS DOUBLE[])`;
  const ignore = args[ignoreAt] ? arg(args, ignoreAt, env).sql : undefined;
  const keep = ignore ? `e IS NOT NULL AND e IS DISTINCT FROM ${ignore}` : 'e IS NOT NULL';
  return { list, kept: `list_filter(${list}, e -> ${keep})` };
}

/** `series_stats(x [, ignore_val])`: min, min_idx, max, max_idx, avg, stdev, variance (sample). */
export function seriesStats(args: KNode[], env: Env): string[] {
  const { list, kept } = values(args, 1, env);
  return [
    `list_min(${kept})`,
    `CAST(list_position(${list}, list_min(${kept})) - 1 AS BIGINT)`,
    `list_max(${kept})`,
    `CAST(list_position(${list}, list_max(${kept})) - 1 AS BIGINT)`,
    `list_avg(${kept})`,
    `list_stddev_samp(${kept})`,
    `list_var_samp(${kept})`,
  ];
}

/** A percentile argument as a fraction written into the SQL: checked to be a plain number in [2, 98]. */
function percentile(args: KNode[], i: number, fallback: number, node: KNode, env: Env): string {
  const value = args[i] ? Number(constArg<number>(args, i, env, 'percentile', node)) : fallback;
  if (!Number.isFinite(value) || value < 2 || value > 98)
    env.c.fail(args[i] ?? node, 'percentile outside 2..98');
  return String(value / 100);
}

/**
 * `series_outliers(x [, kind, ignore_val, min_percentile, max_percentile])`: Tukey's test. With the low and
 * high percentiles L, H of the values (25/75 for "tukey", 10/90 or the arguments for "ctukey", the
 * default), an element above H scores (v − H) / (H − L), one below L scores (v − L) / (H − L), others 0;
 * nulls and ignore_val score 0. Percentiles interpolate linearly between ranks.
 */
export function seriesOutliers(args: KNode[], node: KNode, env: Env): string {
  const kind = args[1] ? String(constArg<string>(args, 1, env, 'kind', node)).toLowerCase() : 'ctukey';
  if (kind !== 'tukey' && kind !== 'ctukey') return env.c.fail(args[1], `series_outliers kind ${kind}`);
  const [lo, hi] =
    kind === 'tukey'
      ? ['0.25', '0.75']
      : [percentile(args, 3, 10, node, env), percentile(args, 4, 90, node, env)];
  const { list, kept } = values(args, 2, env);
  const ignore = args[2] ? ` OR e IS NOT DISTINCT FROM ${arg(args, 2, env).sql}` : '';
  const q = (f: string) => `list_aggregate(${kept}, 'quantile_cont', ${f})`;
  const score =
    `CASE WHEN e IS NULL${ignore} THEN 0 WHEN e > s.hi THEN (e - s.hi) / (s.hi - s.lo) ` +
    `WHEN e < s.lo THEN (e - s.lo) / (s.hi - s.lo) ELSE 0 END`;
  // the percentiles once per series: bound to `s` by an outer one-element list_transform
  return `to_json((list_transform([struct_pack(lo := ${q(lo)}, hi := ${q(hi)})], s -> list_transform(${list}, e -> ${score})))[1])`;
}

export const SERIES_FUNCTIONS: Library = {
  series_outliers: seriesOutliers,
};

/** Width of an expression yielding several columns (series_stats …), 0 for a plain scalar. */
export function tupleWidth(expr: KNode): number {
  return expr.type && !expr.type.tabular ? expr.type.columns.length : 0;
}

/** One SQL expression per column of a function yielding several columns. */
export function tupleCall(expr: KNode, env: Env): string[] {
  const name =
    expr.kind === 'FunctionCallExpression' ? expr.node('Name')?.simpleName?.toLowerCase() : undefined;
  const args = expr.node('ArgumentList')?.list('Expressions') ?? [];
  if (name === 'series_stats') return seriesStats(args, env);
  return env.c.fail(expr, `function ${name ?? 'call'}() with several result columns`);
}
