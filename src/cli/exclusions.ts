import { Command } from 'commander';
import { lintExclusionFiles } from '../index.js';
import { err, EXIT_ERROR, EXIT_FOUND, EXIT_NONE, parseNow } from './common.js';

export function exclusionsCommand(): Command {
  const lint = new Command('lint')
    .description(
      'flag exclusions that are always true, always false, negative matches or expired (exit 1 on errors)',
    )
    .argument('<files...>', 'exclusion YAML files or folders')
    .option('--now <iso>', 'the clock for expiry checks', parseNow)
    .addHelpText('after', '\nExample:\n  $ telltale exclusions lint content/exclusions my-exclusions.yaml')
    .action(async (files: string[], opts: { now?: Date }) => {
      try {
        const { count, issues } = await lintExclusionFiles(files, opts.now);
        for (const i of issues) process.stdout.write(`${i.file}: ${i.id}: ${i.level}: ${i.message}\n`);
        const errors = issues.filter((i) => i.level === 'error').length;
        err(`${count} exclusions: ${errors} errors, ${issues.length - errors} warnings`);
        process.exitCode = errors > 0 ? EXIT_FOUND : EXIT_NONE;
      } catch (e) {
        err(`error: ${(e as Error).message}`);
        process.exitCode = EXIT_ERROR;
      }
    });
  return new Command('exclusions').description('exclusions as code: lint them').addCommand(lint);
}
