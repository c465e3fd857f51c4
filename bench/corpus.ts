/**
 * `npm run corpus [DIR]`: runs every query of the KQL corpus (default ../shared/data/kql) against the
 * schemas and a small generated dataset; prints one line per query and the totals. Exit 1 if below 95%.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import { missingConstructs, runCorpus, totals } from './corpus/runner.js';

const dir = resolve(process.argv[2] ?? join(packageRoot, '..', 'shared', 'data', 'kql'));
const externaldataDir = mkdtempSync(join(tmpdir(), 'telltale-externaldata-'));
try {
  const outcomes = await runCorpus({ dir, externaldataDir, now: new Date('2026-05-21T12:00:00Z') });
  for (const o of outcomes) console.log(`${o.status.padEnd(11)} ${o.file}  ${o.detail}`);
  const t = totals(outcomes);
  const pct = ((100 * t.ran) / Math.max(1, outcomes.length)).toFixed(1);
  console.log(
    `\n${outcomes.length} queries: ${t.ran} ran (${pct}%), ${t.unsupported} unsupported, ${t.error} error`,
  );
  const missing = missingConstructs(outcomes);
  if (missing.length) console.log('\nmissing constructs:');
  for (const [construct, n] of missing) console.log(`${String(n).padStart(4)}  ${construct}`);
  process.exitCode = t.ran / Math.max(1, outcomes.length) >= 0.95 ? 0 : 1;
} finally {
  rmSync(externaldataDir, { recursive: true, force: true });
}
