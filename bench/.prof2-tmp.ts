import { DuckDBInstance } from '@duckdb/node-api';
import { BULK_MACROS } from '../src/store/bulk.js';
import { cefParse } from '../src/store/cef-sql.js';
import { cefPlan } from '../src/telemetry/cef.js';
import { loadSchemas } from '../src/store/schema.js';
import { readFileSync } from 'node:fs';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const m of BULK_MACROS) await con.run(m);
const f = process.argv[2];
const plan = cefPlan(loadSchemas().get('CommonSecurityLog')!, readFileSync(f, 'utf8').split('\n').slice(0, 100), 2026);
const layout = plan.layout as any;
const parse = cefParse(layout);
const re = parse.match(/regexp_matches\(l, ('(?:[^']|'')*')\) THEN 1/)![1];
await con.run(`CREATE TABLE L AS SELECT l FROM read_csv('${f}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false) LIMIT 200000`);
for (const q of [
  `SELECT count(*) FROM L WHERE regexp_matches(l, ' dst=(\\S+)')`,
  `SELECT count(regexp_extract(l, ' dst=(\\S+)', 1)) FROM L`,
  `SELECT count(*) FROM L WHERE regexp_matches(l, '\\\\|#0|= *["'']|[\\t\\n\\x0b\\f\\r\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]')`,
  `SELECT count(*) FROM L WHERE regexp_matches(l, ${re})`,
  `SELECT count(regexp_extract(l, ${re}, 5)) FROM L`,
  `SELECT count(*) FROM (SELECT ${parse} FROM L)`,
  `SELECT count(string_split(l, ' ')) FROM L`,
]) {
  const t = performance.now();
  await con.run(q);
  console.log(((performance.now() - t) / 1000).toFixed(2), q.slice(0, 100));
}
