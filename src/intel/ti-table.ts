/**
 * A run's own indicators into both of Sentinel's TI tables: ThreatIntelligenceIndicator through the
 * store's SQL mapping (ti-select.ts), ThreatIntelIndicators (STIX) through ti-indicators.ts.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/db.js';
import { coerceRow } from '../store/coerce.js';
import { indicatorKey, type Indicator } from './model.js';
import { insertThreatIntelligence } from './store.js';
import { TI_STIX_TABLE, toThreatIntelIndicatorsRows } from './ti-indicators.js';

/** Stable across runs and machines: the same observable always gets the same id. */
export function indicatorId(i: Indicator): string {
  return createHash('sha256').update(indicatorKey(i)).digest('hex').toUpperCase();
}

/** Appends the indicators to ThreatIntelligenceIndicator; returns the number of rows written. */
export async function loadIndicators(
  store: Store,
  indicators: readonly Indicator[],
  now: Date,
): Promise<number> {
  // the same indicators in Sentinel's STIX table, for the rules written against it
  if (store.schemas.has(TI_STIX_TABLE)) {
    const stix = store.schema(TI_STIX_TABLE);
    await store.insertRows(
      TI_STIX_TABLE,
      toThreatIntelIndicatorsRows(indicators, now, indicatorId).map((r) => coerceRow(stix, r)),
    );
  }
  return insertThreatIntelligence(store, indicators, now);
}
