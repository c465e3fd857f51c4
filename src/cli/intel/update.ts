/** `telltale intel update`: fetch feeds over the network into the store. */
import { Command } from 'commander';
import { INTEL_FORMATS, updateIntel, type UpdateResult } from '../../index.js';
import { err, EXIT_ERROR, EXIT_NONE } from '../common.js';
import { DB_HELP, oneOf, parseIntArg } from './options.js';

function outcome(r: UpdateResult): string {
  if (r.status === 'failed') return `${r.feed}: failed, nothing imported: ${r.error}`;
  if (r.status === 'not-modified') return `${r.feed}: not modified`;
  return `${r.feed}: ${r.indicators} indicators (${r.added} new, ${r.updated} already stored), ${r.rejects} rejected, ${r.bytes} bytes`;
}

export function updateCommand(): Command {
  return new Command('update')
    .description(
      'fetch feeds over the network into the store: threatfox (API, key in THREATFOX_AUTH_KEY), any URL, or every feed fetched before',
    )
    .argument('[feeds...]', '"threatfox", a URL, or a stored feed name (default: all stored feeds)')
    .option('--db <file>', DB_HELP)
    .option('--days <n>', 'threatfox: IOCs of the last n days (1-7)', parseIntArg, 1)
    .option('--name <name>', 'store a URL feed under this name')
    .option('--format <format>', 'URL feeds: input format (default auto)', oneOf(INTEL_FORMATS))
    .option('--timeout <seconds>', 'per request, body included', parseIntArg, 60)
    .option('--retries <n>', 'on network errors, 429 and 5xx', parseIntArg, 2)
    .option('--max-mib <n>', 'size cap of one response', parseIntArg, 512)
    .addHelpText(
      'after',
      '\nExample:\n  $ THREATFOX_AUTH_KEY=… telltale intel update threatfox --days 3\n  $ telltale intel update https://example.org/feed.csv --name example',
    )
    .action(async (feeds: string[], opts) => {
      const results = await updateIntel(feeds, {
        db: opts.db,
        days: opts.days,
        name: opts.name,
        format: opts.format,
        timeoutMs: opts.timeout * 1000,
        retries: opts.retries,
        maxBytes: opts.maxMib * 1048576,
      });
      for (const r of results) err(outcome(r));
      if (results.length === 0) err('no feeds: give "threatfox" or a URL');
      process.exitCode = results.some((r) => r.status === 'failed') ? EXIT_ERROR : EXIT_NONE;
    });
}
