/**
 * The intel store's side of a hunt or scan run, done in SQL so a run never reads the whole store into
 * JS: its matchable indicators are copied into the run's ThreatIntelligenceIndicator table (ATTACH), and
 * only the hash indicators of scanned files and the evidence values (sightings.ts) are looked up.
 */
import type { Store } from '../store/db.js';
import { indicatorKey, type Indicator, type IndicatorType } from './model.js';
import { copyMatchableIndicators, IntelStore } from './store.js';
import { loadIndicators } from './ti-table.js';
import { attachIntelLists, type AttachedIntelLists } from './attach-lists.js';

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

export interface RunIntel {
  /** Indicators the run matches: its own plus the store's matchable ones. */
  loaded: number;
  /** Set when hunts read the store's lists in place (bind with it; see attach-lists.ts). */
  intelLists?: AttachedIntelLists;
  release(): Promise<void>;
}

/**
 * A hunt run's indicators. With a store, hunts read its precomputed lists in place (no copy, so the
 * run's cost does not grow with the store); the store is copied into ThreatIntelligenceIndicator only
 * when a query reads that table itself (`readsThreatIntelligence`), or the lists cannot answer.
 */
export async function prepareRunIntel(
  store: Store,
  indicators: readonly Indicator[],
  now: Date,
  options: RunIntelOptions & { readsThreatIntelligence: boolean },
): Promise<RunIntel> {
  const lists =
    options.intelDb && !options.readsThreatIntelligence
      ? await attachIntelLists(store, options.intelDb, now, {
          includeWarninglisted: options.includeWarninglisted,
          skipKeys: indicators.map(indicatorKey),
        })
      : undefined;
  if (!lists)
    return { loaded: await loadRunIndicators(store, indicators, now, options), release: async () => {} };
  try {
    const loaded = (await loadIndicators(store, indicators, now)) + lists.matchable;
    return { loaded, intelLists: lists, release: () => lists.detach() };
  } catch (err) {
    await lists.detach();
    throw err;
  }
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
