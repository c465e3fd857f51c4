/**
 * A hunt is a Sentinel hunting-query YAML document (id, name, description, requiredDataConnectors,
 * tactics, relevantTechniques, query, entityMappings) plus Telltale's own keys under `x-telltale`.
 */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'informational'];

export interface FieldMapping {
  identifier: string;
  columnName: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

/**
 * Names a `let NAME = dynamic([...])` list in the query whose values come from the indicator store at
 * run time, so the query stays verbatim (and deployable) while the IOCs stay current.
 */
export interface IndicatorListBinding {
  variable: string;
  types: string[];
  /** Only indicators of these Sentinel ThreatTypes (e.g. `C2`); empty = all. */
  threatTypes?: string[];
  /** `list` fills `dynamic([...])`; `subdomain-regex` fills a string `let` with one anchored regex. */
  as?: 'list' | 'subdomain-regex';
}

export interface Hunt {
  /** Sentinel's GUID, kept for deployment. */
  id: string;
  /** Telltale's readable key: the file name without extension (unique within a content pack). */
  key: string;
  name: string;
  description: string;
  severity: Severity;
  tactics: string[];
  relevantTechniques: string[];
  requiredTables: string[];
  query: string;
  entityMappings: EntityMapping[];
  indicatorLists: IndicatorListBinding[];
  /**
   * A result column holding a per-row severity (`High`, `Medium`…), like an analytic rule's
   * `alertDetailsOverride.alertSeverityColumnName`; rows without one take `severity`.
   */
  severityColumn?: string;
  /** Result columns that split findings besides the entities (a port for the spike hunt). */
  groupBy: string[];
  /** Replay tile for Sentinel-style lookbacks (analytic rules' queryFrequency); default = the longest ago(). */
  queryFrequencyMs?: number;
  /** Relabel findings whose source is a known research scanner (see research-scanners.ts). */
  labelResearchScanners: boolean;
  /** A view (a table to look at, e.g. top ports): `telltale kql HUNT.yaml` runs it, `telltale hunt` does not. */
  view: boolean;
  file: string;
}
