import { DuckDBInstance } from '@duckdb/node-api';
import { BULK_MACROS } from '../src/store/bulk.js';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const m of BULK_MACROS) await con.run(m);
const f = process.argv[2];
await con.run(`CREATE TABLE L AS SELECT l FROM read_csv('${f}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false) LIMIT 200000`);
const RE = String.raw`^(?:(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}) ([^ \[]*[^ \[:]) )?CEF: *(\d+)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|(.*)$`;
const G = `['mon','day','hms','host','ver','h1','h2','h3','h4','h5','h6','ext']`;
const ODD = String.raw`[\t\n\x0b\f\r\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`;
await con.run(`CREATE TABLE M AS SELECT l, regexp_extract(l, '${RE}', ${G}, 's') AS m FROM L`);
await con.run(`CREATE TABLE P AS SELECT string_split(regexp_replace(ltrim(m.ext,' '), ' ([A-Za-z0-9_.\\[\\]-]+)=', '\x01\\1=', 'g'), '\x01') AS p FROM M`);
await con.run(`CREATE TABLE K AS SELECT list_transform(p, x -> split_part(x, '=', 1)) AS k, list_transform(p, x -> trim(substr(x, strpos(x, '=') + 1))) AS v FROM P`);
for (const q of [
  `SELECT count(regexp_extract(l, '${RE}', ${G}, 's')) FROM L`,
  `SELECT count(regexp_extract(l, '${RE}', ${G})) FROM L`,
  `SELECT count(regexp_replace(ltrim(m.ext,' '), ' ([A-Za-z0-9_.\\[\\]-]+)=', '\x01\\1=', 'g')) FROM M`,
  `SELECT count(list_transform(p, x -> split_part(x, '=', 1))) FROM P`,
  `SELECT count(list_transform(p, x -> trim(substr(x, strpos(x, '=') + 1)))) FROM P`,
  `SELECT count(v[list_position(k, 'src')]) FROM K`,
  `SELECT count(*) FROM M WHERE regexp_matches(m.ext, '${ODD}')`,
  `SELECT count(*) FROM K WHERE len(list_distinct(k)) <> len(k)`,
  `SELECT count(*) FROM K WHERE list_has_any(k, ['a','b','c','d','e','f','g','h','i','j','k','l','m','n','o','p','q','r','s','t','u','v','w','x','y','z','aa','bb','cc','dd','ee','ff','gg','hh','ii','jj','kk','ll','mm','nn','oo','pp','qq','rr','ss','tt','uu','vv','ww','xx','yy','zz'])`,
  `SELECT count(nullif(array_to_string(list_transform(list_filter(generate_series(1, len(k)), i -> NOT list_contains(['src','dst','spt','dpt','proto','act','app','in','out','dvchost','cs1Label','cs1','cn1','cn1Label','rt','msg'], k[i])), i -> k[i] || '=' || v[i]), ';'), '')) FROM K`,
]) {
  const t = performance.now();
  await con.run(q);
  console.log(((performance.now() - t) / 1000).toFixed(2), q.slice(0, 90));
}
