/** `telltale intel export`: the active indicators as blocklists and feeds, to files or stdout. */
import { Command } from 'commander';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORTERS, exportIntel, fileParts } from '../../index.js';
import { err, writeOut } from '../common.js';
import { filterOf, oneOf, withFilters } from './options.js';

export function exportCommand(): Command {
  return withFilters(new Command('export'))
    .description('write the active indicators as blocklists/feeds (warning-listed values are never exported)')
    .requiredOption(
      '--format <format>',
      `one of ${Object.keys(EXPORTERS).join(', ')}`,
      oneOf(Object.keys(EXPORTERS)),
    )
    .option('--include-inactive', 'also export expired, revoked and inactive indicators')
    .option('--out <dir>', 'write the file(s) here (default: stdout)')
    .option('--title <text>', 'name used in rule messages and event info', 'Telltale')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale intel export --format suricata --min-confidence 75 --out /etc/suricata/telltale\n  $ telltale intel export --format rpz --family mirai > telltale.rpz.zone',
    )
    .action(async (opts) => {
      const files = await exportIntel({
        ...filterOf(opts),
        db: opts.db,
        active: opts.includeInactive ? undefined : true,
        format: opts.format,
        title: opts.title,
        now: opts.now ?? new Date(),
      });
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        for (const f of files) {
          const path = join(opts.out, f.name);
          writeFileSync(path, '');
          for (const part of fileParts(f)) appendFileSync(path, part);
        }
        err(`wrote ${files.map((f) => f.name).join(', ') || 'nothing (no indicators)'} to ${opts.out}`);
      } else
        for (const f of files) {
          if (files.length > 1) await writeOut(`# ==> ${f.name} <==\n`);
          for (const part of fileParts(f)) await writeOut(part);
        }
    });
}
