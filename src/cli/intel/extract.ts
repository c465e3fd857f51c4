/** `telltale intel extract`: the indicators a free-text report names, printed (nothing stored). */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { extractReportIndicators } from '../../index.js';
import { err, parseFormat } from '../common.js';
import { printIndicators } from './options.js';

export function extractCommand(): Command {
  return new Command('extract')
    .description('list the indicators found in a free-text report (refangs [.] hxxp, keeps ip:port, dedupes)')
    .argument('<file>', 'a text, markdown or HTML report')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale intel extract report.txt --format json')
    .action((file: string, opts) => {
      const indicators = extractReportIndicators(readFileSync(file, 'utf8'), file);
      printIndicators(indicators, opts.format, true);
      err(`${indicators.length} indicators`);
    });
}
