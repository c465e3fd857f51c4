/**
 * Exports hunts to Microsoft Sentinel. A hunt file is already Sentinel hunting-query YAML; what export
 * adds is what Telltale resolves at run time: the IOC lists (`x-telltale.indicatorLists`) filled from the
 * indicator store, and the enabled exclusions folded in as `| where not(<predicate>)` lines, so the query
 * that runs in Sentinel suppresses what the local run suppresses. Output: hunting YAML per hunt (the
 * Azure-Sentinel repository format) or one ARM template of `savedSearches` (category "Hunting Queries").
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { Store } from '../store/db.js';
import type { Hunt } from '../hunts/model.js';
import { bindIndicatorLists } from '../hunts/indicator-lists.js';
import type { Exclusion } from '../hunts/exclusions/model.js';
import { applicableExclusions } from '../hunts/exclusions/apply.js';

export interface SentinelExportOptions {
  /** Clock for indicator and exclusion expiry. */
  now: Date;
  minConfidence?: number;
  exclusions?: Exclusion[];
}

export interface ExportedHunt {
  hunt: Hunt;
  /** The query as Sentinel should run it. */
  query: string;
  /** Ids of the exclusions folded into the query. */
  exclusions: string[];
  /** Exclusions that name this hunt but cannot apply to it (reported, not exported). */
  errors: string[];
}

function foldExclusions(query: string, exclusions: Exclusion[]): string {
  const base = query.replace(/[\s;]+$/, '');
  const lines = exclusions.map(
    (e) =>
      `// exclusion ${e.id}: ${e.reason.replace(/\s+/g, ' ').slice(0, 160)}\n| where not(${e.predicate})`,
  );
  return [base, ...lines].join('\n') + '\n';
}

export async function prepareSentinelHunts(
  store: Store,
  hunts: Hunt[],
  options: SentinelExportOptions,
): Promise<ExportedHunt[]> {
  const exported: ExportedHunt[] = [];
  for (const hunt of hunts) {
    const bound = await bindIndicatorLists(store, hunt, {
      now: options.now,
      minConfidence: options.minConfidence,
      literal: true, // the deployed query stands alone: no Telltale table
    });
    const applicable = applicableExclusions(bound, hunt, options.exclusions ?? [], {
      schemas: store.schemas,
      now: options.now,
    });
    exported.push({
      hunt,
      query: foldExclusions(bound, applicable.exclusions),
      exclusions: applicable.exclusions.map((e) => e.id),
      errors: applicable.errors,
    });
  }
  return exported;
}

/** The hunt's own YAML document with the resolved query and without Telltale's private keys. */
export function huntingYaml(exported: ExportedHunt): string {
  const doc = parse(readFileSync(exported.hunt.file, 'utf8')) as Record<string, unknown>;
  delete doc['x-telltale'];
  doc.query = exported.query;
  return stringify(doc, { lineWidth: 0 });
}

/** One ARM deployment template holding every hunt as a Log Analytics saved search. */
export function armTemplate(exported: ExportedHunt[]): Record<string, unknown> {
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { workspace: { type: 'string', metadata: { description: 'Log Analytics workspace name' } } },
    resources: exported.map(({ hunt, query }) => ({
      type: 'Microsoft.OperationalInsights/workspaces/savedSearches',
      apiVersion: '2020-08-01',
      name: `[concat(parameters('workspace'), '/${hunt.id}')]`,
      properties: {
        category: 'Hunting Queries',
        displayName: hunt.name,
        query,
        version: 2,
        tags: [
          { name: 'description', value: hunt.description },
          { name: 'tactics', value: hunt.tactics.join(',') },
          { name: 'techniques', value: hunt.relevantTechniques.join(',') },
          { name: 'severity', value: hunt.severity },
          { name: 'createdBy', value: 'telltale' },
        ],
      },
    })),
  };
}
