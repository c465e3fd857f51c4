/** `telltale intel stats`: the IOC summary per malware family plus the store's totals. */
import { Command } from 'commander';
import { intelStats, listRow, summaryText, totalsText } from '../../index.js';
import { filterOf, oneOf, parseRows, withFilters } from './options.js';

export function statsCommand(): Command {
  return withFilters(new Command('stats'))
    .description('IOC summary per malware family (like a ThreatFox report) plus store totals')
    .option('--active', 'only indicators that match now')
    .option('--rows <n>', 'table rows per family: a number or "all"', parseRows, 50)
    .option('-f, --format <format>', 'text | json', oneOf(['text', 'json']))
    .addHelpText('after', '\nExample:\n  $ telltale intel stats --family Mirai')
    .action(async (opts) => {
      const now: Date = opts.now ?? new Date();
      const filter = filterOf(opts, { active: opts.active ? true : undefined });
      const summary = await intelStats(filter, { db: opts.db, now, rows: opts.rows });
      if (opts.format === 'json') {
        const families = summary.families.map((f) => ({
          ...f,
          indicators: f.indicators.map((i) => listRow(i, now)),
        }));
        process.stdout.write(JSON.stringify({ total: summary.total, families }, null, 2) + '\n');
        return;
      }
      process.stdout.write(summaryText(summary.families) + '\n' + totalsText(summary));
    });
}
