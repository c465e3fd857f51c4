// The ASIM parser tables a hunt run stores once (src/hunts/run-parsers.ts): same findings as reading
// the parsers' SQL in every hunt, at a replay clock and at --now, and nothing left in the store after.
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../src/store/db.js';
import { ingestPaths } from '../../src/telemetry/ingest.js';
import { loadHunts } from '../../src/hunts/loader.js';
import { runHunts } from '../../src/hunts/runner.js';
import { huntRunSummary, repoRoot } from '../helpers.js';

describe('parser tables stored once per hunt run', () => {
  it('finds exactly what the parsers find, and drops its tables', async () => {
    const store = await Store.open();
    try {
      await ingestPaths(store, [join(repoRoot, 'examples', 'incident')], {});
      const hunts = loadHunts().filter((h) => !h.view && h.requiredTables.includes('_Im_NetworkSession'));
      const run = vi.spyOn(store, 'run');
      for (const now of [undefined, new Date('2026-05-21T23:00:00Z')]) {
        run.mockClear();
        const shared = await runHunts(store, hunts, { now });
        const stored = run.mock.calls.filter(([sql]) => sql.startsWith('CREATE OR REPLACE TEMP TABLE'));
        expect(stored.length).toBe(1);
        const alone = await runHunts(store, hunts, { now, shareParserTables: false });
        expect(huntRunSummary(shared)).toEqual(huntRunSummary(alone));
        expect(shared.flatMap((r) => r.findings).length).toBeGreaterThan(0);
      }
      const left = await store.query(`SELECT table_name FROM duckdb_tables() WHERE temporary`);
      expect(left).toEqual([]);
    } finally {
      store.close();
    }
  }, 240_000);
});
