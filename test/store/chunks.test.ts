import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { sentinelNdjsonPlan } from '../../src/telemetry/sentinel-export.js';

describe('Store.loadFile in pieces', () => {
  it('numbers lines across pieces exactly as one piece does, plain and gzip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telltale-chunks-'));
    const lines: string[] = [];
    for (let i = 1; i <= 400; i++) {
      if (i % 37 === 0) lines.push('');
      else if (i % 53 === 0) lines.push('{not json');
      else
        lines.push(
          JSON.stringify({ Timestamp: '2024-01-01T00:00:00Z', RemoteIP: `10.0.0.${i % 250}`, LocalPort: i }),
        );
    }
    const text = lines.join('\n'); // no final newline
    const plain = join(dir, 'a.ndjson');
    const gz = join(dir, 'b.ndjson.gz');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    const store = await Store.open();
    const plan = sentinelNdjsonPlan(store.schema('DeviceNetworkEvents'));
    const whole = await store.loadFile(plain, plan, { sourceName: 'whole' });
    const pieces = await store.loadFile(plain, plan, { sourceName: 'pieces', chunkBytes: 1000 });
    const zipped = await store.loadFile(gz, plan, { sourceName: 'gz', gzip: true, chunkBytes: 1500 });
    expect(whole.lines).toBe(400);
    for (const other of [pieces, zipped]) {
      expect({ ...other, tables: {}, fileId: 0 }).toEqual({ ...whole, tables: {}, fileId: 0 });
      expect(other.tables).toEqual(whole.tables);
    }
    expect(whole.toReader.map((r) => r.line)).toEqual([53, 106, 159, 212, 265, 318, 371]);
    const rows = await store.query(
      `SELECT split_part(_Source, ':', 1) AS s, count(*) AS n, sum(CAST(split_part(_Source, ':', 2) AS INTEGER) - LocalPort) AS drift
       FROM DeviceNetworkEvents GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { s: 'gz', n: whole.ingested, drift: 0 },
      { s: 'pieces', n: whole.ingested, drift: 0 },
      { s: 'whole', n: whole.ingested, drift: 0 },
    ]);
    store.close();
  });

  it('writes nothing when DuckDB refuses a later piece (invalid UTF-8), and keeps earlier rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telltale-chunks-'));
    const line = (i: number) =>
      JSON.stringify({ Timestamp: '2024-01-01T00:00:00Z', RemoteIP: `10.0.0.${i % 250}`, LocalPort: i });
    const good = join(dir, 'good.ndjson');
    const bad = join(dir, 'bad.ndjson');
    const lines = Array.from({ length: 300 }, (_, i) => line(i + 1));
    writeFileSync(good, lines.join('\n') + '\n');
    writeFileSync(
      bad,
      Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]),
    );
    const store = await Store.open();
    const plan = sentinelNdjsonPlan(store.schema('DeviceNetworkEvents'));
    await store.loadFile(good, plan, { sourceName: 'good', chunkBytes: 2000 });
    await expect(store.loadFile(bad, plan, { sourceName: 'bad', chunkBytes: 2000 })).rejects.toThrow();
    const rows = await store.query(
      `SELECT split_part(_Source, ':', 1) AS s, count(*) AS n FROM DeviceNetworkEvents GROUP BY 1`,
    );
    expect(rows).toEqual([{ s: 'good', n: 300 }]);
    store.close();
  });
});
