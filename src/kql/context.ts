/**
 * Shapes shared by the translator's stages. A Relation is one step of the pipeline already written as
 * SQL (a CTE or a table) plus what the SQL alone does not say: Kusto's columns, how provenance is carried,
 * and any ordering still to apply (SQL does not keep a CTE's ORDER BY, so ordering travels as data).
 */
import type { KNode } from './kusto.js';
import type { Params } from './sql.js';

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
  /** Rows split into independent sub-tables (mv-apply's subquery runs once per input row): see Partition. */
  partition?: Partition;
  /** `_Source` lists not computed yet (source is then 'none' in the SQL): see deferred-source.ts. */
  deferred?: DeferredSource;
}

/** How to compute a grouped summarize's `_Source` lists later: its input and its keys. */
export interface DeferredSource {
  input: Relation;
  /** Each key's output column and its SQL over the input's rows. */
  keys: { name: string; sql: string }[];
}

/**
 * A hidden column numbering independent sub-tables of one relation: aggregates group by it, take / top
 * count within it. `all` is a CTE listing every sub-table (column of the same name), the empty ones too:
 * a summarize without `by` gives each of them its row, as Kusto runs the subquery on every sub-table.
 */
export interface Partition {
  column: string;
  all: string;
}

/** SQL for reading a column of the current row (raw value: a missing string may be NULL). */
export interface Scope {
  column(name: string): string;
}

/** A translated scalar expression: SQL text and its Kusto type. */
export interface Sql {
  sql: string;
  type: string; // Kusto type name
}

/** Where a scalar expression is translated: the compilation, the current row, and what is allowed. */
export interface Env {
  c: Compiler;
  scope: Scope;
  /** Inside summarize: aggregate functions are allowed. */
  aggregate: boolean;
  /**
   * At the top of a `where` condition (through and/or/parentheses only), where null and false both drop
   * the row: `col == 5` may then skip the null-handling wrapper, which lets DuckDB push the filter down.
   */
  filter?: boolean;
  /** In a projection over serialized rows: window functions (prev, next, row_number …; see op-window.ts). */
  window?: WindowScope;
  /**
   * Names the current operator resolves before the translator does (graph pattern variables, see
   * graph/scope.ts): the SQL of `node`, or undefined to translate it as usual.
   */
  intercept?: (node: KNode, env: Env) => Sql | undefined;
  /**
   * In a summarize over rows with a known order (a datatable's written order, a serialized input): the
   * SQL term make_list orders by, so lists keep Kusto's input order instead of the scan's thread order.
   */
  listOrder?: string;
}

/**
 * Window functions of one projection over serialized rows. `over` gives an OVER clause in row order
 * (within `partition`, when given); `stage` computes a value as a hidden column of the rows first and
 * returns its SQL name, for what SQL cannot nest (a window of a window, such as a restart condition that
 * reads prev()). Stages see the earlier stages' columns.
 */
export interface WindowScope {
  over(partition?: string, frame?: string): string;
  stage(sql: string): string;
}

/** A value known at compile time (literals, `dynamic([...])`, and `let` names bound to them). */
export interface Constant {
  value: unknown;
  type: string;
  /** A dynamic literal's JSON text, reals kept as reals (`1.0`), which `value` cannot tell from longs. */
  json?: string;
}

/**
 * The expression translator (expr.ts), handed to functions and operators through the compile context so
 * that they need not import expr.ts (which dispatches calls to them).
 */
export interface Expressions {
  /** Translates a scalar expression. */
  scalar(node: KNode, env: Env): Sql;
  /** A value as a Kusto string (never NULL): strings unchanged, others converted like `tostring()`. */
  asString(value: Sql, node: KNode, env: Env): string;
  /** `tostring()` of any value. */
  toStringSql(value: Sql, node: KNode, env: Env): string;
  /** The compile-time value of a literal (or a `let` bound to one), else undefined. */
  constant(node: KNode, c: Compiler): Constant | undefined;
}

/** What operators and expressions need from the compilation in progress. */
export interface Compiler {
  readonly params: Params;
  /** The expression translator (see Expressions). */
  readonly expr: Expressions;
  /** SQL of the query clock (options.now) as a TIMESTAMP parameter. */
  now(): string;
  /** Adds a CTE and returns its quoted name; `materialized`: computed once however often it is read. */
  cte(select: string, materialized?: boolean): string;
  tabular(node: KNode): Relation;
  /** A tabular expression whose `_Source` the consumer never reads (deferred lists are not computed). */
  tabularRows(node: KNode): Relation;
  /** One tabular operator over rows already translated (operators that run a subquery: mv-apply). */
  operator(op: KNode, input: Relation, out: Column[]): Relation;
  /** The expression a `let` bound to this symbol, if any. */
  letExpression(symbolKey: unknown): KNode | undefined;
  /** Binds a `let` statement (also those inside a function body). */
  bindLet(statement: KNode): void;
  /** The value of a `set` option the query gave (query_bin_auto_size …), if any. */
  option(name: string): KNode | undefined;
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

/** One key of the unpacked bags and the Kusto type of its values. */
export interface BagKey {
  key: string;
  type: string;
}
