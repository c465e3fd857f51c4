/** Option parsers and the printing shared by the `telltale intel …` subcommands. */
import { type Command, InvalidArgumentError } from 'commander';
import {
  defaultIntelDbPath,
  INDICATOR_TYPES,
  renderRows,
  type Indicator,
  type IndicatorType,
  type IntelFilter,
  type OutputFormat,
} from '../../index.js';
import { chooseFormat, parseNow } from '../common.js';

export const DB_HELP = `the intel store (default ${defaultIntelDbPath().replace(process.env.HOME ?? '\0', '~')}; $TELLTALE_INTEL_DB overrides)`;

const PRINT_COLUMNS = ['type', 'value', 'port', 'threatType', 'malware', 'confidence', 'firstSeen', 'source'];

function indicatorRows(indicators: Indicator[], withContext: boolean): Record<string, unknown>[] {
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

/** Parsed (not stored) indicators on stdout; `withContext` adds the report text around each. */
export function printIndicators(
  indicators: Indicator[],
  format: OutputFormat | undefined,
  withContext = false,
): void {
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

export function parseIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function parseRows(value: string): number {
  if (value === 'all') return Infinity;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number or "all"');
  return n;
}

export function oneOf(values: readonly string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return value;
  };
}

/** Filter flags shared by list, stats, remove and export. */
export function withFilters(command: Command): Command {
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

export function filterOf(opts: Record<string, unknown>, extra: IntelFilter = {}): IntelFilter {
  return {
    types: opts.type as IndicatorType[] | undefined,
    family: opts.family as string | undefined,
    source: opts.source as string | undefined,
    minConfidence: opts.minConfidence as number | undefined,
    ...extra,
  };
}
