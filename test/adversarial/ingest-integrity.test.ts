// Persistent datasets (--db): files known by content, grown files resumed, and a kill -9 in the middle of
// an ingest leaving the store usable with the file fully loaded or absent.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestFile } from '../../src/telemetry/ingest.js';

const repo = resolve(import.meta.dirname, '../..');
const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\tconn_state',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tstring',
];

/** Conn lines from `from`; every 500th has a `\x` escape, so the JavaScript reader takes it. */
function connLines(from: number, n: number): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++)
    out.push(
      `${1779321600 + i}.5\tC${i}\t10.0.${(i >> 8) & 255}.${i & 255}\t${30000 + (i % 1000)}\t93.1.${(i >> 8) & 255}.${i & 255}\t443\ttcp\t` +
        `${i % 500 === 0 ? 'ss\\x6c' : 'ssl'}\t1.5\tSF`,
    );
  return out.join('\n') + '\n';
}

const dir = () => mkdtempSync(join(tmpdir(), 'tt-integrity-'));

async function rows(db: string): Promise<{ n: number; files: number; last: string | null }> {
  const store = await Store.open({ path: db });
  try {
    const [r] = await store.query(
      `SELECT count(*) AS n, max(TRY_CAST(split_part(_Source, ':', -1) AS BIGINT)) AS last FROM DeviceNetworkEvents`,
    );
    const [f] = await store.query('SELECT count(*) AS n FROM tt_files');
    return { n: Number(r.n), files: Number(f.n), last: r.last === null ? null : String(r.last) };
  } finally {
    store.close();
  }
}

async function ingestInto(db: string, file: string) {
  const store = await Store.open({ path: db });
  try {
    return await ingestFile(store, file);
  } finally {
    store.close();
  }
}

/** Ingests in a child process that SIGKILLs itself: `mid` after the first pieces, `after` once done. */
function killedIngest(db: string, file: string, when: 'mid' | 'after'): void {
  const script = join(dir(), 'child.mts');
  writeFileSync(
    script,
    `import { Store } from ${JSON.stringify(join(repo, 'src/store/db.ts'))};
import { ingestFile } from ${JSON.stringify(join(repo, 'src/telemetry/ingest.ts'))};
const store = await Store.open({ path: ${JSON.stringify(db)} });
await ingestFile(store, ${JSON.stringify(file)}, {
  chunkBytes: 64 * 1024,
  onProgress: (p) => { if (${JSON.stringify(when)} === 'mid' && p.lines > 3000) process.kill(process.pid, 'SIGKILL'); },
});
process.kill(process.pid, 'SIGKILL');
`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repo, encoding: 'utf8' });
  expect(child.signal, child.stderr).toBe('SIGKILL');
}

describe('persistent datasets', () => {
  it('adds nothing for content already loaded, under any name, compressed or not', async () => {
    const d = dir();
    const db = join(d, 'store.duckdb');
    const file = join(d, 'conn.log');
    writeFileSync(file, HEADER.join('\n') + '\n' + connLines(0, 2000));
    const first = await ingestInto(db, file);
    expect(first).toMatchObject({ read: 2000, ingested: 2000, rejected: [] });
    const again = await ingestInto(db, file);
    expect(again).toMatchObject({ read: 0, ingested: 0, alreadyLoaded: file });
    const rotated = join(d, 'conn.00:00:00-01:00:00.log.gz');
    writeFileSync(rotated, gzipSync(readFileSync(file)));
    expect(await ingestInto(db, rotated)).toMatchObject({ ingested: 0, alreadyLoaded: file });
    expect(await rows(db)).toEqual({ n: 2000, files: 1, last: String(HEADER.length + 2000) });
  });

  it('loads only the new lines of a file that grew, numbered from where it left off', async () => {
    const d = dir();
    const db = join(d, 'store.duckdb');
    const file = join(d, 'conn.log');
    writeFileSync(file, HEADER.join('\n') + '\n' + connLines(0, 1500));
    expect(await ingestInto(db, file)).toMatchObject({ ingested: 1500 });
    appendFileSync(file, connLines(1500, 700));
    const grown = await ingestInto(db, file);
    expect(grown).toMatchObject({ read: 700, ingested: 700, resumedAt: HEADER.length + 1501 });
    expect(await rows(db)).toEqual({ n: 2200, files: 2, last: String(HEADER.length + 2200) });
    const store = await Store.open({ path: db });
    const [line] = await store.query(
      `SELECT _Source FROM DeviceNetworkEvents WHERE LocalIP = '10.0.5.220' AND LocalPort = 30500`,
    );
    store.close();
    expect(line._Source).toBe(`${file}:${HEADER.length + 1501}`); // connection 1500, the first new one
  });
});

describe('kill -9 during an ingest', () => {
  const big = () => {
    const d = dir();
    const file = join(d, 'conn.log');
    writeFileSync(file, HEADER.join('\n') + '\n' + connLines(0, 20_000));
    return { db: join(d, 'store.duckdb'), file };
  };

  it('mid-file: the store opens, the file is absent, and loads whole again', async () => {
    const { db, file } = big();
    killedIngest(db, file, 'mid');
    expect(await rows(db)).toEqual({ n: 0, files: 0, last: null });
    expect(await ingestInto(db, file)).toMatchObject({ read: 20_000, ingested: 20_000, rejected: [] });
    expect(await rows(db)).toEqual({ n: 20_000, files: 1, last: String(HEADER.length + 20_000) });
  }, 120_000);

  it('after the file completed: the file is there, whole, and not loaded twice', async () => {
    const { db, file } = big();
    killedIngest(db, file, 'after');
    expect(await rows(db)).toEqual({ n: 20_000, files: 1, last: String(HEADER.length + 20_000) });
    expect(await ingestInto(db, file)).toMatchObject({ ingested: 0, alreadyLoaded: file });
  }, 120_000);
});
