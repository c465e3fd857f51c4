/** `telltale intel import`: feeds and reports into the store (or, with --dry-run, parsed and printed). */
import { Command } from 'commander';
import { defaultIntelDbPath, importIntel, INTEL_FORMATS, parseIntel, parseTtl } from '../../index.js';
import { collect, err, EXIT_ERROR, EXIT_NONE, parseFormat } from '../common.js';
import { DB_HELP, oneOf, printIndicators } from './options.js';

const REJECTS_SHOWN = 20;

export function importCommand(): Command {
  return new Command('import')
    .description(
      'import feeds and reports into the intel store: ThreatFox (API/JSON/CSV), STIX 2.1, MISP, CSV, plain lists, free text',
    )
    .argument('<paths...>', 'files, directories (every file below) or - for stdin')
    .option('--db <file>', DB_HELP)
    .option(
      '--format <format>',
      `input format, default auto-detected (${INTEL_FORMATS.join(', ')})`,
      oneOf(INTEL_FORMATS),
    )
    .option(
      '--columns <mapping>',
      'CSV column mapping, e.g. value=ioc,type=kind,confidence=score (by header name or 1-based position)',
    )
    .option('--source <name>', 'record this source name on every indicator')
    .option(
      '--ttl <spec>',
      'expiry in days by type when the source gives none, e.g. ip=14,domain=180,hash=3650',
    )
    .option(
      '--allowlist <file>',
      'an extra allow list (MISP JSON or one value/CIDR a line), repeatable',
      collect,
      [],
    )
    .option('--dry-run', 'parse and print, do not store')
    .option('-o, --output <format>', 'with --dry-run: table | json | ndjson | csv', parseFormat)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale intel import threatfox-export.csv reports/ --db intel.duckdb\n  $ curl -s https://example.org/iocs.txt | telltale intel import - --source example',
    )
    .action(async (paths: string[], opts) => {
      parseTtl(opts.ttl); // a bad --ttl fails before anything is read
      if (opts.dryRun) {
        const results = parseIntel(paths, opts);
        for (const r of results) for (const x of r.rejects) err(`rejected ${x.file}:${x.line}: ${x.reason}`);
        printIndicators(
          results.flatMap((r) => r.indicators),
          opts.output,
        );
        for (const r of results)
          err(`${r.file} [${r.format}]: ${r.indicators.length} indicators, ${r.rejects.length} rejected`);
        process.exitCode = results.some((r) => r.indicators.length === 0 && r.rejects.length > 0)
          ? EXIT_ERROR
          : EXIT_NONE;
        return;
      }
      const results = await importIntel(paths, {
        db: opts.db,
        format: opts.format,
        columns: opts.columns,
        source: opts.source,
        ttl: opts.ttl,
        allowlists: opts.allowlist,
      });
      for (const r of results) {
        for (const x of r.rejects.slice(0, REJECTS_SHOWN)) err(`rejected ${x.file}:${x.line}: ${x.reason}`);
        if (r.rejects.length > REJECTS_SHOWN)
          err(`  … ${r.rejects.length - REJECTS_SHOWN} more rejects in ${r.file}`);
        err(
          `${r.file} [${r.format}]: ${r.indicators} indicators (${r.added} new, ${r.updated} already stored, ` +
            `${r.warninglisted} warning-listed), ${r.rejects.length} rejected${r.skipped ? `, ${r.skipped} skipped (types not modelled)` : ''}`,
        );
      }
      const total = results.reduce((n, r) => n + r.indicators, 0);
      err(`stored in ${opts.db ?? defaultIntelDbPath()}: ${total} indicators from ${results.length} file(s)`);
      process.exitCode = results.some((r) => r.indicators === 0 && r.rejects.length > 0)
        ? EXIT_ERROR
        : EXIT_NONE;
    });
}
