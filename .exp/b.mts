import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const q = async (sql: string) => { try { return (await con.runAndReadAll(sql)).getRowObjectsJS(); } catch (e) { return 'ERR ' + (e as Error).message.slice(0, 200); } };
const rc = (f: string) => `SELECT row_number() OVER () n, l FROM read_csv('${f}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false, strict_mode=false)`;
writeFileSync('/tmp/exp/t1.txt', 'a\n\nb\r\n   \n#c\n\n\nd');
console.log(await q(rc('/tmp/exp/t1.txt')));
writeFileSync('/tmp/exp/t2.txt', Buffer.concat([Buffer.from('\xef\xbb\xbfa\n', 'latin1'), Buffer.from([0x62, 0xff, 0x63, 10]), Buffer.from('x\x01y\nz\n')]));
console.log(await q(rc('/tmp/exp/t2.txt')));
console.log(await q(`SELECT TRY_CAST('2026-05-21T00:08:18.000Z' AS TIMESTAMP) a, TRY_CAST('2021-06-06T15:57:37.272281+0200' AS TIMESTAMP) b, TRY_CAST('2021-06-06T15:57:37.272281+0200' AS TIMESTAMPTZ) c, timezone('UTC', TRY_CAST('2021-06-06T15:57:37.272281+0200' AS TIMESTAMPTZ)) d, try_strptime('3/31/2022, 10:52:35.857 AM', ['%m/%d/%Y, %I:%M:%S.%g %p', '%m/%d/%Y, %I:%M:%S %p']) e, TRY_CAST('3.5' AS INTEGER) f, TRY_CAST('3.0' AS INTEGER) g, TRY_CAST(' 7 ' AS INTEGER) h, TRY_CAST('1e3' AS INTEGER) i`));
console.log(await q(`SELECT json_transform('{"a":5,"b":"x","c":{"d":[1,2]},"e":true, "f": 1.50}', '{"a":"VARCHAR","b":"VARCHAR","c":"VARCHAR","e":"VARCHAR","f":"VARCHAR","g":"VARCHAR"}') r`));
console.log(await q(`SELECT json_transform('{"a":5,"c":{"d":[1,2]}}', '{"c":{"d":"VARCHAR"}, "a":"JSON"}') r`));
console.log(await q(`SELECT json_transform('not json', '{"a":"VARCHAR"}') r`));
console.log(await q(`SELECT json_valid('{"a":"\\ud800"}') v, json_transform('{"a":"\\ud800"}', '{"a":"VARCHAR"}') r`));
console.log(await q(`SELECT json_transform('[1]', '{"a":"VARCHAR"}') r, json_transform('"s"', '{"a":"VARCHAR"}') r2`));
// order check on big file
console.log(await q(`SELECT count(*) bad FROM (SELECT row_number() OVER () n, l FROM read_csv('/tmp/exp/dne.ndjson', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)) WHERE epoch_ms(TRY_CAST(json_extract_string(l, '$.Timestamp') AS TIMESTAMP)) != ${Date.UTC(2026, 4, 21)} + (n-1)*10`));
