import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import {
  defaultIntelDbPath,
  hunt,
  renderFindings,
  renderRows,
  reportRun,
  type HuntOptions,
  type HuntResult,
  type OutputFormat,
  type TableCoverage,
} from '../index.js';
import {
  chooseFormat,
  collect,
  err,
  exitStatus,
  parseFormat,
  parseLogFormat,
  parseNow,
  reportInputs,
  reportLedgers,
  reportScan,
  summarise,
  walkOptions,
  withWalkOptions,
} from './common.js';
import { withStdinSpooled } from './stdin.js';

/** An explicit --intel-db wins; otherwise the default store is used only when it already exists. */
function resolveIntelDb(option: string | false | undefined): string | undefined {
  if (option === false) return undefined;
  if (typeof option === 'string') return option;
  const path = defaultIntelDbPath();
  return existsSync(path) ? path : undefined;
}

function parseConfidence(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected an integer 0..100');
  return n;
}

function parseEvidence(value: string): number | 'all' {
  if (value === 'all') return 'all';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive number or "all"');
  return n;
}

function reportExclusions(result: HuntResult): void {
  for (const i of result.exclusionIssues)
    err(
      `exclusion ${i.id} (${i.file}): ${i.level}: ${i.message}${i.level === 'error' ? ' - not applied' : ''}`,
    );
  for (const use of result.exclusions.filter((u) => u.findings > 0))
    err(
      `suppressed by ${use.exclusion.id}: ${use.findings} finding${use.findings === 1 ? '' : 's'} (${use.rows} rows) - ${use.exclusion.reason}`,
    );
}

/** False when every table the hunt needs was empty: it found nothing because it read nothing. */
function readSomething(run: HuntResult['huntRuns'][number]): boolean {
  return run.coverage.length === 0 || run.coverage.some((c) => c.rows !== 0);
}

/**
 * What the hunts read, one line per table (ASIM parsers with their rows per source), and a warning for
 * each empty table: a hunt whose every required table was empty found nothing because it read nothing.
 */
function reportCoverage(result: HuntResult): void {
  const tables = new Map<string, { coverage: TableCoverage; hunts: string[] }>();
  const unread = new Map<string, string[]>();
  for (const run of result.huntRuns) {
    for (const c of run.coverage) {
      const entry = tables.get(c.table) ?? { coverage: c, hunts: [] };
      entry.hunts.push(run.hunt.key);
      tables.set(c.table, entry);
    }
    if (readSomething(run)) continue;
    for (const { table } of run.coverage) unread.set(table, [...(unread.get(table) ?? []), run.hunt.key]);
  }
  for (const [table, { coverage, hunts }] of tables) {
    if (!coverage.rows) continue;
    const sources = Object.entries(coverage.sources ?? {})
      .map(([source, rows]) => `${source || 'unnamed'} ${rows}`)
      .join(', ');
    err(
      `read: ${table} ${coverage.rows} rows${sources ? ` (${sources})` : ''} by ${hunts.length} hunt${hunts.length === 1 ? '' : 's'}`,
    );
  }
  for (const [table, hunts] of unread)
    err(
      `warning: ${table} is empty: ${hunts.length} hunt${hunts.length === 1 ? '' : 's'} had no data to read (${hunts.join(', ')})`,
    );
}

/** Each hunt with the tables it read, their rows in the window and, for ASIM parsers, the rows per source. */
function coverageOf(result: HuntResult) {
  return result.huntRuns.map((run) => ({
    hunt: run.hunt.key,
    title: run.hunt.name,
    findings: run.findings.length,
    ...(run.error ? { error: run.error } : {}),
    tables: run.coverage,
    read: readSomething(run),
  }));
}

/** `--format json`: one document a script can rely on: the incidents, what each hunt read, the inputs. */
function jsonDocument(result: HuntResult): string {
  return (
    JSON.stringify(
      {
        findings: result.findings,
        suppressed: result.suppressed,
        coverage: coverageOf(result),
        inputs: result.inputs,
        errors: result.errors,
        warnings: result.warnings,
      },
      null,
      2,
    ) + '\n'
  );
}

/**
 * `--explain`: why the result is what it is. Each input and what it was taken as (and why), the files
 * only scanned with YARA, and per hunt the tables it read with their row counts in the window.
 */
function reportExplain(result: HuntResult): void {
  err('explain: inputs');
  for (const l of result.ledgers)
    err(
      `  ${l.file}: ${l.format}${l.detected ? ` (${l.detected})` : ''}, ${l.ingested} of ${l.read} records`,
    );
  const scanned = result.scan.files.filter((f) => f.kind === 'file');
  for (const f of scanned) err(`  ${f.path}: scanned with YARA only (not a log)`);
  err('explain: hunts (table: rows in the window)');
  for (const run of result.huntRuns) {
    const tables = run.coverage.map((c) => `${c.table}: ${c.rows ?? 'not counted'}`).join(', ');
    const outcome = run.error ? `error: ${run.error}` : `${run.findings.length} findings`;
    err(`  ${run.hunt.key}: ${outcome}; read ${tables || 'no declared table'}`);
  }
}

function deviceRows(result: HuntResult): Record<string, unknown>[] {
  return result.devices.map((d) => ({
    severity: d.severity,
    score: d.score,
    device: d.names.join(' '),
    findings: d.findings.length,
    first_seen: d.findings[0]?.firstSeen ?? null,
    hunts: d.hunts.join(' '),
  }));
}

/** The run's options (inputs, intel, exclusions, clock, walking), shared by `hunt` and `report`. */
export function withRunOptions(command: Command): Command {
  return withWalkOptions(command)
    .option('--db <file>', 'keep the DuckDB store in this file (default: in memory)')
    .option('--memory-limit <size>', "DuckDB's memory limit (e.g. 8GB, 50%); beyond it DuckDB spills to disk")
    .option('--intel <file>', 'add indicators from a feed for this run (repeatable)', collect, [])
    .option(
      '--min-confidence <n>',
      'ignore indicators below this ConfidenceScore (default 50)',
      parseConfidence,
    )
    .option(
      '--intel-db <file>',
      'indicator store to hunt with (default: $TELLTALE_INTEL_DB or ~/.local/share/telltale/intel.duckdb, when it exists)',
    )
    .option('--no-intel-db', 'ignore the indicator store: bundled content and --intel feeds only')
    .option('--include-warninglisted', 'also match indicators that are on a warning list')
    .option('--allowlist <file>', 'extra allow-list file for this run (repeatable)', collect, [])
    .option('--rules <path>', 'extra YARA rule file or folder (repeatable)', collect, [])
    .option('--hunts <dir>', 'run the hunts in this folder instead of the bundled ones (repeatable)', collect)
    .option('--watchlists <dir>', "Sentinel watchlist exports for _GetWatchlist('alias'): DIR/alias.csv")
    .option(
      '--exclusions <file>',
      'exclusion YAML file or folder, added to the bundled templates (repeatable)',
      collect,
      [],
    )
    .option('--log-format <format>', 'force the telemetry format of every log file', parseLogFormat)
    .option('--since <iso>', 'only events at or after this time', parseNow)
    .option('--until <iso>', 'only events before this time', parseNow)
    .option(
      '--now <iso>',
      'the clock for ago()/now() and indicator expiry (default: end of the data)',
      parseNow,
    )
    .option('--evidence <n|all>', 'evidence rows per finding (default 5)', parseEvidence);
}

/** Commander's parsed run options as the library's HuntOptions. */
export function runOptions(opts: Record<string, unknown>): HuntOptions {
  const intelDb = resolveIntelDb(opts.intelDb as string | false | undefined);
  if (intelDb) err(`intel store: ${intelDb}`);
  return {
    intelDb,
    includeWarninglisted: opts.includeWarninglisted as boolean | undefined,
    allowlists: opts.allowlist as string[],
    db: opts.db as string | undefined,
    memoryLimit: opts.memoryLimit as string | undefined,
    intel: opts.intel as string[],
    rules: opts.rules as string[],
    hunts: opts.hunts as string[] | undefined,
    watchlists: opts.watchlists as string | undefined,
    format: opts.logFormat as string | undefined,
    now: opts.now as Date | undefined,
    since: opts.since as Date | undefined,
    until: opts.until as Date | undefined,
    exclusions: opts.exclusions as string[],
    minConfidence: opts.minConfidence as number | undefined,
    evidence: opts.evidence as number | 'all' | undefined,
    walk: walkOptions(opts),
  };
}

export function huntCommand(): Command {
  return withRunOptions(
    new Command('hunt')
      .description('ingest logs, scan files, run every hunt, print findings (exit 1 when there are findings)')
      .argument('<paths...>', 'log files, binaries and folders (recursive); - reads stdin'),
  )
    .option('--show-suppressed', 'also print the findings an exclusion suppressed')
    .option('--explain', 'say what each input was read as and which tables (with row counts) each hunt read')
    .option('--entities', 'print the entity view (per device, combined severity) instead of findings')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .option('--report <file>', 'also write the incident report (HTML; .md for a Markdown brief)')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale hunt examples/incident\n  $ telltale hunt /var/log/zeek fw.cef --intel threatfox.csv --exclusions site.yaml --format json',
    )
    .action(async (paths: string[], opts) => {
      const options = runOptions(opts);
      const report = opts.report ? reportRun(options) : undefined;
      const result = await withStdinSpooled(paths, (named) => hunt(named, report?.options ?? options));
      reportLedgers(result.ledgers);
      reportScan(result.scan);
      reportInputs(result.inputs);
      for (const r of result.indicators.rejects) err(`intel rejected ${r.file}:${r.line}: ${r.reason}`);
      for (const e of result.errors) err(`error: ${e}`);
      for (const w of result.warnings) err(`warning: ${w}`);
      reportExclusions(result);
      reportCoverage(result);
      if (opts.explain) reportExplain(result);
      const format = chooseFormat(opts.format as OutputFormat | undefined);
      if (opts.entities) {
        const rows = deviceRows(result);
        process.stdout.write(renderRows(rows.length ? Object.keys(rows[0]) : ['device'], rows, format));
      } else if (format === 'json') process.stdout.write(jsonDocument(result));
      else process.stdout.write(renderFindings(result.findings, format));
      if (opts.showSuppressed && result.suppressed.length && format !== 'json') {
        if (format === 'table') process.stdout.write(`\n# suppressed (${result.suppressed.length})\n`);
        process.stdout.write(renderFindings(result.suppressed, format));
      }
      if (report) for (const file of report.write(opts.report as string)) err(`report: ${file}`);
      const suppressed = result.suppressed.length ? `, ${result.suppressed.length} suppressed` : '';
      const merged = result.findings.reduce((n, f) => n + (f.hunts?.length ?? 1), 0);
      const incidents =
        merged > result.findings.length ? `, one per incident from ${merged} hunt findings,` : '';
      err(
        `${summarise(result.findings)}${incidents}${suppressed} from ${result.huntRuns.length} hunts and ${result.scan.ruleCount} YARA rules; ${result.indicators.loaded} indicators`,
      );
      process.exitCode = exitStatus({
        findings: result.findings.length,
        errors: result.errors.length,
        inputs: result.inputs,
      });
    });
}
