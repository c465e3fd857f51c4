/**
 * The real-world corpus (../shared/data/kql): the number of queries that run must not drop. Queries
 * broken upstream must fail with Kusto's own diagnostic, not with ours.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/paths.js';
import { runCorpus, totals } from '../../bench/corpus/runner.js';

const DIR = join(packageRoot, '..', 'shared', 'data', 'kql');
/** Raise this when more of the corpus runs; it may never go down. */
const RAN_AT_LEAST = 99;

describe.skipIf(!existsSync(DIR))(`KQL corpus (${DIR})`, () => {
  it('runs at least as many queries as before, and broken ones fail with Kusto diagnostics', async () => {
    const externaldataDir = mkdtempSync(join(tmpdir(), 'tt-corpus-'));
    try {
      const outcomes = await runCorpus({ dir: DIR, externaldataDir, now: new Date('2026-05-21T12:00:00Z') });
      expect(outcomes.length).toBeGreaterThanOrEqual(101);
      expect(totals(outcomes).ran).toBeGreaterThanOrEqual(RAN_AT_LEAST);
      const byFile = new Map(outcomes.map((o) => [o.file, o]));
      expect(byFile.get('sentinel/dns-tunneling.kql')?.detail).toMatch(/^KS142: .*TimeGeneratedUtc/);
      expect(
        byFile.get(
          'bertjanp/dfir-defender-for-endpoint-mde-inboundconnectionscompromiseddevice__sentinel.kql',
        )?.detail,
      ).toMatch(/^KS201: .*SearchWindow/);
      // evaluate bag_unpack (columns from the data); series_stats / series_outliers
      for (const file of [
        'bertjanp/defender-for-endpoint-publicfacingdevicescanned__xdr.kql',
        'sentinel/fortinet-beacon-pattern-detected.kql',
      ])
        expect(byFile.get(file)?.status).toBe('ran');
      // every failure names its construct or diagnostic
      for (const o of outcomes.filter((x) => x.status !== 'ran'))
        expect(o.detail).toMatch(/^(TT\d+|KS\d+|run: )/);
    } finally {
      rmSync(externaldataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

it.skipIf(existsSync(DIR))('KQL corpus: skipped, ../shared/data/kql is absent', () => {});
