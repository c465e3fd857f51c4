/**
 * The intel that ships with Telltale: every file under content/intel/, imported with format
 * auto-detection. Provenance paths are package-relative (`content/intel/threatfox-mirai.json:5`) so
 * findings read the same on every machine.
 */
import { join, relative } from 'node:path';
import { contentDir, packageRoot } from '../util/paths.js';
import { filesUnder, importIntelFile } from './import.js';
import { dedupe, type Indicator } from './model.js';
import type { IntelReject } from './model.js';
import { append } from '../util/append.js';
import { lifetimeEnd } from './lifecycle.js';

export const intelDir = join(contentDir, 'intel');

/** Bundled indicators plus any rejects (a broken shipped file is a bug; tests assert none). */
export function loadBundledIntel(dir: string = intelDir): {
  indicators: Indicator[];
  rejects: IntelReject[];
} {
  const indicators: Indicator[] = [];
  const rejects: IntelReject[] = [];
  // READMEs are documentation, not intel
  for (const path of filesUnder(dir).filter((f) => !/(^|\/)readme(\.md)?$/i.test(f))) {
    const result = importIntelFile(path, { displayPath: relative(packageRoot, path).split('\\').join('/') });
    append(indicators, result.indicators);
    append(rejects, result.rejects);
  }
  return { indicators: dedupe(indicators), rejects };
}

/**
 * The bundled indicators; with a run's clock (`now`), each without an end date of its own stays matchable
 * for its type's lifetime counted from that clock (lifecycle.ts). Shipped intel is curated sample content
 * for the sample incident, not a feed whose sightings age: its first-seen dates must not expire it.
 */
export function bundledIndicators(now?: Date): Indicator[] {
  const { indicators } = loadBundledIntel();
  return now ? indicators.map((i) => (i.expires ? i : { ...i, expires: lifetimeEnd(i, now) })) : indicators;
}
