import { Command } from 'commander';
import { hunt } from '../index.js';
import { renderFindings, type OutputFormat } from '../output/findings.js';
import { chooseFormat, collect, err, EXIT_ERROR, EXIT_FOUND, EXIT_NONE, parseFormat, parseNow, reportLedgers, reportScan, summarise } from './common.js';

export function huntCommand(): Command {
  return new Command('hunt')
    .description('ingest logs, scan files, run every hunt, print findings (exit 1 when there are findings)')
    .argument('<paths...>', 'log files, binaries and folders (recursive)')
    .option('--db <file>', 'keep the DuckDB store in this file (default: in memory)')
    .option('--intel <file>', 'add indicators from a feed for this run (repeatable)', collect, [])
    .option('--rules <path>', 'extra YARA rule file or folder (repeatable)', collect, [])
    .option('--hunts <dir>', 'run the hunts in this folder instead of the bundled ones (repeatable)', collect)
    .option('--log-format <format>', 'force the telemetry format of every log file')
    .option('--now <iso>', 'the clock for ago()/now(), to replay old logs', parseNow)
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale hunt examples/incident\n  $ telltale hunt /var/log/zeek fw.cef --intel threatfox.csv --format json')
    .action(async (paths: string[], opts) => {
      const result = await hunt(paths, {
        db: opts.db,
        intel: opts.intel,
        rules: opts.rules,
        hunts: opts.hunts,
        format: opts.logFormat,
        now: opts.now,
      });
      reportLedgers(result.ledgers);
      reportScan(result.scan);
      for (const r of result.indicators.rejects) err(`intel rejected ${r.file}:${r.line}: ${r.reason}`);
      for (const e of result.errors) err(`error: ${e}`);
      process.stdout.write(renderFindings(result.findings, chooseFormat(opts.format as OutputFormat | undefined)));
      err(`${summarise(result.findings)} from ${result.huntRuns.length} hunts and ${result.scan.ruleCount} YARA rules; ${result.indicators.loaded} indicators`);
      process.exitCode = result.findings.length > 0 ? EXIT_FOUND : result.errors.length > 0 ? EXIT_ERROR : EXIT_NONE;
    });
}
