import { Command } from 'commander';
import { ingest } from '../index.js';
import { exitStatus, reportInputs, reportLedgers, walkOptions, withWalkOptions } from './common.js';
import { withStdinSpooled } from './stdin.js';

export function ingestCommand(): Command {
  return withWalkOptions(new Command('ingest'))
    .description('load logs into Sentinel-shaped tables and account for every line')
    .argument('<paths...>', 'log files and folders; - reads stdin')
    .option('--db <file>', 'keep the DuckDB store in this file (default: in memory, a dry run)')
    .option('--log-format <format>', 'force the telemetry format of every file')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale ingest --db hunt.duckdb /var/log/zeek/conn.log firewall.cef',
    )
    .action(async (paths: string[], opts) => {
      const { ledgers, inputs } = await withStdinSpooled(paths, (named) =>
        ingest(named, { db: opts.db, format: opts.logFormat, walk: walkOptions(opts) }),
      );
      reportLedgers(ledgers);
      reportInputs(inputs);
      // A file whose every line was rejected is an error; so is a run that read nothing named.
      const allRejected =
        ledgers.length > 0 && ledgers.every((l) => l.ingested === 0 && l.rejected.length > 0);
      process.exitCode = exitStatus({ findings: 0, errors: allRejected ? 1 : 0, inputs });
    });
}
