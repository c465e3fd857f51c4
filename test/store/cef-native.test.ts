/**
 * The CEF tokenizer addon (store/cef-native.ts) against the SQL plan it replaces (store/cef-sql.ts):
 * the same file, loaded both ways, must give the same native rows (every column, line numbers
 * included), the same lines handed to the JavaScript reader, the same counts. The file mixes plain
 * lines of several templates with the odd ones (escapes, quotes, tabs, other syslog headers, bad
 * numbers, non-ASCII text) and blank lines, across many batches and pieces; and a CRLF file.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { cefAddon } from '../../src/store/cef-native.js';
import { cefPlan } from '../../src/telemetry/cef.js';
import { tempDir, writeTemp } from '../telemetry/shared.js';
import { repoRoot } from '../helpers.js';

const H = (i: number) =>
  `<134>May ${String(1 + (i % 28)).padStart(2, ' ')} 1${i % 10}:0${i % 6}:${String(i % 60).padStart(2, '0')} fw${i % 3}`;
const plain = (i: number) =>
  `${H(i)} CEF:0|Acme|Gate ${i % 4}|7.2|${1000 + (i % 50)}|traffic allowed for a long name ${i}|${i % 10}|` +
  `rt=${1779357600000 + i} src=10.0.${i % 256}.${i % 7} spt=${1024 + i} dst=93.184.${i % 200}.1 dpt=${[443, 23, 2323][i % 3]} ` +
  `proto=TCP act=${i % 5 ? 'accept' : ''} in=${i * 3} cs1Label=Policy cs1=allow-${i} cn1=${i % 11 ? i : ''} msg=session ${i} closed ok`;
const other = (i: number) =>
  `CEF:0|V|P|1|${i}|n|High|src=1.1.1.${i % 250}  dst=2.2.2.2 cfp1=${i}.5e1 start=${1779357600 + i} vendorKey=${'x'.repeat(i % 20)}`;
const ODD = [
  'CEF:0|V\\|x|P|1|1|n|5|msg=a\\=b c\\\\d src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|msg="hello world" src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|msg=a\tb src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|msg=a#012b src=1.1.1.1',
  '<134>May 21 10:00:00 2026 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>Feb 30 10:00:00 fw01 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>1 2026-05-21T10:00:00Z host app - - - CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  'CEF:0|V|P|1|1|n|High|src=1.1.1.1  dst=2.2.2.2 cfp1=1.5.5 start=1779357600 vendorKey=',
  'CEF:0|V|P|1|1|n|High|src=1.1.1.1  dst=2.2.2.2 cfp1=1 start=May 21 vendorKey=',
  `${H(1)} CEF:0|Acme|Gate|7.2|1|x|5|rt=1 src=1.1.1.1 spt=99999999999 dst=2.2.2.2 dpt=1 proto=TCP act=a in=1 cs1Label=P cs1=a cn1=1 msg=m`,
  `${H(2)} CEF:0|Acme|Gate|7.2|1|x|5|rt=1 src=1.1.1.1 spt=1 dst=2.2.2.2 dpt=1 proto=TCP act=a in=9007199254740993 cs1Label=P cs1=a cn1=1 msg=m`,
  `${H(3)} CEF:0|Acme|Gate|7.2|1|x|5|rt=1 src=ünïcode\u00a0x spt=1 dst=2.2.2.2 dpt=1 proto=TCP act=a in=1 cs1Label=P cs1=a cn1=1 msg=m`,
  'hello world',
  'CEF:0|V|P|1|1|n|5',
  'CEF:0|V|P|1|1|n|5|junk src=1.1.1.1',
];

function cefFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 97 === 0) out.push(ODD[(i / 97) % ODD.length]);
    else if (i % 131 === 0) out.push(i % 2 ? '' : '   ');
    else if (i % 7 === 0) out.push(other(i));
    else if (i % 11 === 0) out.push(`${plain(i)} suser=jürgen ☃ ${i}`);
    else out.push(plain(i));
  }
  return `${out.join('\n')}`; // the last line without a newline
}

if (!cefAddon()) console.warn('[skip] the telltale-cef addon did not build or load: CEF runs the SQL plan');

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  delete process.env.TELLTALE_CEF_LOADER;
});

async function load(file: string, sample: string[], loader: 'native' | 'sql', chunkBytes?: number) {
  process.env.TELLTALE_CEF_LOADER = loader;
  const store = await Store.open();
  stores.push(store);
  const plan = cefPlan(store.schema('CommonSecurityLog'), sample, 2026);
  const loaded = await store.loadFile(file, plan, { chunkBytes, sourceName: 'fw.cef' });
  const rows = await store.query(`SELECT * EXCLUDE (_file) FROM ${loaded.native} ORDER BY _line`);
  const view = await store.query(`SELECT * FROM CommonSecurityLog ORDER BY _Source`);
  return { loaded, rows, view };
}

describe.skipIf(!cefAddon())('CEF tokenizer addon', () => {
  it('gives the rows, reader lines and counts of the SQL plan, batch after batch', async () => {
    const text = cefFile(6000);
    const file = writeTemp(tempDir(), 'fw.cef', text);
    const sample = text.split('\n').slice(0, 1000);
    const sql = await load(file, sample, 'sql');
    const native = await load(file, sample, 'native', 256 * 1024); // many pieces
    expect(native.loaded.lines).toBe(6000);
    expect(native.loaded.ingested).toBeGreaterThan(5000);
    expect(native.loaded.toReader.length).toBeGreaterThan(10);
    expect({ ...native.loaded, fileId: 0 }).toEqual({ ...sql.loaded, fileId: 0 });
    expect(native.rows).toEqual(sql.rows);
    expect(native.view).toEqual(sql.view);
  });

  it('reads CRLF lines as the SQL plan does', async () => {
    const text = cefFile(300).replace(/\n/g, '\r\n');
    const file = writeTemp(tempDir(), 'crlf.cef', text);
    const sample = text.split('\r\n');
    const sql = await load(file, sample, 'sql');
    const native = await load(file, sample, 'native');
    expect(native.loaded.ingested).toBeGreaterThan(250);
    expect({ ...native.loaded, fileId: 0 }).toEqual({ ...sql.loaded, fileId: 0 });
    expect(native.rows).toEqual(sql.rows);
  });

  it('refuses a file with invalid UTF-8 having written nothing, as DuckDB does', async () => {
    const bytes = Buffer.concat([Buffer.from(`${plain(1)}\n${plain(2)}\n`), Buffer.from([0xc3, 0x28, 10])]);
    const file = writeTemp(tempDir(), 'bad.cef', bytes);
    process.env.TELLTALE_CEF_LOADER = 'native';
    const store = await Store.open();
    stores.push(store);
    const plan = cefPlan(store.schema('CommonSecurityLog'), [plain(1)], 2026);
    await expect(store.loadFile(file, plan)).rejects.toThrow(/invalid UTF-8/);
    expect(await store.query('SELECT count(*) AS n FROM CommonSecurityLog')).toEqual([{ n: 0 }]);
  });

  it('inserts a file of more than two pieces in two parts that keep the lines in file order', async () => {
    const text = cefFile(6000);
    const file = writeTemp(tempDir(), 'fw.cef', text);
    expect(text.length).toBeGreaterThan(4 * 64 * 1024); // two parts of several pieces each
    const { loaded } = await load(file, text.split('\n').slice(0, 1000), 'native', 64 * 1024);
    const store = stores[stores.length - 1];
    const stored = (await store.query(`SELECT _line FROM ${loaded.native}`)).map((r) => Number(r._line));
    expect(stored.length).toBe(loaded.ingested);
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    expect(stored[stored.length - 1]).toBeGreaterThan(5900); // the second part numbers on from the first
  });

  it('refuses a file whose second part has invalid UTF-8, having written neither part', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => plain(i + 1)).join('\n');
    const bytes = Buffer.concat([Buffer.from(`${lines}\n`), Buffer.from([0xc3, 0x28, 10])]);
    const file = writeTemp(tempDir(), 'bad-tail.cef', bytes);
    process.env.TELLTALE_CEF_LOADER = 'native';
    const store = await Store.open();
    stores.push(store);
    const plan = cefPlan(store.schema('CommonSecurityLog'), [plain(1)], 2026);
    await expect(store.loadFile(file, plan, { chunkBytes: 64 * 1024 })).rejects.toThrow(
      /:3001: invalid UTF-8/,
    );
    expect(await store.query('SELECT count(*) AS n FROM CommonSecurityLog')).toEqual([{ n: 0 }]);
  });
});

// A table-function INSERT holds a libuv pool thread while its callbacks block on cuts that need one too:
// with UV_THREADPOOL_SIZE 1 or 2 the load must take fewer parts or the appender, not hang.
describe.skipIf(!cefAddon())('CEF load with a small libuv thread pool', () => {
  it.each([1, 2])('completes with UV_THREADPOOL_SIZE=%i', (size) => {
    const dir = tempDir();
    const lines = Array.from({ length: 60_000 }, (_, i) => plain(i + 1));
    const file = writeTemp(dir, 'fw.cef', `${lines.join('\n')}\n`);
    const script = writeTemp(
      dir,
      'load.mts',
      `import { Store } from ${JSON.stringify(join(repoRoot, 'src/store/db.ts'))};
import { cefPlan } from ${JSON.stringify(join(repoRoot, 'src/telemetry/cef.ts'))};
process.env.TELLTALE_CEF_LOADER = 'native';
const store = await Store.open();
const plan = cefPlan(store.schema('CommonSecurityLog'), ${JSON.stringify(lines.slice(0, 5))}, 2026);
const result = await store.loadFile(${JSON.stringify(file)}, plan, { chunkBytes: 64 * 1024 });
console.log(result.ingested);
store.close();`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(size) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.error, 'the load hung').toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('60000');
  });
});
