/**
 * `evaluate geo_polygon_lookup(Polygons, polygon, lng, lat [, radius = r, return_unmatched = b,
 * return_lookup_key = b])` and `evaluate geo_line_lookup(Lines, line, lng, lat, radius [, …])`: each input
 * row joined with the lookup rows whose shape contains it (or lies within `radius` metres of it), through
 * the geo scalar functions. Unmatched rows are dropped unless return_unmatched; the shape column is
 * returned only with return_lookup_key. The shape and the coordinates must be plain columns.
 */
import type { Column, Compiler, Relation } from '../context.js';
import type { KNode } from '../kusto.js';
import { SOURCE_COLUMN } from '../../store/schema.js';
import { ident } from '../sql.js';
import { udfName } from './udf.js';

export const GEO_LOOKUP_PLUGINS = new Set(['geo_polygon_lookup', 'geo_line_lookup']);

const columnName = (n: KNode | undefined): string | undefined =>
  n?.kind === 'NameReference' && n.symbol?.kind === 'Column' ? (n.simpleName ?? n.symbol.name) : undefined;

export function geoLookup(
  op: KNode,
  call: KNode,
  plugin: string,
  input: Relation,
  out: Column[],
  c: Compiler,
): Relation {
  const args = call.node('ArgumentList')?.list('Expressions') ?? [];
  const positional = args.filter((a) => a.kind !== 'SimpleNamedExpression');
  const named = new Map<string, unknown>();
  for (const a of args.filter((x) => x.kind === 'SimpleNamedExpression')) {
    const value = c.expr.constant(a.node('Expression')!, c);
    if (value === undefined) return c.fail(a, `${plugin} argument that is not a constant`);
    named.set(a.node('Name')?.simpleName ?? '', value.value);
  }
  const lines = plugin === 'geo_line_lookup';
  const [table, shapeArg, lngArg, latArg, radiusArg] = positional;
  const [shape, lng, lat] = [shapeArg, lngArg, latArg].map(columnName);
  if (!table || !shape || !lng || !lat) return c.fail(call, `${plugin} over expressions (columns only)`);
  const radius = lines ? radiusArg && c.expr.constant(radiusArg, c)?.value : (named.get('radius') ?? 0);
  if (typeof radius !== 'number' || radius < 0) return c.fail(call, `${plugin} radius`);
  for (const key of named.keys())
    if (!['radius', 'return_unmatched', 'return_lookup_key'].includes(key) || (lines && key === 'radius'))
      return c.fail(call, `${plugin} argument ${key}`);

  const right = c.tabular(table);
  const keepKey = named.get('return_lookup_key') === true;
  const rightColumns = right.columns.filter((col) => keepKey || col.name !== shape);
  if (out.length !== input.columns.length + rightColumns.length)
    return c.fail(op, `${plugin} result columns`);
  const picks = [
    ...input.columns.map((col) => `_l.${ident(col.name)}`),
    ...rightColumns.map((col) => `_r.${ident(col.name)}`),
  ].map((sql, i) => `${sql} AS ${ident(out[i].name)}`);
  if (input.source !== 'none') picks.push(`_l.${ident(SOURCE_COLUMN)}`);

  const point = `CAST(_l.${ident(lng)} AS DOUBLE), CAST(_l.${ident(lat)} AS DOUBLE), CAST(_r.${ident(shape)} AS VARCHAR)`;
  const on =
    !lines && radius === 0
      ? `${udfName('geo_point_in_polygon')}(${point})`
      : `${udfName(lines ? 'geo_distance_point_to_line' : 'geo_distance_point_to_polygon')}(${point}) <= ${c.params.add(radius, 'real')}`;
  const sqlJoin = named.get('return_unmatched') === true ? 'LEFT' : 'INNER';
  const from = c.cte(
    `SELECT ${picks.join(', ')} FROM ${input.from} AS _l ${sqlJoin} JOIN ${right.from} AS _r ON ${on}`,
  );
  return {
    from,
    columns: out.map(({ name, type }) => ({ name, type })),
    source: input.source,
    ordinal: false,
  };
}
