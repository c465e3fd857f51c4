import { Command } from 'commander';
import { statSync } from 'node:fs';
import { datasets, ingest, renderRows } from '../index.js';
import {
  exitStatus,
  parseLogFormat,
  reportInputs,
  reportLedgers,
  walkOptions,
  withWalkOptions,
} from './common.js';
import { withStdinSpooled } from './stdin.js';

export function ingestCommand(): Command {
  return withWalkOptions(new Command('ingest'))
    .description('load logs into Sentinel-shaped tables and account for every line')
    .argument('[paths...]', 'log files and folders; - reads stdin')
    .option('--db <file>', 'keep the DuckDB store in this file (default: in memory, a dry run)')
    .option('--log-format <format>', 'force the telemetry format of every file', parseLogFormat)
    .option('--list', 'list the files and tables the --db store holds (events, time range) and exit')
    .option('--memory-limit <size>', "DuckDB's memory limit (e.g. 4GB, 50%); beyond it DuckDB spills to disk")
    .option('-q, --quiet', 'no per-file summary (rejects and errors are still printed)')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale ingest --db hunt.duckdb /var/log/zeek/conn.log firewall.cef\n  $ telltale ingest --db hunt.duckdb --list',
    )
    .action(async (paths: string[], opts) => {
      if (opts.list) {
        if (!opts.db) throw new Error('--list needs --db FILE (an in-memory store holds nothing)');
        const { files, tables } = await datasets(opts.db);
        process.stdout.write(
          renderRows(['file', 'format', 'lines', 'events', 'stored_in', 'loaded'], files, 'table'),
        );
        process.stdout.write(
          '\n' + renderRows(['table', 'events', 'files', 'first', 'last'], tables, 'table'),
        );
        return;
      }
      if (paths.length === 0) throw new Error('give log files or folders (or --list)');
      const progress = opts.quiet || !process.stderr.isTTY ? undefined : progressLine();
      const { ledgers, inputs } = await withStdinSpooled(paths, (named) =>
        ingest(named, {
          db: opts.db,
          format: opts.logFormat,
          walk: walkOptions(opts),
          memoryLimit: opts.memoryLimit,
          onProgress: progress?.update,
        }),
      );
      progress?.done();
      reportLedgers(ledgers, { quiet: opts.quiet });
      reportInputs(inputs);
      // A file whose every line was rejected is an error; so is a run that read nothing named.
      const allRejected =
        ledgers.length > 0 && ledgers.every((l) => l.ingested === 0 && l.rejected.length > 0);
      process.exitCode = exitStatus({ findings: 0, errors: allRejected ? 1 : 0, inputs });
    });
}

/** One self-overwriting stderr line (terminals only): bytes done of total, lines/s, ETA. */
function progressLine(): {
  update: (p: { file: string; lines: number; bytes: number }) => void;
  done: () => void;
} {
  let started = Date.now();
  let current = '';
  let total = 0;
  let shown = false;
  return {
    update: (p) => {
      if (p.file !== current) {
        current = p.file;
        started = Date.now();
        try {
          total = statSync(p.file).size;
        } catch {
          total = 0;
        }
      }
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const mib = (n: number) => (n / 1048576).toFixed(0);
      const of = total >= p.bytes ? ` of ${mib(total)}` : '';
      const eta = total >= p.bytes ? `, ETA ${Math.round(((total - p.bytes) / p.bytes) * seconds)} s` : '';
      process.stderr.write(
        `\r\x1b[K${p.file}: ${mib(p.bytes)}${of} MiB, ${Math.round(p.lines / seconds)} lines/s${eta}`,
      );
      shown = true;
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
