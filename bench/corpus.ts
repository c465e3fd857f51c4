/**
 * `npm run corpus [DIR]`: runs every query of the KQL corpus (default ../shared/data/kql) against the
 * schemas and a small generated dataset; prints one line per query and the totals. Then the ASIM set
 * (DIR/asim/*.yaml: Sentinel rules on the ASIM parsers) on examples/incident, with its own totals.
 * Exit 1 if the corpus is below 95% or the ASIM set below 90%.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import { missingConstructs, runCorpus, totals, type Outcome } from './corpus/runner.js';
import { runAsimCorpus } from './corpus/asim.js';

const dir = resolve(process.argv[2] ?? join(packageRoot, '..', 'shared', 'data', 'kql'));
const externaldataDir = mkdtempSync(join(tmpdir(), 'telltale-externaldata-'));

/** Prints a set's lines and totals; true when at least `target` of it ran. */
function report(title: string, outcomes: Outcome[], target: number): boolean {
  console.log(`\n== ${title}`);
  for (const o of outcomes) console.log(`${o.status.padEnd(11)} ${o.file}  ${o.detail}`);
  const t = totals(outcomes);
  const pct = ((100 * t.ran) / Math.max(1, outcomes.length)).toFixed(1);
  console.log(
    `\n${title}: ${outcomes.length} queries: ${t.ran} ran (${pct}%), ${t.unsupported} unsupported, ${t.error} error`,
  );
  const missing = missingConstructs(outcomes);
  if (missing.length) console.log('\nmissing constructs:');
  for (const [construct, n] of missing) console.log(`${String(n).padStart(4)}  ${construct}`);
  return t.ran / Math.max(1, outcomes.length) >= target;
}

try {
  const outcomes = await runCorpus({ dir, externaldataDir, now: new Date('2026-05-21T12:00:00Z') });
  let ok = report('KQL corpus', outcomes, 0.95);
  const asimDir = join(dir, 'asim');
  if (existsSync(asimDir)) {
    const asim = await runAsimCorpus({
      dir: asimDir,
      data: [join(packageRoot, 'examples', 'incident')],
      externaldataDir,
      // the end of the incident's day: the rules' lookbacks (1h … 14d) reach its logs
      now: new Date('2026-05-22T00:00:00Z'),
    });
    ok = report('ASIM rules on examples/incident', asim, 0.9) && ok;
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(externaldataDir, { recursive: true, force: true });
}
