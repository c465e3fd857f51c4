/**
 * Numeric functions beyond functions-math.ts: trigonometry, angles, the NaN / infinity tests, `max_of` /
 * `min_of`, `bin_at`, bitwise operations, gamma, and the statistics aggregates (covariance, the
 * population `…pif` variants, bitwise aggregates). All in SQL: hunts filter on them over whole tables.
 */
import type { Env, Sql } from './context.js';
import { dialect } from './dialect.js';
import { arg, type Impl, type Library } from './functions-common.js';
import type { KNode } from './kusto.js';
import type { FunctionFamily } from './registry.js';

const double = (args: KNode[], i: number, env: Env) => `CAST(${arg(args, i, env).sql} AS DOUBLE)`;
const real =
  (fn: (...xs: string[]) => string): Impl =>
  (args, _node, env) =>
    fn(...args.map((_, i) => double(args, i, env)));
/** A real result that is null where DuckDB would give NaN or fail (out of the function's domain). */
const guarded = (domain: (x: string) => string, fn: (x: string) => string): Impl =>
  real((x) => `(CASE WHEN ${domain(x)} THEN ${fn(x)} END)`);
const long =
  (fn: (...xs: string[]) => string): Impl =>
  (args, _node, env) =>
    fn(...args.map((_, i) => `CAST(${arg(args, i, env).sql} AS BIGINT)`));

/**
 * `bin_at(value, size, fixed)`: bins of `size` aligned so that `fixed` starts one. Numbers, timespans
 * and datetimes (size a timespan); computed on microseconds for the time types.
 */
function binAt(args: KNode[], node: KNode, env: Env): string {
  const [value, size, fixed] = [0, 1, 2].map((i) => arg(args, i, env));
  return binnedAt(value, size, fixed, node);
}

/**
 * `bin_auto(value)`: bin_at with the size and start the query `set` (query_bin_auto_size, and
 * query_bin_auto_at, which defaults to 0 or 1970-01-01).
 */
function binAuto(args: KNode[], node: KNode, env: Env): string {
  const size = env.c.option('query_bin_auto_size');
  if (!size) return env.c.fail(node, 'bin_auto without set query_bin_auto_size');
  const value = arg(args, 0, env);
  const at = env.c.option('query_bin_auto_at');
  const zero =
    value.type === 'datetime'
      ? `TIMESTAMP '1970-01-01'`
      : value.type === 'timespan'
        ? 'INTERVAL 0 SECOND'
        : '0';
  const fixed = at ? env.c.expr.scalar(at, env) : { sql: zero, type: value.type };
  return binnedAt(value, env.c.expr.scalar(size, env), fixed, node);
}

function binnedAt(value: Sql, size: Sql, fixed: Sql, node: KNode): string {
  const floorTo = (v: string, s: string, f: string) => `(${f} + floor((${v} - ${f}) / ${s}) * ${s})`;
  if (value.type === 'datetime' || value.type === 'timespan') {
    const micros = (x: typeof value) =>
      x.type === 'datetime' ? dialect.epochMicros(x.sql) : dialect.intervalMicros(x.sql);
    const binned = `CAST(${floorTo(micros(value), micros(size), micros(fixed))} AS BIGINT)`;
    return value.type === 'datetime'
      ? dialect.timestampFromMicros(binned)
      : dialect.intervalFromMicros(binned);
  }
  const duck = dialect.type(node.type?.name ?? 'real') ?? 'DOUBLE';
  return `CAST(${floorTo(value.sql, size.sql, fixed.sql)} AS ${duck})`;
}

/** `max_of` / `min_of`: nulls ignored, null when every argument is null (DuckDB's greatest / least). */
const extreme =
  (fn: 'greatest' | 'least'): Impl =>
  (args, _node, env) =>
    `${fn}(${args.map((_, i) => arg(args, i, env).sql).join(', ')})`;

const SCALARS: Library = {
  pi: () => 'pi()',
  sin: real((x) => `sin(${x})`),
  cos: real((x) => `cos(${x})`),
  tan: real((x) => `tan(${x})`),
  cot: real((x) => `cot(${x})`),
  asin: guarded(
    (x) => `${x} BETWEEN -1 AND 1`,
    (x) => `asin(${x})`,
  ),
  acos: guarded(
    (x) => `${x} BETWEEN -1 AND 1`,
    (x) => `acos(${x})`,
  ),
  atan: real((x) => `atan(${x})`),
  atan2: real((y, x) => `atan2(${y}, ${x})`),
  degrees: real((x) => `degrees(${x})`),
  radians: real((x) => `radians(${x})`),
  isnan: real((x) => `isnan(${x})`),
  isinf: real((x) => `isinf(${x})`),
  isfinite: real((x) => `isfinite(${x})`),
  gamma: real((x) => `gamma(${x})`),
  loggamma: guarded(
    (x) => `${x} > 0`,
    (x) => `lgamma(${x})`,
  ),
  max_of: extreme('greatest'),
  min_of: extreme('least'),
  bin_at: binAt,
  bin_auto: binAuto,
  // around(value, center, delta): center - delta <= value <= center + delta (numbers, datetimes, timespans)
  around: (args, _node, env) => {
    const [v, center, delta] = [0, 1, 2].map((i) => arg(args, i, env).sql);
    return `(${v} BETWEEN ${center} - ${delta} AND ${center} + ${delta})`;
  },
  binary_and: long((a, b) => `(${a} & ${b})`),
  binary_or: long((a, b) => `(${a} | ${b})`),
  binary_xor: long((a, b) => `xor(${a}, ${b})`),
  binary_not: long((a) => `(~${a})`),
  binary_shift_left: long((a, n) => `(${a} << ${n})`),
  binary_shift_right: long((a, n) => `(${a} >> ${n})`),
  bitset_count_ones: long((a) => `bit_count(${a})`),
};

const row = (args: KNode[], i: number, env: Env) => arg(args, i, env).sql;
const where = (args: KNode[], i: number, env: Env) => `FILTER (WHERE ${row(args, i, env)})`;

const AGGREGATES: Library = {
  covariance: (args, _n, env) => `covar_samp(${row(args, 0, env)}, ${row(args, 1, env)})`,
  covariancep: (args, _n, env) => `covar_pop(${row(args, 0, env)}, ${row(args, 1, env)})`,
  covarianceif: (args, _n, env) =>
    `covar_samp(${row(args, 0, env)}, ${row(args, 1, env)}) ${where(args, 2, env)}`,
  covariancepif: (args, _n, env) =>
    `covar_pop(${row(args, 0, env)}, ${row(args, 1, env)}) ${where(args, 2, env)}`,
  variancepif: (args, _n, env) => `var_pop(${row(args, 0, env)}) ${where(args, 1, env)}`,
  stdevpif: (args, _n, env) => `stddev_pop(${row(args, 0, env)}) ${where(args, 1, env)}`,
  binary_all_and: (args, _n, env) => `bit_and(CAST(${row(args, 0, env)} AS BIGINT))`,
  binary_all_or: (args, _n, env) => `bit_or(CAST(${row(args, 0, env)} AS BIGINT))`,
  binary_all_xor: (args, _n, env) => `bit_xor(CAST(${row(args, 0, env)} AS BIGINT))`,
};

export const NUMERIC_FUNCTIONS: FunctionFamily = {
  name: 'numeric',
  scalars: SCALARS,
  aggregates: AGGREGATES,
};
