/**
 * Functions that run in JavaScript inside DuckDB (row-wise scalar UDFs), for what SQL cannot express
 * well (a parser, a library such as h3-js). A family lists them in `FunctionFamily.udfs`; the store
 * installs every one on its connection when it opens (`installJsFunctions`), and the family's scalar
 * entry calls them by name like any SQL function (`tt_js_<name>(…)`).
 *
 * Cost: DuckDB calls back once per chunk of up to 2048 rows, on the JS thread (serialized, never
 * parallel); measured by `npm run bench -- kql-udf` against equivalent SQL. A NULL argument gives NULL
 * without calling the function. Prefer SQL for anything a hunt runs over whole tables.
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBScalarFunction,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';

/** Argument / result types: `json` travels as VARCHAR text (cast to JSON in SQL by the caller). */
export type JsType = 'string' | 'long' | 'real' | 'bool' | 'json';

export interface JsFunction {
  /** SQL name, `tt_js_` + a lower-case name. */
  name: string;
  parameters: JsType[];
  returns: JsType;
  /** Receives non-null JS values (bigint for `long`, string for `json`); returns null for KQL null. */
  apply(...args: never[]): unknown;
}

const DUCK: Record<JsType, DuckDBType> = {
  string: VARCHAR,
  long: BIGINT,
  real: DOUBLE,
  bool: BOOLEAN,
  json: VARCHAR,
};

function output(value: unknown, type: JsType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'long') return typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
  if (type === 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  if (type === 'real') return Number(value);
  return value;
}

export function jsScalarFunction(fn: JsFunction): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: fn.name,
    returnType: DUCK[fn.returns],
    parameterTypes: fn.parameters.map((p) => DUCK[p]),
    mainFunction: (info, input, out) => {
      const vectors = fn.parameters.map((_, i) => input.getColumnVector(i));
      const apply = fn.apply as (...args: unknown[]) => unknown;
      for (let row = 0; row < input.rowCount; row++) {
        try {
          out.setItem(row, output(apply(...vectors.map((v) => v.getItem(row))), fn.returns) as never);
        } catch (e) {
          info.setError(`${fn.name}: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
      }
      out.flush();
    },
  });
}

/** Registers the functions on a connection (the store calls it once when it opens). */
export function registerJsFunctions(connection: DuckDBConnection, functions: JsFunction[]): void {
  for (const fn of functions) connection.registerScalarFunction(jsScalarFunction(fn));
}
