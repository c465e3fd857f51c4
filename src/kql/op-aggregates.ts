/**
 * Summarize aggregates beyond functions.ts's basic ones: statistics (stdev, variance, percentile), the
 * `_if` collectors, and the aggregates that yield several columns (arg_max / arg_min incl. `*`,
 * percentiles). A multi-column aggregate is one DuckDB aggregate over a STRUCT, read field by field:
 * DuckDB computes identical aggregate expressions once, and the fields all come from the same row.
 */
import type { Column, Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import type { FunctionFamily, FunctionImpl } from './registry.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

type Impl = FunctionImpl;

const sql = (args: KNode[], i: number, env: Env): Sql => env.c.expr.scalar(args[i], env);

/** What Kusto's collectors keep: non-null values and non-empty strings. */
function kept(value: Sql): string {
  return value.type === 'string' ? `nullif(${value.sql}, '')` : value.sql;
}

/**
 * A percentile as a fraction. Kusto's percentile is a nearest-rank percentile, which is DuckDB's
 * quantile_disc; DuckDB needs the fraction as a constant in the SQL text, so it is written there after
 * checking it is a plain finite number (never text from the query).
 */
function fraction(node: KNode, env: Env): string {
  // a literal, or a `let` / function parameter bound to one (a view called with 25 and 75)
  const k = env.c.expr.constant(node, env.c)?.value;
  const value = typeof k === 'number' || typeof k === 'bigint' ? Number(k) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || value > 100)
    env.c.fail(node, 'percentile that is not a constant 0..100');
  return String(value / 100);
}

/** The weighted nearest-rank percentile: each value counted weight times (the corpus's weights are counts). */
function weightedQuantile(value: string, weight: string, p: string): string {
  const w = `greatest(CAST(${weight} AS BIGINT), 0)`;
  return `list_aggregate(flatten(list(list_resize([${value}], ${w}, ${value}))), 'quantile_disc', ${p})`;
}

function collect(distinct: boolean): Impl {
  return (args, _node, env) => {
    const value = kept(sql(args, 0, env));
    const where = sql(args, 1, env).sql;
    const by = env.listOrder && !distinct ? ` ORDER BY ${env.listOrder}` : '';
    const list = `coalesce(list(${distinct ? 'DISTINCT ' : ''}${value}${by}) FILTER (WHERE ${where} AND ${value} IS NOT NULL), [])`;
    // Kusto's maxSize argument: at most that many elements
    return dialect.toJson(args.length > 2 ? `list_slice(${list}, 1, ${sql(args, 2, env).sql})` : list);
  };
}

const AGGREGATES: Record<string, Impl> = {
  stdev: (args, _n, env) => `stddev_samp(${sql(args, 0, env).sql})`,
  stdevp: (args, _n, env) => `stddev_pop(${sql(args, 0, env).sql})`,
  variance: (args, _n, env) => `var_samp(${sql(args, 0, env).sql})`,
  variancep: (args, _n, env) => `var_pop(${sql(args, 0, env).sql})`,
  stdevif: (args, _n, env) => `stddev_samp(${sql(args, 0, env).sql}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  varianceif: (args, _n, env) => `var_samp(${sql(args, 0, env).sql}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  avgif: (args, _n, env) => `avg(${sql(args, 0, env).sql}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  maxif: (args, _n, env) => `max(${kept(sql(args, 0, env))}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  minif: (args, _n, env) => `min(${kept(sql(args, 0, env))}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  percentile: (args, _n, env) => `quantile_disc(${sql(args, 0, env).sql}, ${fraction(args[1], env)})`,
  percentilew: (args, _n, env) =>
    weightedQuantile(sql(args, 0, env).sql, sql(args, 1, env).sql, fraction(args[2], env)),
  count_distinctif: (args, _n, env) =>
    `count(DISTINCT ${kept(sql(args, 0, env))}) FILTER (WHERE ${sql(args, 1, env).sql})`,
  make_list_with_nulls: (args, _n, env) =>
    dialect.toJson(
      `coalesce(list(${sql(args, 0, env).sql}${env.listOrder ? ` ORDER BY ${env.listOrder}` : ''}), [])`,
    ),
  make_set_if: collect(true),
  make_list_if: collect(false),
};

export const AGGREGATE_FUNCTIONS: FunctionFamily = { name: 'aggregate', aggregates: AGGREGATES };

/** A column of a multi-column aggregate: its output name, type and SQL. */
export interface AggregateColumn extends Column {
  sql: string;
}

/** Input columns by name, to read the ones `arg_max(…, *)` expands to. */
function inputColumn(name: string, type: string): string {
  const raw = ident(name);
  return type === 'string' ? `coalesce(${raw}, '')` : raw;
}

function argExtreme(fn: 'arg_max' | 'arg_min', node: KNode, out: Column[], env: Env): AggregateColumn[] {
  const args = node.node('ArgumentList')?.list('Expressions') ?? [];
  const tuple = node.type?.columns ?? [];
  if (tuple.length !== out.length || args.length < 1) env.c.fail(node, 'arg_max/arg_min result columns');
  const row: Env = { ...env, aggregate: false };
  const key = row.c.expr.scalar(args[0], row).sql;
  // the tuple's columns in order: the key, then each argument; `*` stands for the remaining input columns
  const fields: string[] = [key];
  const explicit = args.slice(1).filter((a) => a.kind !== 'StarExpression').length;
  for (const a of args.slice(1)) {
    if (a.kind !== 'StarExpression') {
      const e = a.kind === 'SimpleNamedExpression' ? a.node('Expression')! : a;
      fields.push(env.c.expr.scalar(e, row).sql);
      continue;
    }
    const count = tuple.length - 1 - explicit;
    for (const col of tuple.slice(fields.length, fields.length + count))
      fields.push(inputColumn(col.name, col.type));
  }
  if (fields.length !== tuple.length) env.c.fail(node, 'arg_max/arg_min arguments');
  const struct = `struct_pack(${fields.map((f, i) => `f${i} := ${f}`).join(', ')})`;
  // a group whose keys are all null still gives a row (Kusto's): the first one. Over rows in a known
  // order, ties (and the all-null group) go to the first row in that order, as the docs' examples show.
  const picked = env.listOrder
    ? `first(${struct} ORDER BY ${key} ${fn === 'arg_max' ? 'DESC' : 'ASC'} NULLS LAST, ${env.listOrder})`
    : `coalesce(${fn}(${struct}, ${key}), first(${struct}))`;
  return out.map((col, i) => ({ ...col, sql: fieldOf(picked, i, col.type) }));
}

function fieldOf(struct: string, i: number, type: string): string {
  const field = `(${struct}).f${i}`;
  return type === 'string' ? `coalesce(${field}, '')` : field;
}

/**
 * `percentiles(x, p…)` and the weighted `percentilesw(x, w, p…)` (each value counted w times: the
 * weights of the corpus are counts), one column per percentile.
 */
function percentiles(node: KNode, out: Column[], env: Env, weighted: boolean): AggregateColumn[] {
  const args = node.node('ArgumentList')?.list('Expressions') ?? [];
  const first = weighted ? 2 : 1;
  if (args.length - first !== out.length) env.c.fail(node, 'percentiles result columns');
  const rowEnv = { ...env, aggregate: false };
  const value = env.c.expr.scalar(args[0], rowEnv).sql;
  const weight = weighted ? env.c.expr.scalar(args[1], rowEnv).sql : '';
  return out.map((col, i) => {
    const duck = dialect.type(col.type);
    const p = fraction(args[i + first], env);
    const q = weighted ? weightedQuantile(value, weight, p) : `quantile_disc(${value}, ${p})`;
    return { ...col, sql: duck && duck !== 'JSON' ? `CAST(${q} AS ${duck})` : dialect.toJson(q) };
  });
}

/**
 * Columns of one summarize aggregate that yields several (`arg_max(T, *)`, 'percentiles(x, 50, 95)'),
 * given the binder's output columns for it; undefined for an ordinary aggregate.
 */
export function multiColumnAggregate(expr: KNode, out: Column[], env: Env): AggregateColumn[] | undefined {
  if (expr.kind !== 'FunctionCallExpression') return undefined;
  const name = (expr.node('Name')?.simpleName ?? '').toLowerCase();
  if (name === 'arg_max' || name === 'arg_min') return argExtreme(name, expr, out, env);
  if (name === 'percentiles' || name === 'percentilesw')
    return percentiles(expr, out, env, name === 'percentilesw');
  return undefined;
}

/** How many output columns a summarize aggregate yields (tuple-typed ones yield one per field). */
export function aggregateWidth(expr: KNode): number {
  const type = expr.type;
  return expr.kind === 'FunctionCallExpression' && type && !type.tabular && type.columns.length > 0
    ? type.columns.length
    : 1;
}
