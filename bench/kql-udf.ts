/**
 * `npm run bench -- kql-udf`: the cost of a row-wise JavaScript UDF (src/kql/udf.ts) against the same
 * function in DuckDB SQL, on BENCH_UDF_ROWS strings (default 1,000,000): reverse, and hex of a number.
 * Same answers asserted; the ratio is JS / SQL.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { registerJsFunctions, type JsFunction } from '../src/kql/udf.js';
import type { BenchResult } from './types.js';

const FUNCTIONS: JsFunction[] = [
  {
    name: 'tt_js_bench_reverse',
    parameters: ['string'],
    returns: 'string',
    apply: (s: string) => [...s].reverse().join(''),
  },
  { name: 'tt_js_bench_hex', parameters: ['long'], returns: 'string', apply: (n: bigint) => n.toString(16) },
];

export async function benchKqlUdf(options: { rows: number }): Promise<BenchResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 2');
  registerJsFunctions(connection, FUNCTIONS);
  await connection.run(
    `CREATE TABLE t AS SELECT i, 'host-' || CAST(i * 7919 AS VARCHAR) || '.example' AS s FROM range(${options.rows}) r(i)`,
  );
  const time = async (sql: string) => {
    const started = performance.now();
    const reader = await connection.runAndReadAll(sql);
    return { seconds: (performance.now() - started) / 1000, value: String(reader.getRows()[0][0]) };
  };
  const cases = [
    ['reverse', 'reverse(s)', 'tt_js_bench_reverse(s)'],
    ['hex', 'lower(hex(i))', 'tt_js_bench_hex(i)'],
  ] as const;
  const rows: BenchResult['rows'] = [];
  const ratios: Record<string, number> = {};
  for (const [name, sqlForm, jsForm] of cases) {
    const check = (e: string) => `SELECT sum(hash(${e})) FROM t`;
    const sql = await time(check(sqlForm));
    const js = await time(check(jsForm));
    if (sql.value !== js.value) throw new Error(`${name}: JS and SQL answers differ`);
    rows.push({ label: `${name} SQL`, seconds: sql.seconds, files: 1, bytes: 0, events: options.rows });
    rows.push({ label: `${name} JS UDF`, seconds: js.seconds, files: 1, bytes: 0, events: options.rows });
    ratios[`${name}: JS UDF / SQL`] = js.seconds / sql.seconds;
  }
  connection.closeSync();
  instance.closeSync();
  return { name: `KQL functions: JS UDF vs SQL (${options.rows} rows)`, rows, ratios };
}
