import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  asimVendors,
  openLoadedStore,
  parseHunt,
  renderRows,
  runKql,
  KqlError,
  type OutputFormat,
  type Store,
} from '../index.js';
import {
  chooseFormat,
  collect,
  err,
  EXIT_ERROR,
  EXIT_NONE,
  parseFormat,
  parseNow,
  reportLedgers,
} from './common.js';

/** A `.kql` file or a hunt YAML (its `query`). */
function readQueryFile(file: string): string {
  const text = readFileSync(file, 'utf8');
  return /\.ya?ml$/i.test(file) ? parseHunt(text, file).query : text;
}

/** A positional argument may be KQL text, a .kql file, or a hunt YAML file. */
function readQuery(arg: string): string {
  if (/\.(kql|csl|txt|ya?ml)$/i.test(arg) && existsSync(arg)) return readQueryFile(arg);
  return arg;
}

interface KqlOptions {
  db?: string;
  intel: string[];
  now?: Date;
  format?: OutputFormat;
  file?: string;
  externaldataDir?: string;
  watchlists?: string;
  interactive?: boolean;
  source: boolean;
}

/** Runs one query: rows on stdout, warnings and the row count on stderr. False on a KqlError. */
async function runOne(
  store: Store,
  query: string,
  opts: KqlOptions,
  vendors: ReadonlySet<string> | undefined,
): Promise<boolean> {
  try {
    const result = await runKql(store, query, {
      now: opts.now,
      externaldataDir: opts.externaldataDir,
      watchlistsDir: opts.watchlists,
      keepSource: opts.source,
      asimVendors: vendors,
    });
    for (const warning of result.warnings) err(`warning: ${warning}`);
    process.stdout.write(renderRows(result.columns, result.rows, chooseFormat(opts.format)));
    err(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`);
    return true;
  } catch (e) {
    if (!(e instanceof KqlError)) throw e;
    err(`kql: ${e.message}`);
    return false;
  }
}

/** `telltale kql -i`: a query ends at a blank line or `;;`; readline keeps the history. */
async function interactive(
  store: Store,
  opts: KqlOptions,
  vendors: ReadonlySet<string> | undefined,
): Promise<void> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stderr,
    historySize: 500,
    terminal: true,
  });
  let lines: string[] = [];
  rl.setPrompt('kql> ');
  rl.prompt();
  for await (const line of rl) {
    const done = line.trim() === '' || line.trimEnd().endsWith(';;');
    lines.push(done ? line.trimEnd().replace(/;;$/, '') : line);
    if (done && lines.join('').trim()) {
      await runOne(store, lines.join('\n'), opts, vendors);
      lines = [];
    }
    rl.setPrompt(lines.length ? '...> ' : 'kql> ');
    rl.prompt();
  }
}

export function kqlCommand(): Command {
  return new Command('kql')
    .description('run a KQL query (text, .kql file or hunt YAML) on logs, locally, and print its rows')
    .argument('[query]', 'KQL text, or a .kql / hunt .yaml file (or use -f FILE / -i)')
    .argument('[paths...]', 'log files and folders to load first')
    .option('-f, --file <file>', 'read the query from a .kql file or a hunt YAML')
    .option('-i, --interactive', 'read queries from the terminal (end each with a blank line or ;;)')
    .option('--db <file>', 'query (and keep) this DuckDB store')
    .option('--intel <file>', 'add indicators to ThreatIntelligenceIndicator (repeatable)', collect, [])
    .option('--now <iso>', 'the clock for ago()/now()', parseNow)
    .option(
      '--externaldata-dir <dir>',
      'local files for externaldata URLs: https://host/a/b.csv → DIR/host/a/b.csv',
    )
    .option('--watchlists <dir>', "Sentinel watchlist exports for _GetWatchlist('alias'): DIR/alias.csv")
    .option('--format <format>', 'table | json | ndjson | csv', parseFormat)
    .option('--no-source', 'leave out the _Source column (the file:line each row came from)')
    .addHelpText(
      'after',
      `\nExample:\n  $ telltale kql 'DnsEvents | where Name has "miraibotnet.su" | project TimeGenerated, Name' examples/incident --format json\n  $ telltale kql -f hunt.kql logs/ --now 2026-05-21T12:00:00Z --format csv`,
    )
    .action(async (queryArg: string | undefined, rest: string[], opts: KqlOptions) => {
      // with -f or -i every positional argument is a data path
      const paths =
        opts.file || opts.interactive ? [queryArg, ...rest].filter((p): p is string => !!p) : rest;
      let query: string | undefined;
      try {
        query = opts.file
          ? readQueryFile(opts.file)
          : queryArg === undefined
            ? undefined
            : readQuery(queryArg);
      } catch (e) {
        err(`kql: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = EXIT_ERROR;
        return;
      }
      if (query === undefined && !opts.interactive) {
        err('kql: give a query, -f FILE or -i');
        process.exitCode = EXIT_ERROR;
        return;
      }
      const { store, ledgers } = await openLoadedStore(paths, {
        db: opts.db,
        intel: opts.intel,
        now: opts.now,
      });
      try {
        reportLedgers(ledgers);
        // the store does not change while the command runs: ASIM parsers skip absent sources
        const vendors = await asimVendors(store);
        if (opts.interactive) await interactive(store, opts, vendors);
        else process.exitCode = (await runOne(store, query!, opts, vendors)) ? EXIT_NONE : EXIT_ERROR;
      } finally {
        store.close();
      }
    });
}
