/**
 * The CEF fast path (store/cef-sql.ts, a LoadPlan run by DuckDB) against the JavaScript reader
 * (parseCefLine): every line of a file full of edge cases must give the same row, or the same reject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { cefPlan, parseCefLine, setCefSchema } from '../../src/telemetry/cef.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { tempDir, writeTemp } from './shared.js';

const H = '<134>May 21 10:00:00 fw01 CEF:0|Acme|Gate|7.2|1000|traffic allowed|5|';
const LINES = [
  `${H}rt=1779357600000 src=10.0.0.1 spt=1024 dst=93.0.0.1 dpt=443 proto=TCP act=accept msg=session 1 closed`,
  `${H}rt=1779357600001 src=10.0.0.2 spt=1025 dst=93.0.0.2 dpt=443 proto=TCP act=accept msg=session 2 closed`,
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dst=176.65.139.7 dpt=3778',
  'CEF: 0|V|P|1|1|n|High|src=1.1.1.1  dst=2.2.2.2 ',
  'CEF:0|V\\|x|P|1|1|n|5|msg=a\\=b c\\\\d src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|msg="hello world" src=1.1.1.1',
  "CEF:0|V|P|1|1|n|5|msg=it's fine src=1.1.1.1",
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 vendorKey=7 flexString1=x cmdLine=System ad.x=1 dst=2.2.2.2',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dpt=N/A cn3=12x',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dpt=99999999999 in=9007199254740993',
  'CEF:0|V|P|1|1|n|5|msg=lang=en src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 src=2.2.2.2',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 sourceAddress=2.2.2.2',
  'CEF:0|V|P|1|1|n|5|rt=May 21 2026 10:00:00 UTC src=1.1.1.1',
  '<134>1 2026-05-21T10:00:00Z host app - - - CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>May 21 10:00:00 2026 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>May  1 10:00:00 fw01 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|msg=a#012b src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|src= dst=2.2.2.2 vendorKey=',
  'CEF:0|V|P|1|1|n|5|',
  'CEF:0|V|P|1|1|n|5',
  'hello world',
  '',
  'CEF:0|V|P|1|1||5|start=1779357600000 end=1779357601 cfp1=1.5e3 cnt=+5 cfp2=.5',
  'CEF:0|V|P|1|1|n|5|msg=a\tb src=1.1.1.1',
  '<134>Feb 30 10:00:00 fw01 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>May 21 10:00:00 fw01 CEF:0|V|P|1|1|n|5|suser=jürgen msg=ünïcode ☃',
  'CEF:0|V|P|1|1|n|5|junk src=1.1.1.1',
  '<134>may 21 10:00:00 fw01 CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>May 21 10:00:00 fw[1] CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  '<134>May 21 10:00:00 xCEF:y CEF:0|V|P|1|1|n|5|src=1.1.1.1',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dst=2.2.2.2 externalId=3f2a-guid msg=x |y| z',
  'CEF:0|V|P|1|1|n|5|cs1Label=Policy cs1=allow deviceCustomString2=x cs2Label=L',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 rt=1779357600',
  'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dpt=-0 spt=0080',
];

/** Indexes of LINES that DuckDB reads (the others are odd: escapes, quotes, bad numbers, other headers…). */
const SQL_READS = [0, 1, 2, 3, 6, 7, 16, 18, 19, 23, 26, 32, 33, 34];

let store: Store;
beforeAll(async () => {
  store = await Store.open();
  setCefSchema(store.schema('CommonSecurityLog'));
});
afterAll(() => store.close());

describe('CEF fast path', () => {
  it('gives the rows and rejects of the JavaScript reader, line by line', async () => {
    const dir = tempDir();
    const probe = await Store.open();
    const bySql: number[] = [];
    for (const [i, text] of LINES.entries()) {
      // the line twice: its shape is a template of the file, so the SQL reads it unless it is odd
      const file = writeTemp(dir, `edge-${i}.cef`, `${text}\n${text}\n`);
      const plan = cefPlan(probe.schema('CommonSecurityLog'), [text], 2026);
      const loaded = await probe.loadFile(file, plan);
      if (loaded.ingested === 2) bySql.push(i);
      const ledger = await ingestFile(store, file, { referenceYear: 2026, format: 'cef' });
      expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
      const result = parseCefLine(text, { referenceYear: 2026 });
      if (text.trim() === '') {
        expect(ledger).toMatchObject({ read: 0, ignored: 2 });
        continue;
      }
      if (!('row' in result)) {
        expect(ledger.rejected.map((r) => [r.line, r.reason])).toEqual([
          [1, result.reason],
          [2, result.reason],
        ]);
        continue;
      }
      await store.insertRows('CommonSecurityLog', [{ ...result.row, _Source: `js:${i}` }]);
      const rows = await store.query(
        `SELECT * EXCLUDE (_Source) FROM CommonSecurityLog WHERE _Source IN (?, ?, ?) ORDER BY _Source`,
        [`${file}:1`, `${file}:2`, `js:${i}`],
      );
      expect(rows, text).toHaveLength(3);
      expect(rows[0], text).toEqual(rows[2]);
      expect(rows[1], text).toEqual(rows[2]);
    }
    probe.close();
    // the plain lines are read by DuckDB, the odd ones by parseCefLine
    expect(bySql).toEqual(SQL_READS);
  }, 180_000); // 35 files, each loaded twice: a minute on a loaded machine
});

describe('CEF fast path with several templates in one file', () => {
  it('reads each line by its own template, as the JavaScript reader does', async () => {
    const picked = [0, 2, 3, 7, 32, 33, 1, 26];
    const text = picked.map((i) => LINES[i]);
    const file = writeTemp(tempDir(), 'mixed.cef', `${text.join('\n')}\n`);
    const probe = await Store.open();
    const plan = cefPlan(probe.schema('CommonSecurityLog'), text, 2026);
    expect(plan.layout.kind === 'cef' && plan.layout.templates.length).toBeGreaterThan(4);
    const loaded = await probe.loadFile(file, plan);
    probe.close();
    expect(loaded.ingested).toBe(picked.length);
    const ledger = await ingestFile(store, file, { referenceYear: 2026, format: 'cef' });
    expect(ledger).toMatchObject({ read: picked.length, ingested: picked.length, rejected: [] });
    for (const [n, line] of text.entries()) {
      const result = parseCefLine(line, { referenceYear: 2026 });
      if (!('row' in result)) throw new Error(result.reason);
      await store.insertRows('CommonSecurityLog', [{ ...result.row, _Source: `mixed:${n}` }]);
      const rows = await store.query(
        `SELECT * EXCLUDE (_Source) FROM CommonSecurityLog WHERE _Source IN (?, ?) ORDER BY _Source`,
        [`${file}:${n + 1}`, `mixed:${n}`],
      );
      expect(rows, line).toHaveLength(2);
      expect(rows[0], line).toEqual(rows[1]);
    }
  });
});
