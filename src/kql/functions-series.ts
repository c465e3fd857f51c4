/**
 * Series functions over dynamic numeric arrays (make-series output, make_list): `series_stats` (one
 * column per statistic, `extend series_stats(x)` or `(a, b, …) = series_stats(x)`), `series_stats_dynamic`
 * (one bag, in functions-dynamic.ts) and `series_outliers`. Elements that are null (or `ignore_val`) are
 * left out of the statistics; an element that is not a number reads as null.
 */
import { constArg, arg, sqlText, toJsonSql, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import type { Env } from './context.js';
import type { KNode } from './kusto.js';
import { dialect } from './dialect.js';
import { sortedArrays } from './functions-js.js';
import { realJson } from './dynamic-literal.js';
import type { JsFunction } from './udf.js';
import { runtimeRefusalText } from './errors.js';

/** The series as DOUBLE[] and the values the statistics use (nulls and ignore_val dropped). */
function values(args: KNode[], ignoreAt: number | undefined, env: Env): { list: string; kept: string } {
  const list = `TRY_CAST(${arg(args, 0, env).sql} AS DOUBLE[])`;
  const ignore = ignoreAt !== undefined && args[ignoreAt] ? arg(args, ignoreAt, env).sql : undefined;
  const keep = ignore ? `e IS NOT NULL AND e IS DISTINCT FROM ${ignore}` : 'e IS NOT NULL';
  return { list, kept: dialect.listFilter(list, 'e', keep) };
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
 * Tukey scores of DOUBLE[] `list` (nulls and `skip` score 0; `kept` are the values the percentiles read):
 * with the low and high percentiles L, H, an element above H scores (v − H) / (H − L), one below L
 * (v − L) / (H − L), others 0. Percentiles interpolate linearly between ranks. The percentiles are computed
 * once per series, bound to `s` by an outer one-element list_transform.
 */
function tukeyScores(list: string, kept: string, lo: string, hi: string, skip = ''): string {
  const q = (f: string) => `list_aggregate(${kept}, 'quantile_cont', ${f})`;
  const score =
    `CASE WHEN e IS NULL${skip} THEN 0 WHEN e > s.hi THEN (e - s.hi) / (s.hi - s.lo) ` +
    `WHEN e < s.lo THEN (e - s.lo) / (s.hi - s.lo) ELSE 0 END`;
  return `(${dialect.listTransform(`[struct_pack(lo := ${q(lo)}, hi := ${q(hi)})]`, 's', dialect.listTransform(list, 'e', score))})[1]`;
}

/** The percentile range of a Tukey method: 25/75 for "tukey", 10/90 (or the given ones) for "ctukey". */
function tukeyRange(
  kind: string,
  node: KNode,
  at: KNode | undefined,
  env: Env,
  custom: () => [string, string],
) {
  if (kind === 'tukey') return ['0.25', '0.75'];
  if (kind === 'ctukey') return custom();
  return env.c.fail(at ?? node, `anomaly method ${kind}`);
}

/**
 * `series_outliers(x [, kind, ignore_val, min_percentile, max_percentile])`: Tukey's test (see
 * tukeyScores) against the 25th/75th percentiles ("tukey") or the 10th/90th or given ones ("ctukey", the
 * default); nulls and ignore_val score 0.
 */
export function seriesOutliers(args: KNode[], node: KNode, env: Env): string {
  const kind = args[1] ? String(constArg<string>(args, 1, env, 'kind', node)).toLowerCase() : 'ctukey';
  const [lo, hi] = tukeyRange(kind, node, args[1], env, () => [
    percentile(args, 3, 10, node, env),
    percentile(args, 4, 90, node, env),
  ]);
  const { list, kept } = values(args, 2, env);
  const skip = args[2] ? ` OR e IS NOT DISTINCT FROM ${arg(args, 2, env).sql}` : '';
  return dialect.toJson(tukeyScores(list, kept, lo, hi, skip));
}

/**
 * `series_decompose_anomalies(x [, threshold, seasonality, trend, test_points, method])` → ad_flag,
 * ad_score, baseline. Supported as documented without a seasonal component (seasonality 0): the baseline
 * is the trend — "avg" (the default: the series' mean), "linefit" (least squares over the indexes 0..n−1)
 * or "none" (0) —, the residual x − baseline is scored with Tukey's test (method "ctukey", the default,
 * 10th/90th percentiles, or "tukey"), and the flag is +1 / −1 where the score is above threshold (1.5) /
 * below −threshold, else 0. Seasonality −1 (the default: periods detected by series_periods_detect) is
 * answered only where no detection can find a period (a constant series), and stops the query on any
 * other series; a given period is TT001, as are test_points other than 0.
 */
function seriesDecomposeAnomalies(args: KNode[], node: KNode, env: Env): string[] {
  const num = (i: number, fallback: number): number => {
    const a = args[i];
    if (!a) return fallback;
    // `-1`: a unary minus over a literal
    if (a.kind === 'UnaryMinusExpression')
      return -Number(constArg<number>([a.node('Expression')!], 0, env, 'argument', a));
    return Number(constArg<number>(args, i, env, 'argument', node));
  };
  // a threshold read from data (`toscalar(threshold)` of a watchlist row) is a scalar subquery
  const known = !args[1] || env.c.expr.constant(args[1], env.c) !== undefined;
  const threshold = known ? num(1, 1.5) : 0;
  if (!Number.isFinite(threshold)) return env.c.fail(args[1], 'threshold');
  const seasonality = num(2, -1);
  if (seasonality !== 0 && seasonality !== -1)
    return env.c.fail(node, 'series_decompose_anomalies with a given seasonality');
  const trend = args[3] ? String(constArg<string>(args, 3, env, 'trend', node)).toLowerCase() : 'avg';
  if (!['avg', 'linefit', 'none'].includes(trend)) return env.c.fail(args[3], `trend ${trend}`);
  if (num(4, 0) !== 0) return env.c.fail(args[4], 'series_decompose_anomalies test_points');
  const method = args[5] ? String(constArg<string>(args, 5, env, 'method', node)).toLowerCase() : 'ctukey';
  const [lo, hi] = tukeyRange(method, node, args[5], env, () => ['0.1', '0.9']);
  if (args.length > 6) return env.c.fail(args[6], 'series_decompose_anomalies seasonality_threshold');

  const { list } = values(args, undefined, env);
  const n = dialect.listLength(list);
  // baseline a + b·i over the indexes i = 0..n−1 (nulls read as 0 in the fit, as make-series fills them)
  const v = dialect.listTransform(list, 'e', 'coalesce(e, 0)');
  const sumI = `(${n} * (${n} - 1) / 2.0)`;
  const sumI2 = `((${n} - 1) * ${n} * (2 * ${n} - 1) / 6.0)`;
  const sumIV = `list_sum(${dialect.listTransform(v, '(e, j)', 'e * (j - 1)')})`;
  const slope =
    trend === 'linefit'
      ? `coalesce((${n} * ${sumIV} - ${sumI} * list_sum(${v})) / nullif(${n} * ${sumI2} - ${sumI} * ${sumI}, 0), 0)`
      : '0';
  const intercept = trend === 'none' ? '0' : `((list_sum(${v}) - ${slope} * ${sumI}) / ${n})`;
  const baseline = dialect.listTransform(`range(${n})`, 'i', `CAST(${intercept} + ${slope} * i AS DOUBLE)`);
  const residual = dialect.listTransform(v, '(e, j)', `e - (${intercept} + ${slope} * (j - 1))`);
  const score = tukeyScores(residual, residual, lo, hi);
  const flagOf = (x: string, t: string) =>
    `CASE WHEN ${x} > ${t} THEN 1 WHEN ${x} < -${t} THEN -1 ELSE 0 END`;
  // DuckDB takes no subquery inside a lambda: a threshold from data rides along each score
  const flag = known
    ? dialect.listTransform(score, 'x', flagOf('x', env.c.params.add(threshold, 'real')))
    : dialect.listTransform(
        `list_zip(${score}, list_resize(CAST([] AS DOUBLE[]), ${n}, CAST(${arg(args, 1, env).sql} AS DOUBLE)))`,
        'p',
        flagOf('p[1]', 'p[2]'),
      );
  const outputs = [dialect.toJson(flag), dialect.toJson(score), dialect.toJson(baseline)];
  if (seasonality === 0) return outputs;
  // −1 detects periods first; a constant series has none whatever the method, so it is answered as
  // seasonality 0; on any other series the query stops with the reason rather than guess a period
  const constant = `(${n} = 0 OR list_min(${v}) = list_max(${v}))`;
  const refusal = sqlText(
    runtimeRefusalText(
      node,
      'series_decompose_anomalies with automatic seasonality (-1) on a series that varies: Telltale does not detect periods; pass seasonality 0 or a period',
    ),
  );
  return outputs.map((o) => `CASE WHEN ${constant} THEN ${o} ELSE error(${refusal}) END`);
}

/**
 * Linear interpolation of the missing elements (null, or the placeholder) of `series`, as
 * series_fill_linear documents it: an interior run between known values a (at p) and b (at q) gets
 * a + (b − a)·(i − p)/(q − p), truncated toward zero when the series holds only longs ("rounded
 * interpolated values": the page's int row shows 73.5 → 73, 32.67 → 32); a run at an edge takes the
 * nearest known value when fillEdges, else keeps its placeholder; a series with no known value is all
 * `constant`. Returns the JSON text, longs as longs and reals as reals (`111.0`): the function keeps
 * the element type, which the parsed JSON it gets cannot show, hence `integral` from SQL.
 */
export function fillLinear(
  series: unknown,
  missing: unknown,
  fillEdges: boolean,
  constant: unknown,
  integral: boolean,
): string {
  if (!Array.isArray(series)) return 'null';
  const known = (v: unknown): v is number => typeof v === 'number' && v !== missing;
  const text = (v: unknown) =>
    typeof v !== 'number' ? JSON.stringify(v ?? null) : integral ? String(Math.trunc(v)) : realJson(v);
  const at = series.flatMap((v, i) => (known(v) ? [i] : []));
  if (at.length === 0) return `[${series.map(() => text(constant)).join(',')}]`;
  let k = 0; // at[k − 1] < i ≤ at[k]: the known elements around i
  const out = series.map((v, i) => {
    if (at[k] < i) k++;
    if (known(v)) return v;
    const [p, q] = [at[k - 1], at[k]];
    if (p === undefined || q === undefined) return fillEdges ? series[p ?? q] : v;
    const [a, b] = [series[p] as number, series[q] as number];
    return a + ((b - a) * (i - p)) / (q - p);
  });
  return `[${out.map(text).join(',')}]`;
}

/** The median of numbers (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * series_seasonal's seasonal component as JSON text of reals, or the JSON string "auto" / "nulls" where
 * Telltale cannot answer. A positive period: each element is the median of the elements in its phase (i
 * mod period) across the periods, as the page defines it (its forced example: 1, 2, 1, 2 → 1.5). −1 (the
 * default) detects the period with series_periods_detect, whose scores Kusto does not document; but a
 * period needs at least 4 points and at most half the series (that page), so a series shorter than 8,
 * or a constant one, has no period and gets zeros, as undetected seasonality does. Any other period:
 * zeros. Nulls in a series with a period: "nulls" (the page does not say how they count).
 */
export function seasonal(series: unknown, period: unknown): string {
  if (!Array.isArray(series) || typeof period !== 'number') return 'null';
  const zeros = () => `[${series.map(() => '0.0').join(',')}]`;
  const numbers = series.every((v) => typeof v === 'number');
  if (period === -1) {
    if (series.length < 8 || (numbers && series.every((v) => v === series[0]))) return zeros();
    return '"auto"';
  }
  if (period < 1 || !Number.isInteger(period)) return zeros();
  if (!numbers) return '"nulls"';
  const phases = Array.from({ length: Math.min(period, series.length) }, (_, r) =>
    median((series as number[]).filter((_, i) => i % period === r)),
  );
  return `[${series.map((_, i) => realJson(phases[i % period])).join(',')}]`;
}

const UDFS: JsFunction[] = [
  {
    name: 'tt_js_series_seasonal',
    parameters: ['json'],
    returns: 'json',
    apply: (args: string) => {
      const [series, period] = JSON.parse(args) as unknown[];
      return seasonal(series, period);
    },
  },
  {
    name: 'tt_js_series_fill_linear',
    parameters: ['json'],
    returns: 'json',
    apply: (args: string) => {
      const [series, missing, edges, constant, integral] = JSON.parse(args) as unknown[];
      return fillLinear(series, missing, edges !== false, constant, integral === true);
    },
  },
];

/**
 * `series_fill_linear(series [, missing_value_placeholder, fill_edges, constant_value])` (defaults:
 * null, true, 0), in JavaScript (fillLinear). An array is integral when its elements are longs or null
 * and one at least is a long; an array of nulls only fills with reals (the page's 0.0).
 */
function seriesFillLinear(args: KNode[], node: KNode, env: Env): string {
  const series = `coalesce(${arg(args, 0, env).sql}, 'null'::JSON)`;
  const optional = (i: number, fallback: string) =>
    args[i] ? toJsonSql(arg(args, i, env), node, env) : fallback;
  const types = `${dialect.jsonType(`${series}, '$[*]'`)}`;
  const count = (test: string) => dialect.listLength(dialect.listFilter(types, 't', test));
  const integral = `(${count(`t NOT IN ('BIGINT', 'UBIGINT', 'NULL')`)} = 0 AND ${count(`t <> 'NULL'`)} > 0)`;
  const list = [
    series,
    optional(1, "'null'::JSON"),
    optional(2, "'true'::JSON"),
    optional(3, "'0'::JSON"),
    dialect.toJson(integral),
  ];
  const call = `tt_js_series_fill_linear(CAST(json_array(${list.join(', ')}) AS VARCHAR))`;
  return `(CASE WHEN json_type(${series}) = 'ARRAY' THEN CAST(${call} AS JSON) END)`;
}

/**
 * `series_seasonal(series [, period])` in JavaScript (seasonal); where it cannot answer (automatic
 * detection on a series that could have a period, nulls) the query stops with TT001 at the call.
 */
function seriesSeasonal(args: KNode[], node: KNode, env: Env): string {
  const series = `coalesce(${arg(args, 0, env).sql}, 'null'::JSON)`;
  const period = args[1] ? dialect.toJson(`CAST(${arg(args, 1, env).sql} AS BIGINT)`) : "'-1'::JSON";
  const call = `CAST(tt_js_series_seasonal(CAST(json_array(${series}, ${period}) AS VARCHAR)) AS JSON)`;
  const refuse = (detail: string) => `error(${sqlText(runtimeRefusalText(node, detail))})`;
  const auto = refuse(
    'series_seasonal with automatic period detection (-1) on a series of 8 or more points that varies: Telltale does not detect periods (series_periods_detect scores are not documented); pass the period',
  );
  const nulls = refuse('series_seasonal of a series holding nulls or non-numbers');
  // the call is bound once (a one-element list) and read three times
  const checked = `CASE WHEN r ->> '$' = 'auto' THEN ${auto} WHEN r ->> '$' = 'nulls' THEN ${nulls} ELSE r END`;
  return `(CASE WHEN json_type(${series}) = 'ARRAY' THEN ${dialect.listTransform(`[${call}]`, 'r', checked)}[1] END)`;
}

const SCALARS: Library = {
  series_outliers: seriesOutliers,
  series_seasonal: seriesSeasonal,
  series_fill_linear: seriesFillLinear,
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
  if (name === 'series_decompose_anomalies') return seriesDecomposeAnomalies(args, expr, env);
  const sorted = sortedArrays(expr, env);
  if (sorted) return sorted;
  return env.c.fail(expr, `function ${name ?? 'call'}() with several result columns`);
}

export const SERIES_FUNCTIONS: FunctionFamily = { name: 'series', scalars: SCALARS, udfs: UDFS };
