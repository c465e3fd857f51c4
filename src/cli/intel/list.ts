/** `telltale intel list`: stored indicators, or the bundled content and feed files. */
import { Command } from 'commander';
import { collectIndicators, LIST_COLUMNS, listIntel, listRow, renderRows } from '../../index.js';
import { chooseFormat, collect, err, parseFormat } from '../common.js';
import { filterOf, parseIntArg, printIndicators, withFilters } from './options.js';

export function listCommand(): Command {
  return withFilters(new Command('list'))
    .description('list stored indicators (or, with --bundled/--intel, the bundled content and feed files)')
    .option('--active', 'only indicators that match now (not expired, revoked, inactive or warning-listed)')
    .option('--inactive', 'only indicators that do not match now')
    .option('--sighted', 'only indicators a hunt has matched, most sighted first')
    .option('--warninglisted', 'only warning-listed indicators')
    .option('--limit <n>', 'at most this many rows', parseIntArg)
    .option('--bundled', 'list the bundled indicators instead of the store')
    .option('--intel <file>', 'list these feed files instead of the store (repeatable)', collect, [])
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale intel list --type ip:port,domain --family mirai --active\n  $ telltale intel list --sighted',
    )
    .action(async (opts) => {
      if (opts.bundled || opts.intel.length) {
        const { indicators, rejects } = collectIndicators({
          intel: opts.intel,
          bundled: opts.bundled || !opts.intel.length,
        });
        for (const r of rejects) err(`rejected ${r.file}:${r.line}: ${r.reason}`);
        printIndicators(indicators, opts.format);
        err(`${indicators.length} indicators`);
        return;
      }
      const now: Date = opts.now ?? new Date();
      const filter = filterOf(opts, {
        active: opts.active ? true : opts.inactive ? false : undefined,
        sighted: opts.sighted,
        warninglisted: opts.warninglisted ? true : undefined,
        limit: opts.limit,
      });
      const rows = await listIntel(filter, { db: opts.db, now });
      const columns = opts.warninglisted ? [...LIST_COLUMNS, 'warninglists'] : LIST_COLUMNS;
      process.stdout.write(
        renderRows(
          columns,
          rows.map((i) => listRow(i, now)),
          chooseFormat(opts.format),
        ),
      );
      err(`${rows.length} indicators`);
    });
}
