/** The indicators a run holds in memory: the bundled seed plus `--intel` files, warning lists applied. */
import type { IntelOptions, LoadedIntel } from '../types.js';
import type { Reject } from '../telemetry/types.js';
import { bundledIndicators } from './bundled.js';
import { importIntelFile } from './import.js';
import { dedupe, type Indicator } from './model.js';
import { flagWarninglisted, loadWarninglists } from './warninglists.js';
import { append } from '../util/append.js';

/** The run's own indicators; `now`, a run's clock, dates the bundled ones (intel/bundled.ts). */
export function collectIndicators(options: IntelOptions, now?: Date): LoadedIntel {
  const indicators: Indicator[] = options.bundled === false ? [] : bundledIndicators(now);
  const rejects: Reject[] = [];
  for (const file of options.intel ?? []) {
    const result = importIntelFile(file);
    append(indicators, result.indicators);
    append(rejects, result.rejects);
  }
  // Warning-listed values (public resolvers, private ranges, top sites…) are flagged, not matched.
  const flagged = flagWarninglisted(dedupe(indicators), loadWarninglists(options.allowlists));
  return {
    indicators: options.includeWarninglisted ? flagged : flagged.filter((i) => !i.warninglists),
    rejects,
  };
}
