/**
 * The export formats by name. Filtering (active, confidence, type, family) and the rule that
 * warning-listed values are never exported are applied before an exporter sees the indicators.
 */
import { hosts, rpz } from './dns.js';
import { misp } from './misp.js';
import { ipset, nftables, suricata, zeek } from './network.js';
import { csv, plainLists } from './plain.js';
import { sentinelWatchlist } from './sentinel.js';
import { stix } from './stix.js';
import type { Exporter } from './types.js';

export const EXPORTERS: Record<string, Exporter> = {
  list: plainLists,
  csv,
  stix,
  misp,
  zeek,
  suricata,
  nftables,
  ipset,
  rpz,
  hosts,
  'sentinel-watchlist': sentinelWatchlist,
};

export { fileParts, fileText } from './types.js';
export type { ExportFile, ExportOptions, Exporter } from './types.js';
