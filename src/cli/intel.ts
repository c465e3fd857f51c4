/** `telltale intel …`: flags → intel library call → renderer. */
import { Command, InvalidArgumentError } from 'commander';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectIndicators } from '../index.js';
import { looksLikeHtml, parseText } from '../intel/importers/text.js';
import { INTEL_FORMATS, importIntelPath } from '../intel/import.js';
import { INDICATOR_TYPES, type Indicator, type IndicatorType } from '../intel/model.js';
import { parseTtl } from '../intel/lifecycle.js';
import { defaultIntelDbPath, IntelStore, type IntelFilter } from '../intel/store.js';
import { exportFromStore, importIntoStore, summariseStore } from '../intel/pipeline.js';
import { EXPORTERS, fileParts } from '../intel/exporters/index.js';
import { listRow, LIST_COLUMNS, summaryText, totalsText } from '../intel/report.js';
import { threatfoxFeed, updateFeed, type FeedSpec } from '../intel/feeds.js';
import { renderRows, type OutputFormat } from '../output/findings.js';
import { chooseFormat, collect, err, EXIT_ERROR, EXIT_NONE, parseFormat, parseNow } from './common.js';

const PRINT_COLUMNS = ['type', 'value', 'port', 'threatType', 'malware', 'confidence', 'firstSeen', 'source'];

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
  const columns = withContext ? ['type', 'value', 'port', 'context'] : PRINT_COLUMNS;
  process.stdout.write(renderRows(columns, indicatorRows(indicators, withContext), chooseFormat(format)));
}

function parseTypes(value: string, previous: IndicatorType[] = []): IndicatorType[] {
  const types = value.split(',').map((t) => t.trim());
  for (const t of types)
    if (!(INDICATOR_TYPES as string[]).includes(t))
      throw new InvalidArgumentError(`expected one of ${INDICATOR_TYPES.join(', ')}`);
  return [...previous, ...(types as IndicatorType[])];
}

function parseConfidence(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected 0-100');
  return n;
}

function parseIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

function oneOf(values: readonly string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return value;
  };
}

const DB_HELP = `the intel store (default ${defaultIntelDbPath().replace(process.env.HOME ?? '\0', '~')}; $TELLTALE_INTEL_DB overrides)`;

/** Filter flags shared by list, stats, remove and export. */
function withFilters(command: Command): Command {
  return command
    .option('--db <file>', DB_HELP)
    .option(
      '-t, --type <types>',
      `indicator types, comma-separated or repeated (${INDICATOR_TYPES.join(', ')})`,
      parseTypes,
    )
    .option('--family <name>', 'malware family (name, id such as elf.mirai, or alias)')
    .option('--source <name>', 'only indicators this source listed')
    .option('--min-confidence <n>', 'only indicators with at least this confidence (0-100)', parseConfidence)
    .option('--now <time>', 'evaluate expiry at this time (ISO 8601)', parseNow);
}

function filterOf(opts: Record<string, unknown>, extra: IntelFilter = {}): IntelFilter {
  return {
    types: opts.type as IndicatorType[] | undefined,
    family: opts.family as string | undefined,
    source: opts.source as string | undefined,
    minConfidence: opts.minConfidence as number | undefined,
    ...extra,
  };
}

async function withStore<T>(path: string | undefined, run: (store: IntelStore) => Promise<T>): Promise<T> {
  const store = await IntelStore.open(path ?? defaultIntelDbPath());
  try {
    return await run(store);
  } finally {
    store.close();
  }
}

function importCommand(): Command {
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
      const ttl = parseTtl(opts.ttl);
      if (opts.dryRun) {
        const results = paths.flatMap((p) => importIntelPath(p, opts));
        for (const r of results) for (const x of r.rejects) err(`rejected ${x.file}:${x.line}: ${x.reason}`);
        print(
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
      const results = await withStore(opts.db, (store) =>
        importIntoStore(store, paths, {
          format: opts.format,
          columns: opts.columns,
          source: opts.source,
          ttl,
          allowlists: opts.allowlist,
        }),
      );
      for (const r of results) {
        for (const x of r.rejects.slice(0, 20)) err(`rejected ${x.file}:${x.line}: ${x.reason}`);
        if (r.rejects.length > 20) err(`  … ${r.rejects.length - 20} more rejects in ${r.file}`);
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

function listCommand(): Command {
  return withFilters(new Command('list'))
    .description('list stored indicators (or, with --bundled/--intel, the bundled content and feed files)')
    .option('--active', 'only indicators that match now (not expired, revoked, inactive or warning-listed)')
    .option('--inactive', 'only indicators that do not match now')
    .option('--sighted', 'only indicators a hunt has matched, most sighted first')
    .option('--warninglisted', 'only warning-listed indicators')
    .option('--limit <n>', 'at most this many rows', parseIntArg)
    .option('--bundled', 'list the bundled indicators instead of the store')
    .option('--intel <file>', 'list these feed files instead of the store (repeatable)', collect, [])
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale intel list --type ip:port,domain --family mirai --active\n  $ telltale intel list --sighted',
    )
    .action(async (opts) => {
      if (opts.bundled || opts.intel.length) {
        const { indicators, rejects } = collectIndicators({
          intel: opts.intel,
          bundled: opts.bundled || !opts.intel.length,
        });
        for (const r of rejects) err(`rejected ${r.file}:${r.line}: ${r.reason}`);
        print(indicators, opts.format);
        err(`${indicators.length} indicators`);
        return;
      }
      const now: Date = opts.now ?? new Date();
      const filter = filterOf(opts, {
        active: opts.active ? true : opts.inactive ? false : undefined,
        sighted: opts.sighted,
        warninglisted: opts.warninglisted ? true : undefined,
        limit: opts.limit,
      });
      const rows = await withStore(opts.db, (store) => store.list(filter, now));
      const columns = opts.warninglisted ? [...LIST_COLUMNS, 'warninglists'] : LIST_COLUMNS;
      process.stdout.write(
        renderRows(
          columns,
          rows.map((i) => listRow(i, now)),
          chooseFormat(opts.format),
        ),
      );
      err(`${rows.length} indicators`);
    });
}

function showCommand(): Command {
  return new Command('show')
    .description(
      'everything the store knows about one indicator: provenance, lifecycle, warning lists, sightings',
    )
    .argument('<value>', 'an IP, ip:port, domain, URL or hash (refanged automatically)')
    .option('--db <file>', DB_HELP)
    .addHelpText('after', '\nExample:\n  $ telltale intel show 176.65.139.7:3778')
    .action(async (value: string, opts) => {
      const { refang } = await import('../intel/refang.js');
      const found = await withStore(opts.db, async (store) => {
        const list = await store.list({ values: [refang(value.trim()).toLowerCase(), refang(value.trim())] });
        return Promise.all(list.map(async (i) => ({ ...i, sightingLog: await store.sightingsOf(i.key) })));
      });
      if (found.length === 0) {
        err(`${value}: not in the store`);
        process.exitCode = EXIT_ERROR;
        return;
      }
      process.stdout.write(JSON.stringify(found, null, 2) + '\n');
    });
}

function statsCommand(): Command {
  return withFilters(new Command('stats'))
    .description('IOC summary per malware family (like a ThreatFox report) plus store totals')
    .option('--active', 'only indicators that match now')
    .option('--rows <n>', 'table rows per family: a number or "all"', parseRows, 50)
    .option('-f, --format <format>', 'text | json', oneOf(['text', 'json']))
    .addHelpText('after', '\nExample:\n  $ telltale intel stats --family Mirai')
    .action(async (opts) => {
      const now: Date = opts.now ?? new Date();
      const summary = await withStore(opts.db, (store) =>
        summariseStore(store, filterOf(opts, { active: opts.active ? true : undefined }), now, opts.rows),
      );
      if (opts.format === 'json') {
        process.stdout.write(
          JSON.stringify(
            {
              total: summary.total,
              families: summary.families.map((f) => ({
                ...f,
                indicators: f.indicators.map((i) => listRow(i, now)),
              })),
            },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      process.stdout.write(summaryText(summary.families) + '\n' + totalsText(summary));
    });
}

function parseRows(value: string): number {
  if (value === 'all') return Infinity;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number or "all"');
  return n;
}

function removeCommand(): Command {
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
      if (
        !values.length &&
        !opts.expired &&
        !filter.types &&
        !filter.family &&
        !filter.source &&
        filter.minConfidence === undefined
      ) {
        err(
          'intel remove: give values or a filter (--type, --family, --source, --min-confidence, --expired)',
        );
        process.exitCode = EXIT_ERROR;
        return;
      }
      const n = await withStore(opts.db, (store) =>
        store.remove(filter, { revoke: opts.revoke, now: opts.now }),
      );
      err(`${n} indicator(s) ${opts.revoke ? 'revoked' : 'removed'}`);
    });
}

function exportCommand(): Command {
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
      const now: Date = opts.now ?? new Date();
      const files = await withStore(opts.db, (store) =>
        exportFromStore(store, {
          ...filterOf(opts),
          active: opts.includeInactive ? undefined : true,
          format: opts.format,
          title: opts.title,
          now,
        }),
      );
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

function updateCommand(): Command {
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
      const fetchOpts = {
        timeoutMs: opts.timeout * 1000,
        retries: opts.retries,
        maxBytes: opts.maxMib * 1048576,
      };
      const results = await withStore(opts.db, async (store) => {
        const known = new Map((await store.feeds()).map((f) => [String(f.name), String(f.url)]));
        const specs: FeedSpec[] = (feeds.length ? feeds : [...known.keys()]).map((f) =>
          f === 'threatfox'
            ? threatfoxFeed(opts.days)
            : /^https?:\/\//i.test(f)
              ? { name: opts.name ?? f.replace(/^https?:\/\//i, ''), url: f, format: opts.format }
              : { name: f, url: known.get(f) ?? f, format: opts.format },
        );
        const out = [];
        for (const spec of specs) out.push(await updateFeed(store, spec, fetchOpts));
        return out;
      });
      for (const r of results)
        err(
          r.status === 'failed'
            ? `${r.feed}: failed, nothing imported: ${r.error}`
            : r.status === 'not-modified'
              ? `${r.feed}: not modified`
              : `${r.feed}: ${r.indicators} indicators (${r.added} new, ${r.updated} already stored), ${r.rejects} rejected, ${r.bytes} bytes`,
        );
      if (results.length === 0) err('no feeds: give "threatfox" or a URL');
      process.exitCode = results.some((r) => r.status === 'failed') ? EXIT_ERROR : EXIT_NONE;
    });
}

export function intelCommand(): Command {
  const intel = new Command('intel').description(
    'threat-intel store: import feeds and reports, list, stats, export blocklists, update feeds',
  );
  intel.addCommand(importCommand());
  intel
    .command('extract')
    .description('list the indicators found in a free-text report (refangs [.] hxxp, keeps ip:port, dedupes)')
    .argument('<file>', 'a text, markdown or HTML report')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText('after', '\nExample:\n  $ telltale intel extract report.txt --format json')
    .action((file: string, opts) => {
      const raw = readFileSync(file, 'utf8');
      const indicators = parseText(raw, file, looksLikeHtml(raw)).indicators;
      print(indicators, opts.format, true);
      err(`${indicators.length} indicators`);
    });
  for (const command of [
    listCommand(),
    showCommand(),
    statsCommand(),
    removeCommand(),
    exportCommand(),
    updateCommand(),
  ])
    intel.addCommand(command);
  return intel;
}

/** Writes to stdout, waiting for the pipe to drain (a large export must not pile up in memory). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
