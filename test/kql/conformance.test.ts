/**
 * Microsoft's documented KQL examples (../shared/data/kql/docs-conformance): no wrong answer outside the
 * errata list (bench/conformance/errata.ts), and per-family pass counts that may only go up.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CASES_FILE,
  loadCases,
  runConformance,
  tally,
  type Family,
  type Outcome,
} from '../../bench/conformance/runner.js';

/** Raise these as more cases pass; they may never go down. */
const PASS_AT_LEAST: Record<Family, number> = {
  core: 277,
  series: 20,
  geo: 138,
  graph: 12,
  plugins: 13,
};

/** Wrong answers being fixed in issue 12: this list may only shrink (to empty). */
const STILL_WRONG = new Set<string>([]);

describe.skipIf(!existsSync(CASES_FILE))(`KQL documentation conformance (${CASES_FILE})`, () => {
  let outcomes: Outcome[] = [];
  it('runs every case', { timeout: 300_000 }, async () => {
    outcomes = await runConformance(loadCases());
    expect(outcomes.length).toBeGreaterThanOrEqual(490);
  });

  it('gives no wrong answer outside the errata list', () => {
    const wrong = outcomes.filter((o) => o.status === 'wrong' && !o.erratum && !STILL_WRONG.has(o.id));
    expect(wrong.map((o) => `${o.id}: ${o.detail}`)).toEqual([]);
  });

  it('passes at least as many cases per family as before', () => {
    const counts = tally(outcomes);
    for (const [family, floor] of Object.entries(PASS_AT_LEAST)) {
      expect(counts.get(family as Family)?.pass ?? 0, family).toBeGreaterThanOrEqual(floor);
    }
  });
});
