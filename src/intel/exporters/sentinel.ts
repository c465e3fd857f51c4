/**
 * A Microsoft Sentinel watchlist CSV (upload with SearchKey `Indicator`): one row per indicator with
 * the columns TI-style hunts join on. `_GetWatchlist('Telltale')` then works like the store.
 */
import type { Indicator } from '../model.js';
import { csvFile, describeColumns } from './plain.js';
import { display, type Exporter } from './types.js';

const HEADER = [
  'Indicator',
  'IndicatorType',
  'IP',
  'Port',
  'ThreatType',
  'Malware',
  'ConfidenceScore',
  'FirstSeen',
  'LastSeen',
  'ExpirationDateTime',
  'Tags',
  'Source',
  'Reference',
];

const ipOf = (i: Indicator) =>
  i.type === 'ipv4' || i.type === 'ipv6' || i.type === 'ip:port' ? i.value : '';

export const sentinelWatchlist: Exporter = (indicators) => [
  csvFile(
    'telltale-watchlist.csv',
    HEADER,
    (i) => [display(i), i.type, ipOf(i), i.port, ...describeColumns(i), i.source, i.reference],
    indicators,
  ),
];
