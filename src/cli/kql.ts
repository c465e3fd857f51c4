import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { openLoadedStore, runKql, KqlError } from '../index.js';
import { renderRows, type OutputFormat } from '../output/findings.js';
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
import { parseHunt } from '../hunts/loader.js';

/** A query argument may be KQL text, a .kql file, or a hunt YAML file. */
function readQuery(arg: string): string {
  if (/\.(kql|csl|txt)$/i.test(arg) && existsSync(arg)) return readFileSync(arg, 'utf8');
  if (/\.ya?ml$/i.test(arg) && existsSync(arg)) return parseHunt(readFileSync(arg, 'utf8'), arg).query;
  return arg;
}

export function kqlCommand(): Command {
  return new Command('kql')
    .description('run a KQL query (text, .kql file or hunt YAML) on logs, locally, and print its rows')
    .argument('<query>', 'KQL text, or a .kql / hunt .yaml file')
    .argument('[paths...]', 'log files and folders to load first')
    .option('--db <file>', 'query (and keep) this DuckDB store')
    .option('--intel <file>', 'add indicators to ThreatIntelligenceIndicator (repeatable)', collect, [])
    .option('--now <iso>', 'the clock for ago()/now()', parseNow)
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText(
      'after',
      `\nExample:\n  $ telltale kql 'DnsEvents | where Name has "miraibotnet.su" | project TimeGenerated, Name' examples/incident --format json`,
    )
    .action(async (queryArg: string, paths: string[], opts) => {
      const { store, ledgers } = await openLoadedStore(paths, {
        db: opts.db,
        intel: opts.intel,
        now: opts.now,
      });
      try {
        reportLedgers(ledgers);
        const result = await runKql(store, readQuery(queryArg), { now: opts.now });
        process.stdout.write(
          renderRows(result.columns, result.rows, chooseFormat(opts.format as OutputFormat | undefined)),
        );
        err(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`);
        process.exitCode = EXIT_NONE;
      } catch (e) {
        if (!(e instanceof KqlError)) throw e;
        err(`kql: ${e.message}`);
        process.exitCode = EXIT_ERROR;
      } finally {
        store.close();
      }
    });
}
