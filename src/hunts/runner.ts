/** Runs hunts against the store: bind IOC lists, translate KQL, execute, turn rows into findings. */
import { runKql } from '../kql/index.js';
import type { Store } from '../store/db.js';
import { findingsFromRows, type Finding } from './findings.js';
import { bindIndicatorLists } from './indicator-lists.js';
import type { Hunt } from './model.js';

export interface HuntRun {
  hunt: Hunt;
  rows: number;
  findings: Finding[];
  error?: string;
}

export async function runHunt(store: Store, hunt: Hunt, now: Date): Promise<HuntRun> {
  try {
    const query = await bindIndicatorLists(store, hunt, now);
    const result = await runKql(store, query, { now });
    const findings = findingsFromRows(
      result.rows,
      {
        huntId: hunt.key,
        title: hunt.name,
        severity: hunt.severity,
        description: hunt.description,
        techniques: hunt.relevantTechniques,
      },
      hunt.entityMappings,
    );
    return { hunt, rows: result.rows.length, findings };
  } catch (err) {
    return { hunt, rows: 0, findings: [], error: `${hunt.file}: ${(err as Error).message}` };
  }
}

/** Hunts run one after another: DuckDB parallelises each query across the cores already. */
export async function runHunts(store: Store, hunts: Hunt[], now: Date): Promise<HuntRun[]> {
  const runs: HuntRun[] = [];
  for (const hunt of hunts) runs.push(await runHunt(store, hunt, now));
  return runs;
}
