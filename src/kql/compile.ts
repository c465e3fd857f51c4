/**
 * Compilation driver: parse and bind with Kusto.Language, reject anything Kusto itself rejects, then walk
 * the statements (`let` bindings, one query) and turn the tabular expression into CTEs. Each pipe step
 * gets the binder's output columns, so names match Kusto's exactly.
 */
import type { SchemaSet } from '../store/schema.js';
import type { Column, Compiler, Relation } from './context.js';
import { emitChained, emitOperator, finalSelect } from './emit.js';
import { settle, withoutDeferred } from './deferred-source.js';
import { externalData } from './externaldata.js';
import { takeWarnings, warn } from './warnings.js';
import { sourceOperator } from './op-sources.js';
import { inlineCall, userFunction } from './op-userfn.js';
import { patternInvocation } from './op-pattern.js';
import { kqlError, NeedsData, unsupported, KqlError } from './errors.js';
import type { BagKey } from './op-evaluate.js';
import type { KNode } from './kusto.js';
import { analyzeWithoutSource } from './source-away.js';
import { analyzeWithoutMissing } from './fuzzy-away.js';
import { tolerated } from './tolerated.js';
import { compactParams, ident, Params, rawIdent, sqlName, withColumnNaming } from './sql.js';
import { hiddenColumns } from './relation.js';
import { EXPRESSIONS } from './expr.js';
import { GRAPH_OPERATORS, graphOperator } from './graph/index.js';

/**
 * ASIM parser tables a hunt run stored once (src/hunts/run-parsers.ts): parser table name → the stored
 * relation and the fields it holds (`_Source` always). A query whose fields it holds reads it instead of
 * the parser's SQL over the Sentinel views (src/asim/views.ts).
 */
export type StoredParserTables = ReadonlyMap<string, { relation: string; fields: ReadonlySet<string> }>;

export interface CompileOptions {
  schemas: SchemaSet;
  now: Date;
  /** Carry the hidden `_Source` provenance column to the output (default true). */
  keepSource?: boolean;
  /** Where `externaldata` finds `https://host/a/b.csv`: DIR/host/a/b.csv (see externaldata.ts). */
  externaldataDir?: string;
  /** What `evaluate bag_unpack` found in the data, by probe id (filled by runKql; see op-evaluate.ts). */
  bagKeys?: Map<string, BagKey[]>;
  /** Where `_GetWatchlist('alias')` finds its rows: DIR/alias.csv (see src/asim/watchlist.ts). */
  watchlistsDir?: string;
  /** Tables that are SQL, not stored (the ASIM parsers' rows): name → SELECT, read as a CTE. */
  views?: ReadonlyMap<string, () => string>;
  /** The CommonSecurityLog vendors the store holds (ASIM parsers leave out absent sources). */
  asimVendors?: ReadonlySet<string>;
  /** ASIM parser tables a hunt run stored once. */
  asimTables?: StoredParserTables;
}

export interface CompiledQuery {
  sql: string;
  params: unknown[];
  columns: Column[];
  /** Answers poorer than Sentinel's (e.g. no offline geolocation), once each; see warnings.ts. */
  warnings: string[];
  /**
   * The same rows without their `_Source` lists, when computing those costs a second pass (a summarize's
   * deferred lists, deferred-source.ts): run it first; no rows means the answer is no rows.
   */
  lean?: { sql: string; params: unknown[] };
}

function timestampText(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

class Compilation implements Compiler {
  readonly params = new Params();
  readonly expr = EXPRESSIONS;
  private readonly ctes: string[] = [];
  private readonly lets = new Map<unknown, KNode>();
  private readonly letRelations = new Map<unknown, Relation>();
  private nowSql: string | undefined;
  private readonly tables = new Map<unknown, Relation>();
  private probes = 0;
  readonly openColumns = new Map<string, string>();
  private readonly options_ = new Map<string, KNode>();
  /** `declare pattern` statements: the declaration by name (the binder's symbols differ at use and declaration). */
  private readonly patterns = new Map<string, KNode>();

  constructor(
    private readonly query: string,
    private readonly options: CompileOptions,
  ) {}

  now(): string {
    this.nowSql ??= this.params.add(timestampText(this.options.now), 'datetime');
    return this.nowSql;
  }

  cte(select: string, materialized = false): string {
    const name = ident(`_q${this.ctes.length}`);
    this.ctes.push(`${name} AS ${materialized ? 'MATERIALIZED ' : ''}(${select})`);
    return name;
  }

  fail(node: KNode, detail?: string): never {
    throw unsupported(this.query, node, detail);
  }

  bagKeys(op: KNode, probe: string): BagKey[] {
    // compilation is deterministic, so the n-th probe of a run is the same plugin call every time
    const id = `${op.start}:${this.probes++}`;
    const known = this.options.bagKeys?.get(id);
    if (known) return known;
    const text = this.ctes.length ? `WITH ${this.ctes.join(',\n')}\n${probe}` : probe;
    const { sql, params } = compactParams(text, this.params.values);
    throw new NeedsData(this.query, op, id, sql, params);
  }

  letExpression(symbolKey: unknown): KNode | undefined {
    return this.lets.get(symbolKey);
  }

  bindLet(statement: KNode): void {
    const name = statement.node('Name');
    const expr = statement.node('Expression');
    if (!name?.symbol || !expr) return this.fail(statement);
    this.lets.set(name.symbol.key, expr);
    this.letRelations.delete(name.symbol.key); // a let inside a function body is rebound per call
  }

  /**
   * `set option[=value];` before the query. The options that change no answer (truncation limits: Telltale
   * does not truncate) are accepted; bin_auto's two are kept; any other is TT001, never silently ignored.
   */
  setOption(statement: KNode): void {
    const name = statement.node('Name')?.simpleName?.toLowerCase() ?? '';
    const value = statement.node('ValueClause')?.node('Expression');
    if (name === 'query_bin_auto_size' || name === 'query_bin_auto_at') {
      if (!value) return this.fail(statement, `set ${name} without a value`);
      this.options_.set(name, value);
    } else if (!['notruncation', 'truncationmaxrecords', 'truncationmaxsize'].includes(name))
      this.fail(statement, `set ${name}`);
  }

  declarePattern(statement: KNode): void {
    const name = statement.node('Name')?.simpleName;
    const decl = statement.node('Pattern');
    if (!name || !decl) return this.fail(statement, 'pattern declaration');
    this.patterns.set(name, decl);
  }

  option(name: string): KNode | undefined {
    return this.options_.get(name);
  }

  bind(bindings: [unknown, KNode][]): () => void {
    const saved = bindings.map(([key]) => [key, this.lets.get(key)] as const);
    for (const [key, node] of bindings) this.lets.set(key, node);
    return () => {
      for (const [key, node] of saved) {
        if (node) this.lets.set(key, node);
        else this.lets.delete(key);
      }
    };
  }

  bindTable(symbolKey: unknown, rel: Relation): () => void {
    const saved = this.tables.get(symbolKey);
    this.tables.set(symbolKey, rel);
    return () => (saved ? this.tables.set(symbolKey, saved) : this.tables.delete(symbolKey));
  }

  operator(op: KNode, input: Relation, out: Column[]): Relation {
    return emitOperator(op, input, out, this);
  }

  tabular(node: KNode): Relation {
    return settle(this.chained(node), this);
  }

  tabularRows(node: KNode): Relation {
    return withoutDeferred(this.chained(node));
  }

  /** A tabular expression whose `_Source` lists may still be deferred (deferred-source.ts). */
  private chained(node: KNode): Relation {
    const pattern = patternInvocation(node, this.patterns, this, (body) => this.tabular(body));
    if (pattern) return pattern;
    switch (node.kind) {
      case 'PipeExpression': {
        const op = node.node('Operator')!;
        const out = node.type?.columns.map((col) =>
          col.type === 'unknown' ? { ...col, type: this.openColumns.get(col.name) ?? 'dynamic' } : col,
        );
        if (!out || !node.type?.tabular) return this.fail(op, 'operator without a tabular result');
        // a graph operator reads a graph (make-graph …), not a table
        if (GRAPH_OPERATORS.has(op.kind)) return graphOperator(node, out, this);
        return emitChained(op, this.chained(node.node('Expression')!), out, this);
      }
      case 'ParenthesizedExpression':
      case 'MaterializeExpression': // materialize() only caches; the answer is the same
        return this.chained(node.node('Expression')!);
      case 'NameReference':
        return this.reference(node);
      case 'ExternalDataExpression':
        return externalData(node, this, this.query, this.options.externaldataDir);
      case 'FunctionCallExpression': {
        const decl = userFunction(node, this);
        if (decl) return inlineCall(node, decl, this, (body) => this.tabular(body));
        break;
      }
    }
    return sourceOperator(node, this) ?? this.fail(node);
  }

  private reference(node: KNode): Relation {
    const symbol = node.symbol;
    const table = symbol && this.tables.get(symbol.key);
    if (table) return table;
    if (symbol?.kind === 'Table') {
      const schema = this.options.schemas.get(symbol.name);
      if (!schema) return this.fail(node, `table ${symbol.name} has no schema`);
      const view = this.options.views?.get(symbol.name);
      const rel: Relation = {
        from: view ? this.cte(view()) : rawIdent(schema.table),
        columns: schema.columns.map((c) => ({ name: c.name, type: c.type === 'double' ? 'real' : c.type })),
        source: this.options.keepSource === false ? 'none' : 'row',
        ordinal: false,
      };
      // a stored column whose name another spelling took first is read under its SQL name
      if (rel.columns.every((col) => sqlName(col.name) === col.name)) return rel;
      const list = rel.columns.map((col) => `${rawIdent(col.name)} AS ${ident(col.name)}`);
      return {
        ...rel,
        from: this.cte(`SELECT ${[...list, ...hiddenColumns(rel)].join(', ')} FROM ${rel.from}`),
      };
    }
    const decl = userFunction(node, this); // a view, or a function called without arguments
    if (decl) return inlineCall(node, decl, this, (body) => this.tabular(body));
    if (symbol?.kind === 'Variable') {
      const bound = this.lets.get(symbol.key);
      if (!bound?.type?.tabular) return this.fail(node, 'variable is not a table');
      let rel = this.letRelations.get(symbol.key);
      if (!rel) {
        rel = this.chained(bound);
        this.letRelations.set(symbol.key, rel);
      }
      return rel;
    }
    return this.fail(node, `reference to a ${symbol?.kind ?? 'unknown'} symbol`);
  }

  /** The query's SQL; `deferred`: its result's `_Source` lists take a second pass (deferred-source.ts). */
  finish(main: KNode): CompiledQuery & { deferred: boolean } {
    const chained = this.chained(main);
    const rel = settle(chained, this);
    const keepSource = this.options.keepSource !== false && rel.source !== 'none';
    const columns = rel.columns.map((c) => ({ ...c }));
    if (keepSource) columns.push({ name: '_Source', type: rel.source === 'list' ? 'dynamic' : 'string' });
    const select = finalSelect(rel, keepSource);
    const text = this.ctes.length ? `WITH ${this.ctes.join(',\n')}\n${select}` : select;
    const { sql, params } = compactParams(text, this.params.values);
    return { sql, params, columns, warnings: takeWarnings(this), deferred: chained.deferred !== undefined };
  }
}

/** Compiles a query as written: no Defender or ASIM declarations in front (see compile-query.ts). */
export function compileWithoutPreludes(
  query: string,
  options: CompileOptions,
  warnings: string[] = [],
): CompiledQuery {
  return withColumnNaming(() => compile(query, options, warnings));
}

/**
 * `_Source` is in every result Telltale prints, but it is Telltale's provenance, not a column of any
 * table (getschema does not list it): a query that names it gets Kusto's error plus what it is.
 */
function sourceHint(query: string, error: { message: string; start: number }): string {
  if (!/^_Source\b/.test(query.slice(error.start).trimStart())) return error.message;
  return (
    `${error.message} _Source is Telltale's provenance column (the file:line of each row), added after ` +
    "the query's own columns; a query can only leave it out: `project-away _Source` or `telltale kql --no-source`."
  );
}

function compile(query: string, options: CompileOptions, warnings: string[]): CompiledQuery {
  const withoutSource = analyzeWithoutSource(query, options.schemas);
  const { dropSource } = withoutSource;
  const { root, diagnostics } = analyzeWithoutMissing(withoutSource.query, options.schemas, withoutSource);
  if (dropSource) options = { ...options, keepSource: false };
  const error = diagnostics.find((d) => d.severity === 'Error' && !tolerated(d, root));
  if (error) throw kqlError(query, error.code, sourceHint(query, error), error.start, error.length);

  // stored columns keep their own names (registered first); the query's other spellings get aliases
  for (const table of options.schemas.values()) for (const col of table.columns) sqlName(col.name);
  const { deferred, ...compiled } = compileRoot(query, root, options, warnings);
  if (!deferred) return compiled;
  // the same analysis again without provenance: no `_Source` read anywhere, the cheapest pass
  const lean = compileRoot(query, root, { ...options, keepSource: false }, []);
  return { ...compiled, lean: { sql: lean.sql, params: lean.params } };
}

function compileRoot(query: string, root: KNode, options: CompileOptions, warnings: string[]) {
  const compilation = new Compilation(query, options);
  for (const w of warnings) warn(compilation, w);
  let main: KNode | undefined;
  for (const statement of root.list('Statements')) {
    if (statement.kind === 'LetStatement') compilation.bindLet(statement);
    else if (statement.kind === 'SetOptionStatement') compilation.setOption(statement);
    else if (statement.kind === 'PatternStatement') compilation.declarePattern(statement);
    else if (statement.kind === 'ExpressionStatement') {
      if (main) compilation.fail(statement, 'more than one query statement');
      main = statement.node('Expression');
    } else compilation.fail(statement);
  }
  if (!main) throw kqlError(query, 'TT002', 'The query has no tabular expression to run.', 0, query.length);
  if (!main.type?.tabular) compilation.fail(main, 'the query result is not a table');
  return compilation.finish(main);
}

export { KqlError };
