/** The `evaluate` plugins implemented under src/kql/plugins, by lower-case name. */
import { activeUsersCount, activityCountsMetrics } from './user-activity.js';
import type { Plugin } from './common.js';
import { ipv4Lookup } from './ip-lookup.js';
import { rollingPercentile } from './rolling-percentile.js';
import { rowsNear } from './rows-near.js';

export type { Plugin };

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map([
  ['rows_near', rowsNear],
  ['rolling_percentile', rollingPercentile],
  ['ipv4_lookup', ipv4Lookup],
  ['activity_counts_metrics', activityCountsMetrics],
  ['active_users_count', activeUsersCount],
]);
