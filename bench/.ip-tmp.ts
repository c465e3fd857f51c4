import { DuckDBInstance } from '@duckdb/node-api';
import { BULK_MACROS } from '../src/store/bulk.js';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const m of BULK_MACROS) await con.run(m);
await con.run(`CREATE OR REPLACE MACRO tt_ipv4_type2(a, b, c, d) AS (
     CASE WHEN a > 255 OR b > 255 OR c > 255 OR d > 255 THEN NULL
          WHEN a = 10 OR (a = 172 AND b BETWEEN 16 AND 31) OR (a = 192 AND b = 168)
            OR (a = 100 AND b BETWEEN 64 AND 127) THEN 'Private'
          WHEN a = 127 THEN 'Loopback'
          WHEN a = 169 AND b = 254 THEN 'LinkLocal'
          WHEN a = 255 AND b = 255 AND c = 255 AND d = 255 THEN 'Broadcast'
          WHEN a BETWEEN 224 AND 239 THEN 'Multicast'
          WHEN a = 0 OR a >= 240 OR (a = 192 AND b = 0 AND c IN (0, 2))
            OR (a = 198 AND b IN (18, 19)) OR (a = 198 AND b = 51 AND c = 100)
            OR (a = 203 AND b = 0 AND c = 113) THEN 'Reserved'
          ELSE 'Public' END)`);
await con.run(`CREATE OR REPLACE MACRO tt_ip_type2(ip) AS (
     CASE WHEN ip IS NULL THEN NULL
          WHEN contains(ip, ':') THEN tt_ipv6_type(lower(ip))
          WHEN regexp_full_match(ip, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}')
            THEN tt_ipv4_type2(CAST(split_part(ip, '.', 1) AS INTEGER), CAST(split_part(ip, '.', 2) AS INTEGER),
                               CAST(split_part(ip, '.', 3) AS INTEGER), CAST(split_part(ip, '.', 4) AS INTEGER)) END)`);
await con.run(`CREATE TABLE s AS SELECT '10.0.'||(i%256)||'.'||(i%200) AS a, '93.1.'||(i%256)||'.'||(i%7) AS b, i%9 AS x, 'S'||(i%3) AS y, i%100/10 AS d FROM range(1000000) r(i)`);
for (const q of [
  `SELECT count(tt_ip_type(a)), count(tt_ip_type(b)) FROM s`,
  `SELECT count(tt_ip_type2(a)), count(tt_ip_type2(b)) FROM s`,
  `SELECT count(*) FROM s WHERE tt_ip_type2(a) IS DISTINCT FROM tt_ip_type(a) OR tt_ip_type2(b) IS DISTINCT FROM tt_ip_type(b)`,
  `SELECT count(to_json(x)), count(to_json(y)), count(to_json(d)) FROM s`,
  `SELECT count('{' || concat_ws(',', CASE WHEN x IS NOT NULL THEN '"x":' || to_json(x) END, CASE WHEN y IS NOT NULL THEN '"y":' || to_json(y) END, CASE WHEN d IS NOT NULL THEN '"d":' || to_json(d) END) || '}') FROM s`,
  `SELECT count('{' || concat_ws(',', CASE WHEN x IS NOT NULL THEN '"x":' || CAST(x AS VARCHAR) END, CASE WHEN y IS NOT NULL THEN '"y":' || to_json(y) END, CASE WHEN d IS NOT NULL THEN '"d":' || CAST(d AS VARCHAR) END) || '}') FROM s`,
]) {
  const t = performance.now();
  await con.run(q);
  console.log(((performance.now() - t) / 1000).toFixed(2), q.slice(0, 80));
}
