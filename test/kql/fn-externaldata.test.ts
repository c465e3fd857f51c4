import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ExternalDataMissing, KqlError, runKql } from '../../src/kql/index.js';
import { localPath } from '../../src/kql/externaldata.js';
import { NOW } from './helpers.js';

let dir: string;
let store: Store;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return pathToFileURL(path).href;
};
const run = (q: string) => runKql(store, q, { now: NOW, externaldataDir: join(dir, 'feeds') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tt-externaldata-'));
  store = await Store.open();
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('externaldata', () => {
  it('reads a csv file:// URL, skipping the header with ignoreFirstRecord and typing each column', async () => {
    const url = file(
      'feeds/a.csv',
      'ip,port,seen,ok\n176.65.139.7,23,2026-05-20T10:00:00Z,true\n"10.0.0.1",x,,false\n',
    );
    const r = await run(
      `externaldata(ip:string, port:int, seen:datetime, ok:bool) ["${url}"] with (format="csv", ignoreFirstRecord=true)`,
    );
    expect(r.rows).toEqual([
      { ip: '176.65.139.7', port: 23, seen: '2026-05-20T10:00:00.000Z', ok: true },
      { ip: '10.0.0.1', port: null, seen: null, ok: false },
    ]);
  });

  it('keeps the first record without ignoreFirstRecord, and pads short rows with nulls', async () => {
    const url = file('feeds/b.csv', 'a,1\nb\n');
    const r = await run(`externaldata(s:string, n:long) ["${url}"]`);
    expect(r.rows).toEqual([
      { s: 'a', n: 1 },
      { s: 'b', n: null },
    ]);
  });

  it('maps https://host/a/b to DIR/host/a/b (query strings dropped) and honours tsv, txt and json', async () => {
    file('feeds/feeds.example/x/list.tsv', 'a\t1\nb\t2\n');
    file('feeds/feeds.example/x/ips.txt', '# comment\n1.2.3.4\r\n\n5.6.7.8\n');
    file('feeds/feeds.example/x/doc.json', '{"k":"v1","n":1}\n{"k":"v2","n":2,"extra":true}\n');
    const tsv = await run(
      `externaldata(s:string, n:int) [h@"https://feeds.example/x/list.tsv?sig=secret"] with (format="tsv")`,
    );
    expect(tsv.rows).toEqual([
      { s: 'a', n: 1 },
      { s: 'b', n: 2 },
    ]);
    const txt = await run(
      `externaldata(line:string) ["https://feeds.example/x/ips.txt"] with (format="txt")`,
    );
    expect(txt.rows.map((r) => r.line)).toEqual(['# comment', '1.2.3.4', '5.6.7.8']);
    const json = await run(
      `externaldata(k:string, n:long) ["https://feeds.example/x/doc.json"] with (format="multijson")`,
    );
    expect(json.rows).toEqual([
      { k: 'v1', n: 1 },
      { k: 'v2', n: 2 },
    ]);
  });

  it('fails with the URL and the path it looked for when no local file exists', async () => {
    const q = `externaldata(ip:string) ["https://feeds.example/none.csv"]`;
    const err = await run(q).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalDataMissing);
    expect(err).toBeInstanceOf(KqlError);
    const missing = err as ExternalDataMissing;
    expect(missing.message).toContain('https://feeds.example/none.csv');
    expect(missing.message).toContain(join(dir, 'feeds', 'feeds.example', 'none.csv'));
    expect(missing.source).toMatchObject({ format: 'csv', columns: [{ name: 'ip', type: 'string' }] });
  });

  it('never reads outside the directory', () => {
    expect(localPath('https://h/a%2F..%2F..%2F..%2Fetc%2Fpasswd', '/tmp/feeds').path).toBeUndefined();
    expect(localPath('ftp://h/x', '/tmp/feeds').reason).toMatch(/ftp/);
  });
});
