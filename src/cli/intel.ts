import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { collectIndicators, Store } from '../index.js';
import { importIntelFile } from '../intel/import.js';
import { extractIndicators } from '../intel/extract.js';
import { loadIndicators } from '../intel/ti-table.js';
import type { Indicator } from '../intel/model.js';
import { renderRows, type OutputFormat } from '../output/findings.js';
import { chooseFormat, collect, err, EXIT_ERROR, EXIT_NONE, parseFormat } from './common.js';

const COLUMNS = ['type', 'value', 'port', 'threatType', 'malware', 'confidence', 'firstSeen', 'source'];

function indicatorRows(indicators: Indicator[], withContext = false): Record<string, unknown>[] {
  return indicators.map((i) => ({
    type: i.type,
    value: i.value,
    port: i.port ?? null,
    threatType: i.threatType ?? null,
    malware: i.malware ?? null,
    confidence: i.confidence ?? null,
    firstSeen: i.firstSeen ?? null,
    source: i.source,
    ...(withContext ? { context: i.context ?? null } : {}),
  }));
}

function print(indicators: Indicator[], format: OutputFormat | undefined, withContext = false): void {
  const columns = withContext ? ['type', 'value', 'port', 'context'] : COLUMNS;
  process.stdout.write(renderRows(columns, indicatorRows(indicators, withContext), chooseFormat(format)));
}

export function intelCommand(): Command {
  const intel = new Command('intel').description('threat-intel indicators: import feeds, extract from reports, list');

  intel
    .command('import')
    .description('import a ThreatFox JSON (API response or export) or CSV export, or a free-text report')
    .argument('<file>', 'the feed file')
    .option('--db <file>', 'store the indicators in this DuckDB file (ThreatIntelligenceIndicator)')
    .option('--intel-format <format>', 'threatfox-json | threatfox-csv | text (default: auto)')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale intel import threatfox-export.csv --db intel.duckdb')
    .action(async (file: string, opts) => {
      const result = importIntelFile(file, { format: opts.intelFormat ?? 'auto' });
      for (const r of result.rejects) err(`rejected ${r.file}:${r.line}: ${r.reason}`);
      print(result.indicators, opts.format);
      if (opts.db) {
        const store = await Store.open({ path: opts.db });
        try {
          await loadIndicators(store, result.indicators, new Date());
        } finally {
          store.close();
        }
      }
      err(`${file} [${result.format}]: ${result.indicators.length} indicators, ${result.rejects.length} rejected${opts.db ? `, stored in ${opts.db}` : ''}`);
      process.exitCode = result.indicators.length === 0 && result.rejects.length > 0 ? EXIT_ERROR : EXIT_NONE;
    });

  intel
    .command('extract')
    .description('list the indicators found in a free-text report (refangs [.] hxxp, keeps ip:port, dedupes)')
    .argument('<file>', 'a text, markdown or HTML report')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale intel extract report.txt --format json')
    .action((file: string, opts) => {
      const indicators = extractIndicators(readFileSync(file, 'utf8'), file);
      print(indicators, opts.format, true);
      err(`${indicators.length} indicators`);
    });

  intel
    .command('list')
    .description('list the bundled indicators plus any feeds given')
    .option('--intel <file>', 'add a feed (repeatable)', collect, [])
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale intel list --format csv')
    .action((opts) => {
      const { indicators, rejects } = collectIndicators({ intel: opts.intel });
      for (const r of rejects) err(`rejected ${r.file}:${r.line}: ${r.reason}`);
      print(indicators, opts.format);
      err(`${indicators.length} indicators`);
    });

  return intel;
}
