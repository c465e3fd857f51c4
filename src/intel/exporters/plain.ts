/**
 * Plain lists, one value a line, a file per type (`ipv4.txt`, `ip-port.txt`, `domain.txt`, …), and the
 * generic CSV whose header Telltale's CSV importer recognises (so it round-trips).
 */
import { INDICATOR_TYPES, type Indicator } from '../model.js';
import { display, lines, type Exporter } from './types.js';
import { csvLine } from '../../util/csv.js';

export const plainLists: Exporter = (indicators) =>
  INDICATOR_TYPES.flatMap((type) => {
    const values = indicators.filter((i) => i.type === type).map(display);
    return values.length ? [{ name: `${type.replace(':', '-')}.txt`, content: lines(values) }] : [];
  });

const CSV_HEADER = [
  'type',
  'value',
  'port',
  'threat_type',
  'malware',
  'confidence',
  'first_seen',
  'last_seen',
  'expires',
  'tags',
  'reference',
  'source',
];

/** The descriptive columns both CSV exports share, in their order. */
export const describeColumns = (i: Indicator): unknown[] => [
  i.threatType,
  i.malware,
  i.confidence,
  i.firstSeen,
  i.lastSeen,
  i.expires,
  i.tags?.join(','),
];

/** A CSV file: header, then one row per indicator. */
export const csvFile = (
  name: string,
  header: string[],
  row: (i: Indicator) => unknown[],
  indicators: readonly Indicator[],
) => ({
  name,
  content: lines([csvLine(header), ...indicators.map((i) => csvLine(row(i)))]),
});

export const csv: Exporter = (indicators) => [
  csvFile(
    'indicators.csv',
    CSV_HEADER,
    (i) => [i.type, i.value, i.port, ...describeColumns(i), i.reference, i.source],
    indicators,
  ),
];
