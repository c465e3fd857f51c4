import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSentinel } from '../index.js';
import { collect, err, EXIT_NONE, parseNow } from './common.js';

export function exportCommand(): Command {
  const command = new Command('export').description('export detection content to other platforms');
  command
    .command('sentinel')
    .description(
      'write the hunts for Microsoft Sentinel: IOC lists filled from the indicator store, enabled exclusions folded in',
    )
    .option('--out <dir>', 'write one hunting-query YAML per hunt plus telltale-hunts.arm.json into DIR')
    .option(
      '--hunts <dir>',
      'export the hunts in this folder instead of the bundled ones (repeatable)',
      collect,
    )
    .option('--intel <file>', 'add indicators from a feed (repeatable)', collect, [])
    .option('--intel-db <file>', 'indicator store to take the IOC lists from')
    .option('--exclusions <file>', 'exclusion YAML file or folder (repeatable)', collect, [])
    .option('--now <iso>', 'clock for indicator and exclusion expiry', parseNow)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale export sentinel --out sentinel/ --exclusions site-exclusions.yaml\n  $ telltale export sentinel > telltale-hunts.arm.json',
    )
    .action(async (opts) => {
      const exported = await exportSentinel({
        hunts: opts.hunts,
        intel: opts.intel,
        intelDb: opts.intelDb,
        exclusions: opts.exclusions,
        now: opts.now,
      });
      for (const e of exported.hunts.flatMap((x) => x.errors)) err(`warning: ${e}`);
      if (!opts.out) process.stdout.write(exported.armTemplate);
      else {
        mkdirSync(opts.out, { recursive: true });
        for (const file of exported.yaml) writeFileSync(join(opts.out, file.name), file.text);
        writeFileSync(join(opts.out, 'telltale-hunts.arm.json'), exported.armTemplate);
      }
      const folded = exported.hunts.reduce((n, e) => n + e.exclusions.length, 0);
      err(
        `${exported.hunts.length} hunts exported${opts.out ? ` to ${opts.out}` : ''}, ${folded} exclusions folded in`,
      );
      process.exitCode = EXIT_NONE;
    });
  return command;
}
