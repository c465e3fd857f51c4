import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLoadedStore } from '../index.js';
import { bundledHuntsDir, loadHunts } from '../hunts/loader.js';
import { bundledExclusionsDir, loadExclusions } from '../hunts/exclusions/load.js';
import { armTemplate, huntingYaml, prepareSentinelHunts } from '../export/sentinel.js';
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
      const now: Date = opts.now ?? new Date();
      const { store } = await openLoadedStore([], { intel: opts.intel, intelDb: opts.intelDb, now });
      try {
        const exported = await prepareSentinelHunts(store, loadHunts(opts.hunts ?? [bundledHuntsDir]), {
          now,
          exclusions: loadExclusions([bundledExclusionsDir, ...opts.exclusions]),
        });
        for (const e of exported.flatMap((x) => x.errors)) err(`warning: ${e}`);
        const template = JSON.stringify(armTemplate(exported), null, 2) + '\n';
        if (!opts.out) process.stdout.write(template);
        else {
          mkdirSync(opts.out, { recursive: true });
          for (const e of exported) writeFileSync(join(opts.out, `${e.hunt.key}.yaml`), huntingYaml(e));
          writeFileSync(join(opts.out, 'telltale-hunts.arm.json'), template);
        }
        const folded = exported.reduce((n, e) => n + e.exclusions.length, 0);
        err(
          `${exported.length} hunts exported${opts.out ? ` to ${opts.out}` : ''}, ${folded} exclusions folded in`,
        );
        process.exitCode = EXIT_NONE;
      } finally {
        store.close();
      }
    });
  return command;
}
