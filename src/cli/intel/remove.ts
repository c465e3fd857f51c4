/** `telltale intel remove`: delete indicators, or mark them revoked. */
import { Command } from 'commander';
import { removeIntel } from '../../index.js';
import { err, EXIT_ERROR } from '../common.js';
import { filterOf, withFilters } from './options.js';

export function removeCommand(): Command {
  return withFilters(new Command('remove'))
    .description('delete indicators from the store (or mark them revoked: kept, never matched)')
    .argument('[values...]', 'indicator values to remove')
    .option('--revoke', 'keep them, marked revoked')
    .option('--expired', 'only indicators that no longer match (expired, revoked, inactive, warning-listed)')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale intel remove 8.8.8.8 --revoke\n  $ telltale intel remove --expired --type ipv4',
    )
    .action(async (values: string[], opts) => {
      const filter = filterOf(opts, {
        values: values.length ? values : undefined,
        active: opts.expired ? false : undefined,
      });
      const narrowed =
        values.length ||
        opts.expired ||
        filter.types ||
        filter.family ||
        filter.source ||
        filter.minConfidence !== undefined;
      if (!narrowed) {
        // never the whole store by accident
        err(
          'intel remove: give values or a filter (--type, --family, --source, --min-confidence, --expired)',
        );
        process.exitCode = EXIT_ERROR;
        return;
      }
      const n = await removeIntel(filter, { db: opts.db, revoke: opts.revoke, now: opts.now });
      err(`${n} indicator(s) ${opts.revoke ? 'revoked' : 'removed'}`);
    });
}
