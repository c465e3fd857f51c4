/**
 * The intel store's side of a hunt or scan run, done in SQL so a run never reads the whole store into
 * JS: its matchable indicators are copied into the run's ThreatIntelligenceIndicator table (ATTACH), and
 * only the hash indicators of scanned files and the evidence values (sightings.ts) are looked up.
 */
import type { Store } from '../store/db.js';
import { indicatorKey, type Indicator, type IndicatorType } from './model.js';
import { copyMatchableIndicators, IntelStore } from './store.js';
import { loadIndicators } from './ti-table.js';

export interface RunIntelOptions {
  /** The persistent intel store, if the run uses one. */
  intelDb?: string;
  includeWarninglisted?: boolean;
}

/** In-memory indicators (bundled, `--intel`) plus the store's matchable ones; returns the rows loaded. */
export async function loadRunIndicators(
  store: Store,
  indicators: readonly Indicator[],
  now: Date,
  options: RunIntelOptions,
): Promise<number> {
  const loaded = await loadIndicators(store, indicators, now);
  if (!options.intelDb) return loaded;
  const copied = await copyMatchableIndicators(store, options.intelDb, now, {
    includeWarninglisted: options.includeWarninglisted,
    skipKeys: indicators.map(indicatorKey),
  });
  return loaded + copied;
}

async function withStore<T>(
  options: RunIntelOptions,
  empty: T,
  run: (store: IntelStore) => Promise<T>,
): Promise<T> {
  if (!options.intelDb) return empty;
  const store = await IntelStore.open(options.intelDb);
  try {
    return await run(store);
  } finally {
    store.close();
  }
}

/** Hash types among the store's matchable indicators (none without a store). */
export function storedHashTypes(options: RunIntelOptions, now: Date): Promise<IndicatorType[]> {
  return withStore(options, [], (store) => store.matchableHashTypes(now, options.includeWarninglisted));
}

/** The store's indicators matchable at `now` with one of these values (file digests of a scan). */
export function storedIndicatorsWithValues(
  options: RunIntelOptions,
  values: Iterable<string>,
  now: Date,
): Promise<Indicator[]> {
  return withStore(options, [], (store) =>
    store.matchableWithValues(values, now, options.includeWarninglisted),
  );
}
