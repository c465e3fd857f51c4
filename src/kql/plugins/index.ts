/** The `evaluate` plugins implemented under src/kql/plugins, by lower-case name. */
import { activeUsersCount, activityCountsMetrics, slidingWindowCounts } from './user-activity.js';
import type { Plugin } from './common.js';
import { ipv4Lookup, ipv6Lookup } from './ip-lookup.js';
import { rollingPercentile } from './rolling-percentile.js';
import { rowsNear } from './rows-near.js';
import { schemaMerge } from './schema-merge.js';

export type { Plugin };

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map([
  ['rows_near', rowsNear],
  ['rolling_percentile', rollingPercentile],
  ['ipv4_lookup', ipv4Lookup],
  ['ipv6_lookup', ipv6Lookup],
  ['activity_counts_metrics', activityCountsMetrics],
  ['active_users_count', activeUsersCount],
  ['sliding_window_counts', slidingWindowCounts],
  ['schema_merge', schemaMerge],
]);
