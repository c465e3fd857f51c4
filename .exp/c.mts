import { Store } from '../src/store/db.js';
import { parseCefLine, setCefSchema } from '../src/telemetry/cef.js';
const store = await Store.open();
setCefSchema(store.schema('CommonSecurityLog'));
const n = 200000; const rows = [];
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
let t = performance.now();
for (let i = 0; i < n; i++) {
  const line = `<134>Nov 26 10:${String(((i / 60) % 60) | 0).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} fw01 CEF:0|Acme|Gate|7.2|${1000 + (i % 50)}|traffic allowed|${i % 10}|` +
      `rt=${1764151200000 + i} src=${ip(i)} spt=${1024 + (i % 60000)} dst=176.65.139.${i % 255} dpt=${i % 2 ? 7547 : 23} proto=TCP act=accept ` +
      `app=HTTP in=${i % 9000} out=${(i * 7) % 9000} suser=user${i % 100} dvchost=fw01 deviceExternalId=FG100 cs1Label=Policy cs1=allow-out ` +
      `cn1Label=Rule cn1=${i % 300} request=http://x${i % 30}.example/path?id\\=${i} msg=session ${i} closed vendorKey=${i}`;
  const r = parseCefLine(line, {}); if ('row' in r) { r.row._Source = `f:${i}`; rows.push(r.row); }
}
console.log('gen+parse', performance.now() - t); t = performance.now();
const s = rows.map((r) => JSON.stringify(r)); console.log('stringify', performance.now() - t);
t = performance.now();
for (let i = 0; i < n; i += 50000) await store.insertRows('CommonSecurityLog', rows.slice(i, i + 50000));
console.log('insertRows', performance.now() - t);
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/exp/cef.ndjson', s.join('\n') + '\n');
const keys = new Set<string>(); for (const r of rows) for (const k in r) keys.add(k);
const cols = store.schema('CommonSecurityLog').columns.filter(c => keys.has(c.name));
const tmap: Record<string,string> = {string:'VARCHAR', int:'INTEGER', long:'BIGINT', datetime:'TIMESTAMP', real:'DOUBLE'};
const spec = cols.map(c => `'${c.name}': '${tmap[c.type]}'`).join(', ') + `, '_Source': 'VARCHAR'`;
for (const q of [
  `SELECT count(*) FROM read_ndjson('/tmp/exp/cef.ndjson', columns={${spec}}, timestampformat='%Y-%m-%dT%H:%M:%S.%gZ')`,
  `SELECT count(*) FROM read_ndjson('/tmp/exp/cef.ndjson', columns={${spec}})`,
  `CREATE TABLE t1 AS SELECT * FROM read_ndjson('/tmp/exp/cef.ndjson', columns={${spec}})`,
  `INSERT INTO CommonSecurityLog BY NAME SELECT * FROM t1`,
  `CREATE TABLE t2 AS SELECT * FROM CommonSecurityLog LIMIT 0`,
  `INSERT INTO t2 BY NAME SELECT * FROM t1`,
]) { t = performance.now(); await store.run(q); console.log(q.slice(0, 50), (performance.now() - t).toFixed(0)); }
