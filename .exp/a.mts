import { DuckDBInstance } from '@duckdb/node-api';
import { openSync, readSync, closeSync } from 'node:fs';
const f = '/tmp/exp/dne.ndjson';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const t = async (label: string, fn: () => Promise<unknown>) => { const s = performance.now(); const r = await fn(); console.log(label, ((performance.now() - s) / 1000).toFixed(2), 's', r ?? ''); };
const cols = `{Timestamp:'TIMESTAMP', DeviceName:'VARCHAR', ActionType:'VARCHAR', LocalIP:'VARCHAR', LocalPort:'INTEGER', RemoteIP:'VARCHAR', RemotePort:'INTEGER', Protocol:'VARCHAR', InitiatingProcessFileName:'VARCHAR'}`;
await t('read_ndjson', () => con.run(`CREATE TABLE ref AS SELECT * FROM read_ndjson('${f}', columns=${cols})`));
await t('read_csv lines', async () => { await con.run(`CREATE TABLE l AS SELECT l FROM read_csv('${f}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)`); });
await t('read_csv lines + rownum', async () => { await con.run(`CREATE TABLE l2 AS SELECT row_number() over () n, l FROM read_csv('${f}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)`); });
const struct = `'{"Timestamp":"VARCHAR","DeviceName":"VARCHAR","ActionType":"VARCHAR","LocalIP":"VARCHAR","LocalPort":"VARCHAR","RemoteIP":"VARCHAR","RemotePort":"VARCHAR","Protocol":"VARCHAR","InitiatingProcessFileName":"VARCHAR"}'`;
await t('json_transform from l2', () => con.run(`CREATE TABLE x AS SELECT n, j.* FROM (SELECT n, json_transform(l, ${struct}) j FROM l2)`));
await t('json_transform+cast from l2', () => con.run(`CREATE TABLE x2 AS SELECT n, TRY_CAST(j.Timestamp AS TIMESTAMP) ts, TRY_CAST(j.LocalPort AS INTEGER) lp, j.* FROM (SELECT n, json_transform(l, ${struct}) j FROM l2)`));
// JS chunks
await t('js chunks string_split', async () => {
  await con.run('CREATE TABLE c (n BIGINT, l VARCHAR)');
  const fd = openSync(f, 'r'); const buf = Buffer.alloc(16 << 20); let carry = Buffer.alloc(0); let line = 1; let nchunks = 0;
  for (;;) {
    carry.copy(buf, 0); const got = readSync(fd, buf, carry.length, buf.length - carry.length, null);
    const len = carry.length + got; if (len === 0) break;
    let end = buf.lastIndexOf(10, len - 1); if (end === -1 || got === 0) end = len - 1;
    const text = buf.toString('utf8', 0, end + 1);
    carry = Buffer.from(buf.subarray(end + 1, len));
    let lines = 0; for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) lines++;
    await con.run(`INSERT INTO c SELECT $1 + o - 1, l FROM unnest(string_split($2, chr(10))) WITH ORDINALITY AS u(l, o)`, [line, text] as never);
    line += lines; nchunks++;
    if (got === 0) break;
  }
  closeSync(fd); return nchunks;
});
console.log((await con.runAndReadAll('select count(*), max(n) from c')).getRows());
console.log((await con.runAndReadAll('select count(*), max(n) from l2')).getRows());
console.log((await con.runAndReadAll("select * from l2 where n in (1, 500000, 1000000)")).getRows().map(r=>String(r[1]).slice(0,60)));
