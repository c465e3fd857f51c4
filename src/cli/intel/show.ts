/** `telltale intel show`: one indicator's provenance, lifecycle, warning lists and sightings, as JSON. */
import { Command } from 'commander';
import { showIntel } from '../../index.js';
import { err, EXIT_ERROR } from '../common.js';
import { DB_HELP } from './options.js';

export function showCommand(): Command {
  return new Command('show')
    .description(
      'everything the store knows about one indicator: provenance, lifecycle, warning lists, sightings',
    )
    .argument('<value>', 'an IP, ip:port, domain, URL or hash (refanged automatically)')
    .option('--db <file>', DB_HELP)
    .addHelpText('after', '\nExample:\n  $ telltale intel show 176.65.139.7:3778')
    .action(async (value: string, opts) => {
      const found = await showIntel(value, { db: opts.db });
      if (found.length === 0) {
        err(`${value}: not in the store`);
        process.exitCode = EXIT_ERROR;
        return;
      }
      process.stdout.write(JSON.stringify(found, null, 2) + '\n');
    });
}
