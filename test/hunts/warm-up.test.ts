// Kusto.Language loaded while the ingest runs (src/hunts/warm-up.ts): a warm-up changes no answer,
// a hunt whose KQL is broken still reports its error, and a stopped warm-up settles.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../src/store/db.js';
import { ingestPaths } from '../../src/telemetry/ingest.js';
import { loadHunts } from '../../src/hunts/loader.js';
import { runHunts } from '../../src/hunts/runner.js';
import { warmHuntCompilation } from '../../src/hunts/warm-up.js';
import type { Hunt } from '../../src/hunts/model.js';
import { huntRunSummary, repoRoot } from '../helpers.js';

const NOW = new Date('2026-05-22T00:00:00Z');

function brokenHunt(like: Hunt): Hunt {
  return { ...like, key: 'broken', query: `${like.query}\n| where NoSuchColumn > 1` };
}

describe('hunt warm-up', () => {
  it('changes no finding, and a broken hunt still reports its error', async () => {
    const store = await Store.open();
    try {
      await ingestPaths(store, [join(repoRoot, 'examples', 'incident')], {});
      const pack = loadHunts().filter((h) => !h.view && h.requiredTables.includes('_Im_NetworkSession'));
      const hunts = [...pack, brokenHunt(pack[0])];
      const cold = await runHunts(store, hunts, { now: NOW });
      const warmUp = warmHuntCompilation();
      await warmUp.finished;
      const warm = await runHunts(store, hunts, { now: NOW });
      expect(huntRunSummary(warm)).toEqual(huntRunSummary(cold));
      expect(warm.flatMap((r) => r.findings).length).toBeGreaterThan(0);
      expect(warm.at(-1)?.error).toMatch(/NoSuchColumn/);
    } finally {
      store.close();
    }
  }, 240_000);

  it('settles when stopped, and the hunts run as without it', async () => {
    const store = await Store.open();
    try {
      const hunts = loadHunts().filter((h) => !h.view);
      const warmUp = warmHuntCompilation();
      await warmUp.stop();
      await warmUp.finished;
      const runs = await runHunts(store, hunts.slice(0, 2), { now: NOW });
      expect(runs.map((r) => r.error)).toEqual([undefined, undefined]);
    } finally {
      store.close();
    }
  }, 120_000);
});
