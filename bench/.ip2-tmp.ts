import { DuckDBInstance } from '@duckdb/node-api';
import { BULK_MACROS } from '../src/store/bulk.js';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const m of BULK_MACROS) await con.run(m);
const O = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
await con.run(`CREATE OR REPLACE MACRO tt_ip_type_new(ip) AS (
  CASE WHEN ip IS NULL THEN NULL
       WHEN NOT regexp_full_match(ip, '${O}\\.${O}\\.${O}\\.${O}') THEN tt_ip_type(ip)
       WHEN regexp_matches(ip, '^(?:10\\.|172\\.(?:1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.|100\\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.)') THEN 'Private'
       WHEN starts_with(ip, '127.') THEN 'Loopback'
       WHEN starts_with(ip, '169.254.') THEN 'LinkLocal'
       WHEN ip = '255.255.255.255' THEN 'Broadcast'
       WHEN regexp_matches(ip, '^2(?:2[4-9]|3[0-9])\\.') THEN 'Multicast'
       WHEN regexp_matches(ip, '^(?:0\\.|24[0-9]\\.|25[0-5]\\.|192\\.0\\.[02]\\.|198\\.1[89]\\.|198\\.51\\.100\\.|203\\.0\\.113\\.)') THEN 'Reserved'
       ELSE 'Public' END)`);
await con.run(`CREATE TABLE s AS SELECT CASE WHEN i % 97 = 0 THEN '0' || (i%256) || '.1.2.3' WHEN i % 89 = 0 THEN '::ffff:1.2.3.4' WHEN i % 83 = 0 THEN '1.2.3' ELSE (hash(i) % 260) || '.' || (hash(i*7) % 260) || '.' || (hash(i*13) % 260) || '.' || (hash(i*17)%260) END AS a,
  '93.1.'||(i%256)||'.'||(i%7) AS b FROM range(2000000) r(i)`);
await con.run(`INSERT INTO s SELECT x || '.' || y || '.' || z || '.255', '1.1.1.1' FROM range(256) a(x), range(256) b(y), (VALUES (0),(2),(100),(113),(255)) c(z)`);
for (const q of [
  `SELECT count(tt_ip_type(a)), count(tt_ip_type(b)) FROM s`,
  `SELECT count(tt_ip_type_new(a)), count(tt_ip_type_new(b)) FROM s`,
  `SELECT count(*), count(DISTINCT tt_ip_type(a)) FROM s WHERE tt_ip_type_new(a) IS DISTINCT FROM tt_ip_type(a) OR tt_ip_type_new(b) IS DISTINCT FROM tt_ip_type(b)`,
  `SELECT tt_ip_type(a) t, count(*) FROM s GROUP BY 1 ORDER BY 1`,
]) {
  const t = performance.now();
  const r = await con.runAndReadAll(q);
  console.log(((performance.now() - t) / 1000).toFixed(2), JSON.stringify(r.getRows(), (k, v) => typeof v === 'bigint' ? Number(v) : v), q.slice(0, 60));
}
