/**
 * Sentinel's own ASIM rules and hunting queries (../shared/data/kql/asim), unchanged, on examples/incident:
 * the number that run must not drop, and each one that does not run says why (Kusto's diagnostic or the
 * construct the translator lacks, with its position). docs/asim.md lists them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/paths.js';
import { totals } from '../../bench/corpus/runner.js';
import { runAsimCorpus } from '../../bench/corpus/asim.js';

const DIR = join(packageRoot, '..', 'shared', 'data', 'kql', 'asim');
/** Raise this when more of the set runs; it may never go down. */
const RAN_AT_LEAST = 58;

describe.skipIf(!existsSync(DIR))(`ASIM rules on examples/incident (${DIR})`, () => {
  it('runs at least as many as before; the others fail with a diagnostic', { timeout: 600_000 }, async () => {
    const externaldataDir = mkdtempSync(join(tmpdir(), 'tt-asim-corpus-'));
    try {
      const outcomes = await runAsimCorpus({
        dir: DIR,
        data: [join(packageRoot, 'examples', 'incident')],
        externaldataDir,
        now: new Date('2026-05-22T00:00:00Z'),
      });
      expect(outcomes.length).toBe(67);
      expect(totals(outcomes).ran).toBeGreaterThanOrEqual(RAN_AT_LEAST);
      const byFile = new Map(outcomes.map((o) => [o.file, o]));
      for (const file of [
        'PortScan.yaml',
        'imDNS_TorProxies.yaml',
        'imProcess_AdFind_Usage.yaml',
        'AllowedInboundSSHTelnetRDPConnections.yaml',
      ])
        expect(byFile.get(file)?.status, file).toBe('ran');
      for (const o of outcomes.filter((x) => x.status !== 'ran'))
        expect(o.detail).toMatch(/^(TT\d+|KS\d+): /);
    } finally {
      rmSync(externaldataDir, { recursive: true, force: true });
    }
  });
});
