/**
 * Kusto's geo functions. Each call becomes a call of the DuckDB scalar function of the same name
 * (`tt_js_geo_*`, JavaScript: geo/udf.ts) with Kusto's defaults filled in for omitted optional arguments;
 * dynamic values cross as JSON text. geo_info_from_ip_address: Sentinel answers from Microsoft's
 * geolocation service and no offline database ships with Telltale, so the answer is an empty bag (every
 * property reads as null / "") plus one warning — never a guessed location.
 */
import { dialect } from './dialect.js';
import { arg, sqlText, str, type Library } from './functions-common.js';
import { GEO_CATALOG, type GeoFunction } from './geo/catalog.js';
import { GEO_UDFS, udfName } from './geo/udf.js';
import type { FunctionFamily, FunctionImpl } from './registry.js';
import { warn } from './warnings.js';

export const GEO_WARNING =
  'geo_info_from_ip_address() has no offline geolocation database here: it returns an empty bag, so country, city and coordinates are empty';

const REAL = dialect.type('real')!;
const TEXT = dialect.type('string')!;
const JSON_TYPE = dialect.type('dynamic')!;

/** A fixed numeric default as SQL (NaN marks "unspecified", e.g. an H3 cell's own level ± 1). */
const numberSql = (n: number): string => `CAST('${Number.isNaN(n) ? 'NaN' : n}' AS ${REAL})`;

function geoCall(name: string, fn: GeoFunction): FunctionImpl {
  const required = fn.args.length - (fn.defaults?.length ?? 0);
  return (args, node, env) => {
    if (args.length < required || args.length > fn.args.length)
      return env.c.fail(node, `${name} with ${args.length} arguments`);
    const sql = fn.args.map((kind, i) => {
      if (i >= args.length) return numberSql(fn.defaults![i - required]);
      if (kind === 'string') return str(args, i, node, env);
      return `CAST(${arg(args, i, env).sql} AS ${kind === 'dynamic' ? TEXT : REAL})`;
    });
    const call = `${udfName(name)}(${sql.join(', ')})`;
    if (fn.returns === 'dynamic') return `CAST(${call} AS ${JSON_TYPE})`;
    if (fn.returns === 'string') return `coalesce(${call}, ${sqlText('')})`;
    return call;
  };
}

const SCALARS: Library = {
  ...Object.fromEntries(Object.entries(GEO_CATALOG).map(([name, fn]) => [name, geoCall(name, fn)])),
  geo_info_from_ip_address: (args, _node, env) => {
    warn(env.c, GEO_WARNING);
    // evaluate the argument for its type errors, keep nothing of it
    return `(CASE WHEN ${arg(args, 0, env).sql} IS NULL THEN NULL ELSE '{}'::JSON END)`;
  },
};

export const GEO_FUNCTIONS: FunctionFamily = { name: 'geo', scalars: SCALARS, udfs: GEO_UDFS };
