/**
 * `make-series Agg [default = D], … on Axis from S to E step P [by …]` and the older
 * `… on Axis in range(S, E, P)`. Each group gets one array per aggregate (a value per bin, D where no row
 * falls, 0 by default) and the axis array of bin starts, as Kusto's dynamic arrays.
 *
 * from/to: bins are S + k·P for k ≥ 0 while < E (E exclusive); rows outside [S, E) are left out. in range:
 * bins are aligned like `bin()` (datetimes from 0001-01-01), from bin(S) up to E inclusive. Axis values are
 * counted in "units": microseconds for datetime (from year one) and timespan, the number itself otherwise.
 * An input without rows gives no rows (Kusto's default `kind`), or with `kind=nonempty` (without `by`)
 * one row of default values; from/to omitted (bins from the data) is TT001.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, Relation } from './context.js';
import { constant, NO_ROW, rowScope, scalar, toStringSql, type Env, type Sql } from './expr.js';
import { YEAR_ONE_OFFSET_US } from './functions-core.js';
import type { KNode } from './kusto.js';
import { sourceAggregate } from './relation.js';
import { ident, NUMERIC } from './sql.js';
import { dialect } from './dialect.js';

function units(value: Sql, node: KNode, c: Compiler): string {
  if (value.type === 'datetime') return `(${dialect.epochMicros(value.sql)} + ${YEAR_ONE_OFFSET_US})`;
  if (value.type === 'timespan') return dialect.intervalMicros(value.sql);
  if (NUMERIC.has(value.type)) return value.sql;
  return c.fail(node, `make-series axis of ${value.type}`);
}

function fromUnits(sql: string, type: string): string {
  if (type === 'datetime')
    return dialect.timestampFromMicros(`CAST(${sql} - ${YEAR_ONE_OFFSET_US} AS BIGINT)`);
  if (type === 'timespan') return dialect.intervalFromMicros(`CAST(${sql} AS BIGINT)`);
  return sql;
}

/** The step in the axis' units: microseconds for datetime/timespan axes. */
function stepUnits(node: KNode, axisType: string, env: Env): string {
  if (axisType !== 'datetime' && axisType !== 'timespan') return scalar(node, env).sql;
  const k = constant(node, env.c);
  if (typeof k?.value === 'number') return env.c.params.add(k.value, 'long');
  return dialect.intervalMicros(scalar(node, env).sql);
}

/** `kind=nonempty` (true), the default kind (false); any other parameter is TT001. */
function nonEmptyKind(op: KNode, c: Compiler): boolean {
  let nonempty = false;
  for (const p of op.list('Parameters')) {
    const name = p.node('Name')?.text.trim().toLowerCase();
    const value = p.node('Expression')?.text.trim().toLowerCase();
    if (name !== 'kind' || (value !== 'nonempty' && value !== 'default')) c.fail(p, 'make-series parameters');
    nonempty = value === 'nonempty';
  }
  return nonempty;
}

export function makeSeries(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const nonempty = nonEmptyKind(op, c);
  const env: Env = { c, scope: rowScope(), aggregate: false };
  const constEnv: Env = { c, scope: NO_ROW, aggregate: false };
  const by = op.node('ByClause')?.list('Expressions') ?? [];
  const aggs = op.list('Aggregates');
  if (out.length !== by.length + aggs.length + 1) c.fail(op, 'make-series columns');
  const axisNode = op.node('OnClause')!.node('Expression')!;
  const axis = scalar(axisNode, env);
  const axisUnits = units(axis, axisNode, c);

  const range = op.node('RangeClause')!;
  let bounds: KNode[];
  if (range.kind === 'MakeSeriesInRangeClause') bounds = range.node('Arguments')?.list('Expressions') ?? [];
  else {
    const from = range.node('MakeSeriesFromClause')?.node('Expression');
    const to = range.node('MakeSeriesToClause')?.node('Expression');
    if (!from || !to) return c.fail(range, 'make-series without from and to');
    bounds = [from, to, range.node('MakeSeriesStepClause')!.node('Expression')!];
  }
  if (bounds.length !== 3) return c.fail(range, 'make-series range');
  const [start, end] = bounds.slice(0, 2).map((b) => units(scalar(b, constEnv), b, c));
  const step = stepUnits(bounds[2], axis.type, constEnv);

  // bin index, first bin (in units), number of bins, rows kept
  let k: string, first: string, n: string, keep: string;
  if (range.kind === 'MakeSeriesInRangeClause') {
    const bin = (u: string) => `floor((${u}) / (${step}))`;
    k = `${bin(axisUnits)} - ${bin(start)}`;
    first = `${bin(start)} * (${step})`;
    n = `${bin(end)} - ${bin(start)} + 1`;
    keep = `${bin(axisUnits)} BETWEEN ${bin(start)} AND ${bin(end)}`;
  } else {
    k = `floor((${axisUnits} - (${start})) / (${step}))`;
    first = start;
    n = `ceil(((${end}) - (${start})) / (${step}))`;
    keep = `${axisUnits} >= ${start} AND ${axisUnits} < ${end}`;
  }

  const byCols = out.slice(0, by.length);
  const grouped: string[] = by.map((e, i) => {
    const expr = e.kind === 'SimpleNamedExpression' ? e.node('Expression')! : e;
    return `${scalar(expr, env).sql} AS ${ident(byCols[i].name)}`;
  });
  grouped.push(`CAST(${k} AS BIGINT) AS _tt_k`);
  const defaults: string[] = [];
  aggs.forEach((a, j) => {
    const named = a.node('Expression')!;
    const expr = named.kind === 'SimpleNamedExpression' ? named.node('Expression')! : named;
    grouped.push(`${scalar(expr, { ...env, aggregate: true }).sql} AS _tt_a${j}`);
    const d = a.node('DefaultExpression')?.node('Expression');
    defaults.push(d ? scalar(d, constEnv).sql : '0');
  });
  const src = sourceAggregate(input);
  if (src) grouped.push(`${src} AS ${ident(SOURCE_COLUMN)}`);
  const groupBy = Array.from({ length: by.length + 1 }, (_, i) => i + 1).join(', ');
  const binned = c.cte(`SELECT ${grouped.join(', ')} FROM ${input.from} WHERE ${keep} GROUP BY ${groupBy}`);

  // one row per group: the bins' indexes and values as lists, then one value per bin
  const listed = byCols.map((col) => ident(col.name));
  listed.push('list(_tt_k) AS _tt_ks', ...aggs.map((_, j) => `list(_tt_a${j}) AS _tt_l${j}`));
  const merged = src && sourceAggregate({ ...input, source: 'list' });
  if (merged) listed.push(`${merged} AS ${ident(SOURCE_COLUMN)}`);
  if (nonempty && by.length) c.fail(op, 'make-series kind=nonempty with by');
  // without groups, an input without rows gives no row, or with kind=nonempty one row of defaults
  const groups = by.length
    ? ` GROUP BY ${byCols.map((_, i) => i + 1).join(', ')}`
    : nonempty
      ? ''
      : ' HAVING count(*) > 0';
  const lists = c.cte(`SELECT ${listed.join(', ')} FROM ${binned}${groups}`);

  const bins = `range(CAST(${n} AS BIGINT))`;
  const items = byCols.map((col) => ident(col.name));
  aggs.forEach((_, j) => {
    const value = `coalesce(_tt_l${j}[list_position(_tt_ks, i)], ${defaults[j]})`;
    items.push(
      `${dialect.toJson(dialect.listTransform(bins, 'i', value))} AS ${ident(out[by.length + j].name)}`,
    );
  });
  let axisValue = fromUnits(`(${first}) + i * (${step})`, axis.type);
  // the axis as Kusto serializes it in dynamic values: datetimes with all 7 fraction digits
  // (2017-01-01T00:00:00.0000000Z, as the make-series page shows), timespans as tostring gives them
  if (axis.type === 'datetime') axisValue = dialect.isoTicks(axisValue);
  else if (axis.type === 'timespan')
    axisValue = toStringSql({ sql: axisValue, type: axis.type }, axisNode, env);
  items.push(
    `${dialect.toJson(dialect.listTransform(bins, 'i', axisValue))} AS ${ident(out[out.length - 1].name)}`,
  );
  if (merged) items.push(ident(SOURCE_COLUMN));
  return {
    from: c.cte(`SELECT ${items.join(', ')} FROM ${lists}`),
    columns: out.map(({ name, type }) => ({ name, type })),
    source: merged ? 'list' : 'none',
    ordinal: false,
  };
}
