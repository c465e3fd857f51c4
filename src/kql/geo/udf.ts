/**
 * The geo catalog as JavaScript scalar functions for DuckDB (`tt_js_geo_*`, through the KQL library's
 * udf.ts, installed on the store's connection). Dynamic values cross as JSON text; the last few texts'
 * parses are kept per function, because a query usually tests every row against the same polygon (and
 * shapes.ts keeps the validated shape and its S2 index with the parsed object). Measured on 1M rows
 * (2 cores, loaded machine): a numeric function (geo_distance_2points) costs 1.2× the same formula in
 * SQL; one returning GeoJSON 3× DuckDB's json_object — see docs/kql.md.
 */
import type { JsFunction, JsType } from '../udf.js';
import { GEO_CATALOG, type GeoArg, type GeoFunction, type GeoResult } from './catalog.js';

export const udfName = (kustoName: string): string => `tt_js_${kustoName}`;

const ARG_TYPES: Record<GeoArg, JsType> = { real: 'real', string: 'string', dynamic: 'json' };
const RESULT_TYPES: Record<GeoResult, JsType> = {
  real: 'real',
  int: 'long',
  bool: 'bool',
  string: 'string',
  dynamic: 'json',
};

/** Parses JSON text, remembering the last few texts (a polygon repeated on every row parses once). */
class JsonCache {
  private readonly entries = new Map<string, unknown>();
  parse(text: string): unknown {
    if (this.entries.has(text)) return this.entries.get(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = null;
    }
    if (this.entries.size >= 16) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(text, value);
    return value;
  }
}

function jsFunction(name: string, fn: GeoFunction): JsFunction {
  const json = new JsonCache();
  const run = fn.run as (...args: unknown[]) => unknown;
  const dynamic = fn.args.map((a) => a === 'dynamic');
  return {
    name: udfName(name),
    parameters: fn.args.map((a) => ARG_TYPES[a]),
    returns: RESULT_TYPES[fn.returns],
    apply: (...args: unknown[]) => {
      const value = run(...args.map((a, i) => (dynamic[i] ? json.parse(a as string) : a)));
      return typeof value === 'number' && !Number.isFinite(value) ? null : value;
    },
  };
}

export const GEO_UDFS: JsFunction[] = Object.entries(GEO_CATALOG).map(([name, fn]) => jsFunction(name, fn));
