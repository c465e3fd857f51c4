/**
 * Store sizing (store/sizing.ts): large inputs get a temporary on-disk store with a memory limit and two
 * threads; small ones stay in memory. The threshold is lowered here so that small files can be large.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { inputBytes, LARGE_INPUT_MEMORY_LIMIT, storeSizing } from '../../src/store/sizing.js';
import { ingestPaths } from '../../src/telemetry/ingest.js';
import { hunt } from '../../src/index.js';

const CEF = 'CEF:0|V|P|1|1|n|5|src=10.0.0.1 dst=176.65.139.7 dpt=3778\n';

function inputs(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tt-sizing-'));
  const log = join(dir, 'fw.cef');
  writeFileSync(log, CEF.repeat(20));
  mkdtempSync(join(dir, 'x')); // an empty folder counts nothing
  writeFileSync(join(dir, 'empty.log'), '');
  return { dir, log };
}

describe('store sizing', () => {
  it('counts the files under folders, compressed ones ten times', async () => {
    const { dir, log } = inputs();
    const gz = join(dir, 'old.cef.gz');
    writeFileSync(gz, Buffer.alloc(100));
    expect(await inputBytes([log])).toBe(CEF.length * 20);
    expect(await inputBytes([dir])).toBe(CEF.length * 20 + 1000);
  });

  it('keeps small inputs in memory and large ones in a temporary on-disk store', async () => {
    const { log } = inputs();
    expect(await storeSizing([log])).toEqual({});
    expect(await storeSizing([log], { memoryLimit: '1GB' })).toEqual({ memoryLimit: '1GB' });
    const large = await storeSizing([log], { largeBytes: 100 });
    expect(large).toEqual({ onDisk: true, memoryLimit: LARGE_INPUT_MEMORY_LIMIT, threads: 2 });
    // a kept store is on disk already; the user's limit wins
    expect(await storeSizing([log], { largeBytes: 100, db: 'x.duckdb', memoryLimit: '2GB' })).toEqual({
      onDisk: false,
      memoryLimit: '2GB',
      threads: 2,
    });

    const store = await Store.open(large);
    expect(store.path.endsWith('store.duckdb')).toBe(true);
    expect(existsSync(store.path)).toBe(true);
    expect(store.persistent).toBe(false); // nobody keeps it: no content identity, no --list
    const settings = await store.query(
      "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t",
    );
    expect(settings).toEqual([{ m: '3.7 GiB', t: 2 }]);
    const { ledgers } = await ingestPaths(store, [log], {});
    expect(ledgers[0]).toMatchObject({ read: 20, ingested: 20 });
    expect(await store.query('SELECT count(*) AS n FROM CommonSecurityLog')).toEqual([{ n: 20 }]);
    const folder = dirname(store.path);
    store.close();
    expect(existsSync(folder)).toBe(false); // the database went with the store
  });

  it("hunt --memory-limit sets DuckDB's limit for the run", async () => {
    const { log } = inputs();
    let limit: unknown;
    const result = await hunt([log], {
      memoryLimit: '300MB',
      bundled: false,
      hunts: [],
      now: new Date('2026-05-22T00:00:00Z'),
      inspect: async (store) => {
        [{ m: limit }] = await store.query("SELECT current_setting('memory_limit') AS m");
      },
    });
    expect(limit).toBe('286.1 MiB');
    expect(result.ledgers[0]).toMatchObject({ read: 20, ingested: 20 });
  });
});
