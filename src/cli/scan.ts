import { Command } from 'commander';
import { scan } from '../index.js';
import { renderFindings, type OutputFormat } from '../output/findings.js';
import { chooseFormat, collect, err, EXIT_ERROR, EXIT_FOUND, EXIT_NONE, parseFormat, reportScan, summarise } from './common.js';

export function scanCommand(): Command {
  return new Command('scan')
    .description('scan files and folders with YARA rules and hash indicators (exit 1 on a match)')
    .argument('<paths...>', 'files and folders (recursive)')
    .option('--rules <path>', 'extra YARA rule file or folder (repeatable)', collect, [])
    .option('--intel <file>', 'add hash indicators from a feed (repeatable)', collect, [])
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale scan ./firmware --rules ./my-rules/')
    .action(async (paths: string[], opts) => {
      const { report, findings } = await scan(paths, { rules: opts.rules, intel: opts.intel });
      reportScan(report);
      process.stdout.write(renderFindings(findings, chooseFormat(opts.format as OutputFormat | undefined)));
      err(summarise(findings));
      process.exitCode = findings.length > 0 ? EXIT_FOUND : report.ruleErrors.length > 0 ? EXIT_ERROR : EXIT_NONE;
    });
}
