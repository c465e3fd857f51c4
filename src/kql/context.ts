/**
 * Shapes shared by the translator's stages. A Relation is one step of the pipeline already written as
 * SQL (a CTE or a table) plus what the SQL alone does not say: Kusto's columns, how provenance is carried,
 * and any ordering still to apply (SQL does not keep a CTE's ORDER BY, so ordering travels as data).
 */
import type { KNode } from './kusto.js';
import type { Params } from './sql.js';
import type { BagKey } from './op-evaluate.js';

export interface Column {
  name: string;
  type: string; // Kusto type name
}

/** How the hidden `_Source` column travels: absent, one value per row, or a list after aggregation. */
export type SourceMode = 'none' | 'row' | 'list';

/** An ORDER BY term over a relation's own columns; `columns` are those it reads (to know if it survives). */
export interface OrderTerm {
  expr: string;
  columns: string[];
  desc: boolean;
  nullsFirst: boolean;
}

export interface Relation {
  from: string; // quoted CTE or table name
  columns: Column[];
  source: SourceMode;
  order?: OrderTerm[];
  ordinal: boolean; // carries the hidden row-number column that freezes an earlier sort
}

/** SQL for reading a column of the current row (raw value: a missing string may be NULL). */
export interface Scope {
  column(name: string): string;
}

/** What operators and expressions need from the compilation in progress. */
export interface Compiler {
  readonly params: Params;
  /** SQL of the query clock (options.now) as a TIMESTAMP parameter. */
  now(): string;
  /** Adds a CTE and returns its quoted name. */
  cte(select: string): string;
  tabular(node: KNode): Relation;
  /** The expression a `let` bound to this symbol, if any. */
  letExpression(symbolKey: unknown): KNode | undefined;
  /** Binds a `let` statement (also those inside a function body). */
  bindLet(statement: KNode): void;
  /** Binds symbols (function parameters) to expressions until the returned restore is called. */
  bind(bindings: [unknown, KNode][]): () => void;
  /** Binds a tabular parameter's symbol to rows (invoke's input) until the returned restore is called. */
  bindTable(symbolKey: unknown, rel: Relation): () => void;
  fail(node: KNode, detail?: string): never;
  /**
   * The keys `evaluate bag_unpack` finds in the data: known when the run supplied them, else the
   * compilation stops with a NeedsData probe (`probe` is a SELECT of key, types over the CTEs so far).
   */
  bagKeys(op: KNode, probe: string): BagKey[];
  /** Types of columns only the data names (bag_unpack's), which the binder reports as `unknown`. */
  readonly openColumns: Map<string, string>;
}
