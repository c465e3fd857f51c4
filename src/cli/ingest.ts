import { Command } from 'commander';
import { ingest } from '../index.js';
import { EXIT_ERROR, EXIT_NONE, reportLedgers } from './common.js';

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('load logs into Sentinel-shaped tables and account for every line')
    .argument('<paths...>', 'log files and folders')
    .option('--db <file>', 'keep the DuckDB store in this file (default: in memory, a dry run)')
    .option('--log-format <format>', 'force the telemetry format of every file')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale ingest --db hunt.duckdb /var/log/zeek/conn.log firewall.cef',
    )
    .action(async (paths: string[], opts) => {
      const { ledgers } = await ingest(paths, { db: opts.db, format: opts.logFormat });
      reportLedgers(ledgers);
      process.exitCode =
        ledgers.length > 0 && ledgers.every((l) => l.ingested === 0 && l.rejected.length > 0)
          ? EXIT_ERROR
          : EXIT_NONE;
    });
}
