/**
 * Applies exclusions inside the hunt's own query: the runner appends
 *   | extend _ExcludedBy = iff(<p1>, "id1", iff(<p2>, "id2", ""))
 * so each predicate is evaluated by the same KQL translator, with Kusto's semantics, over the hunt's
 * result columns, in the same DuckDB pass (no second query, no re-implementation of KQL in JS). The
 * first matching exclusion is credited; rows keep flowing so they can be counted and listed.
 */
import { compileKql } from '../../kql/index.js';
import type { SchemaSet } from '../../store/schema.js';
import type { Row } from '../../store/coerce.js';
import { appliesByName, isExpired, type Exclusion } from './model.js';

export const EXCLUDED_BY = '_ExcludedBy';

export interface Applicable {
  exclusions: Exclusion[];
  /** Exclusions that name this hunt but do not bind to its result (a column it does not have…). */
  errors: string[];
}

function withoutTrailingTerminator(query: string): string {
  return query.replace(/[\s;]+$/, '');
}

/** The enabled, unexpired exclusions for a hunt whose predicate binds to its result. */
export function applicableExclusions(
  query: string,
  hunt: { key: string; id: string },
  exclusions: Exclusion[],
  context: { schemas: SchemaSet; now: Date },
): Applicable {
  const result: Applicable = { exclusions: [], errors: [] };
  for (const exclusion of exclusions) {
    if (!exclusion.enabled || isExpired(exclusion, context.now) || !appliesByName(exclusion, hunt)) continue;
    try {
      compileKql(`${withoutTrailingTerminator(query)}\n| where ${exclusion.predicate}`, {
        ...context,
        keepSource: false,
      });
      result.exclusions.push(exclusion);
    } catch (err) {
      // without a `hunts:` list an exclusion is meant for the hunts that have its columns
      if (exclusion.hunts.length > 0)
        result.errors.push(
          `exclusion ${exclusion.id} (${exclusion.file}) does not fit hunt ${hunt.key}: ${(err as Error).message}`,
        );
    }
  }
  return result;
}

function kqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function withExclusionColumn(query: string, exclusions: Exclusion[]): string {
  if (exclusions.length === 0) return query;
  const chain = exclusions.reduceRight((rest, e) => `iff(${e.predicate}, ${kqlString(e.id)}, ${rest})`, '""');
  return `${withoutTrailingTerminator(query)}\n| extend ${EXCLUDED_BY} = ${chain}`;
}

/** Splits result rows into kept and suppressed (by exclusion id), removing the marker column. */
export function splitExcluded(rows: Row[]): { kept: Row[]; suppressed: Map<string, Row[]> } {
  const kept: Row[] = [];
  const suppressed = new Map<string, Row[]>();
  for (const row of rows) {
    const { [EXCLUDED_BY]: by, ...rest } = row;
    if (typeof by === 'string' && by !== '') {
      const list = suppressed.get(by) ?? [];
      list.push(rest);
      suppressed.set(by, list);
    } else kept.push(by === undefined ? row : rest);
  }
  return { kept, suppressed };
}
