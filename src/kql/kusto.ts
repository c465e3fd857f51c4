/**
 * Adapter over Microsoft's Kusto.Language (the Bridge.NET build in @kusto/language-service-next).
 *
 * This is the only module that touches its generated API (`$ctorN` constructors, `getItem`, `System.Enum`,
 * Bridge type names). The translator sees plain typed views instead: KNode (a bound syntax node), KType
 * (a result type, with columns for tables) and KSymbol (what a name refers to). The package is large
 * (~0.2 s to load, ~0.7 s first parse), so it is loaded on first use only.
 */
import { createRequire } from 'node:module';
import type { KqlType, SchemaSet } from '../store/schema.js';

/** Kusto's own diagnostic (code like KS142, 0-based character offset into the query). */
export interface KDiagnostic {
  code: string;
  message: string;
  severity: string;
  start: number;
  length: number;
}

export interface KColumn {
  name: string;
  type: string;
}

/** A result type: scalar (`string`, `long`, …), tuple or tabular (with columns, in Kusto's order). */
export interface KType {
  name: string;
  tabular: boolean;
  columns: KColumn[];
}

/** What a name refers to. `key` is the binder's symbol object: compare keys to match a `let` to its uses. */
export interface KSymbol {
  kind: string; // SymbolKind: Column, Table, Variable, Function, …
  name: string;
  type: KType | undefined;
  key: unknown;
}

/** A syntax node of the bound tree. Property names are Kusto.Language's (Condition, Expressions, …). */
export interface KNode {
  readonly kind: string; // SyntaxKind, e.g. FilterOperator, HasAnyExpression
  readonly start: number;
  readonly length: number;
  readonly text: string;
  /** A child node held in a named property, if present. */
  node(property: string): KNode | undefined;
  /** A SyntaxList property, with separators dropped. */
  list(property: string): KNode[];
  /** The text of a token held in a named property (e.g. 'AscOrDescKeyword'), if present. */
  token(property: string): string | undefined;
  /** The enclosing node, if any. */
  readonly parent: KNode | undefined;
  /** The simple name of a NameReference / NameDeclaration. */
  readonly simpleName: string | undefined;
  readonly type: KType | undefined;
  readonly symbol: KSymbol | undefined;
  /** The column name Kusto gives this expression when it is not named (`todynamic(x)` → x), or ''. */
  readonly resultName: string;
  /** Kusto's decoded value for string and dynamic literals (escapes, verbatim and multi-part strings). */
  readonly literalText: string | undefined;
  /** Columns of the row an expression reads: the input of its nearest enclosing pipe operator. */
  readonly rowColumns: KColumn[] | undefined;
  /** This node and every node below it of one of these kinds (all kinds when none given), in text order. */
  find(...kinds: string[]): KNode[];
}

export interface Analysis {
  root: KNode;
  diagnostics: KDiagnostic[];
}

interface Runtime {
  K: any;
  System: any;
  Bridge: any;
}

let runtime: Runtime | undefined;

function load(): Runtime {
  if (!runtime) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    const g = globalThis as any;
    runtime = { K: g.Kusto.Language, System: g.System, Bridge: g.Bridge };
  }
  return runtime;
}

// The binder only knows Kusto's type names; our schemas also say 'double' (an alias of real).
const KUSTO_TYPE: Record<KqlType, string> = {
  string: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  decimal: 'decimal',
  bool: 'bool',
  datetime: 'datetime',
  timespan: 'timespan',
  dynamic: 'dynamic',
  guid: 'guid',
};

function schemaName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
    ? name
    : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

const globalsCache = new WeakMap<SchemaSet, unknown>();

/**
 * `schema_merge([PreserveOrder])`: Kusto.Language 12.4.1 defines the plugin but leaves it out of its list
 * (so the binder reports KS124), and with PreserveOrder required where the documentation has it optional.
 * Declared here as documented: getschema's four columns, one optional bool.
 */
function schemaMerge(): unknown {
  const { K, System } = load();
  const S = K.Symbols;
  const column = (name: string, type: unknown) => new S.ColumnSymbol(name, type);
  const result = new S.TableSymbol.ctor(
    System.Array.init(
      [
        column('ColumnName', S.ScalarTypes.String),
        column('ColumnOrdinal', S.ScalarTypes.Int),
        column('DataType', S.ScalarTypes.String),
        column('ColumnType', S.ScalarTypes.String),
      ],
      S.ColumnSymbol,
    ),
  );
  // (name, type, kind, values, examples, isCaseSensitive, defaultValueIndicator, minOccurring, maxOccurring, …)
  const preserveOrder = new S.Parameter.$ctor3(
    'PreserveOrder',
    S.ScalarTypes.Bool,
    S.ArgumentKind.Literal,
    undefined,
    undefined,
    false,
    undefined,
    0,
    1,
    undefined,
    undefined,
  );
  return new S.FunctionSymbol.$ctor5('schema_merge', result, [preserveOrder]);
}

function globalsFor(schemas: SchemaSet): unknown {
  let globals = globalsCache.get(schemas);
  if (!globals) {
    const { K } = load();
    const tables = [...schemas.values()].map(
      (t) =>
        new K.Symbols.TableSymbol.$ctor7(
          t.table,
          `(${t.columns.map((c) => `${schemaName(c.name)}:${KUSTO_TYPE[c.type]}`).join(', ')})`,
          null,
        ),
    );
    const database = new K.Symbols.DatabaseSymbol.$ctor1('telltale', tables, false);
    globals = K.GlobalState.Default.WithDatabase(database).WithPlugIns(K.PlugIns.All.concat([schemaMerge()]));
    globalsCache.set(schemas, globals);
  }
  return globals;
}

function listItems(list: any): any[] {
  const items: any[] = [];
  if (!list) return items;
  const count: number = list.Count ?? list.ChildCount ?? 0;
  for (let i = 0; i < count; i++) {
    const item = typeof list.getItem === 'function' ? list.getItem(i) : list.GetChild(i);
    items.push(item);
  }
  return items;
}

function toType(raw: any): KType | undefined {
  if (!raw) return undefined;
  const { Bridge } = load();
  const typeName = String(Bridge.getTypeName(raw));
  const tabular = typeName.endsWith('TableSymbol');
  // tuples (arg_max, percentiles: aggregates yielding several columns) list their columns too
  const columns =
    tabular || typeName.endsWith('TupleSymbol')
      ? listItems(raw.Columns).map((c: any) => ({
          name: String(c.Name),
          type: String(c.Type?.Name ?? 'unknown'),
        }))
      : [];
  return { name: String(raw.Name ?? ''), tabular, columns };
}

class Node implements KNode {
  constructor(
    private readonly raw: any,
    private readonly source: string,
  ) {}

  get kind(): string {
    const { K, System } = load();
    return String(System.Enum.toString(K.Syntax.SyntaxKind, this.raw.Kind));
  }
  get start(): number {
    return this.raw.TextStart;
  }
  get length(): number {
    return this.raw.Width;
  }
  get text(): string {
    return this.source.slice(this.start, this.start + this.length);
  }
  node(property: string): KNode | undefined {
    const child = this.raw[property];
    return child ? new Node(child, this.source) : undefined;
  }
  list(property: string): KNode[] {
    const { Bridge } = load();
    return listItems(this.raw[property]).map((item) => {
      // SeparatedElement<T> wraps each element of a comma-separated list
      const element = String(Bridge.getTypeName(item)).includes('SeparatedElement') ? item.Element : item;
      return new Node(element, this.source);
    });
  }
  token(property: string): string | undefined {
    const token = this.raw[property];
    return token && !token.IsMissing ? String(token.Text) : undefined;
  }
  get parent(): KNode | undefined {
    return this.raw.Parent ? new Node(this.raw.Parent, this.source) : undefined;
  }
  get simpleName(): string | undefined {
    return typeof this.raw.SimpleName === 'string' ? this.raw.SimpleName : undefined;
  }
  get type(): KType | undefined {
    return toType(this.raw.ResultType);
  }
  get symbol(): KSymbol | undefined {
    const symbol = this.raw.ReferencedSymbol;
    if (!symbol) return undefined;
    const { K, System } = load();
    return {
      kind: String(System.Enum.toString(K.Symbols.SymbolKind, symbol.Kind)),
      name: String(symbol.Name),
      type: toType(symbol.Type),
      key: symbol,
    };
  }
  get rowColumns(): KColumn[] | undefined {
    const { K, System } = load();
    for (let n = this.raw; n; n = n.Parent) {
      const parent = n.Parent;
      const isPipe =
        parent && String(System.Enum.toString(K.Syntax.SyntaxKind, parent.Kind)) === 'PipeExpression';
      if (isPipe && parent.Operator === n) return toType(parent.Expression?.ResultType)?.columns;
    }
    return undefined;
  }
  get resultName(): string {
    const { K } = load();
    return String(K.Binding.Binder.GetExpressionResultName(this.raw, '') ?? '');
  }
  get literalText(): string | undefined {
    const value = this.raw.LiteralValue;
    return typeof value === 'string' ? value : undefined;
  }
  find(...kinds: string[]): KNode[] {
    const { K } = load();
    const wanted = new Set(kinds.map((k) => K.Syntax.SyntaxKind[k]));
    const found: KNode[] = [];
    this.raw.WalkElements((el: any) => {
      if (!el.IsToken && (wanted.size === 0 || wanted.has(el.Kind))) found.push(new Node(el, this.source));
    });
    return found;
  }
}

/** The syntax tree alone (no binding, no schemas): for analyses of a query's text that must not be fooled by strings or comments. */
export function parseSyntax(query: string): KNode {
  const { K } = load();
  return new Node(K.KustoCode.Parse(query).Syntax, query);
}

/** Parses and binds a query against the schemas. Never throws for bad queries: see `diagnostics`. */
export function analyze(query: string, schemas: SchemaSet): Analysis {
  const { K } = load();
  const code = K.KustoCode.ParseAndAnalyze(query, globalsFor(schemas));
  const diagnostics = listItems(code.GetDiagnostics()).map((d: any) => ({
    code: String(d.Code),
    message: String(d.Message),
    severity: String(d.Severity),
    start: Number(d.Start),
    length: Number(d.Length),
  }));
  return { root: new Node(code.Syntax, query), diagnostics };
}
