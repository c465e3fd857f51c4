/**
 * Scalar KQL expressions → DuckDB SQL, typed by the binder's result types.
 *
 * Invariant: an expression of Kusto type `string` always yields a non-NULL SQL string, because Kusto has
 * no null strings (a missing value is ""). Column reads apply `coalesce(col, '')`; every string function
 * keeps the property. Other types keep Kusto's null rules: `a == b` is false when one side is null and
 * null when both are; `a != b` is true when one side is null; `where` drops rows whose predicate is null.
 */
import type { Compiler, Constant, Env, Expressions, Relation, Scope, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { LiteralError, parseBool, parseDatetime, parseGuid, parseNumber, parseTimespan } from './literals.js';
import { ident, NUMERIC } from './sql.js';
import { STRING_OPERATORS, termMatch, termMatchConstants } from './strings.js';
import { callFunction } from './functions.js';
import { dynamicAccess } from './functions-dynamic.js';
import { dynamicLiteralJson, parseDynamicLiteral } from './dynamic-literal.js';
import { operatorFunction } from './op-functions.js';
import { append } from '../util/append.js';
import { dialect } from './dialect.js';
import { timespanText } from './functions-common.js';

export type { Constant, Env, Sql };

/** Scope of a `let` body or any place without a current row. */
export const NO_ROW: Scope = {
  column(name: string): string {
    throw new Error(`no row in scope for column ${name}`);
  },
};

export function rowScope(): Scope {
  return { column: (name) => ident(name) };
}

const LITERAL_KINDS = new Set([
  'StringLiteralExpression',
  'CompoundStringLiteralExpression',
  'LongLiteralExpression',
  'IntLiteralExpression',
  'RealLiteralExpression',
  'DecimalLiteralExpression',
  'BooleanLiteralExpression',
  'DateTimeLiteralExpression',
  'TimespanLiteralExpression',
  'GuidLiteralExpression',
  'NullLiteralExpression',
  'DynamicExpression',
]);

export function constant(node: KNode, c: Compiler): Constant | undefined {
  if (node.kind === 'ParenthesizedExpression') return constant(node.node('Expression')!, c);
  if (
    node.kind === 'NameReference' &&
    (node.symbol?.kind === 'Variable' || node.symbol?.kind === 'Parameter')
  ) {
    const bound = c.letExpression(node.symbol.key);
    return bound ? constant(bound, c) : undefined;
  }
  if (!LITERAL_KINDS.has(node.kind)) return undefined;
  const type = node.type?.name ?? 'unknown';
  try {
    const value = literalValue(node);
    return node.kind === 'DynamicExpression' ? { value, type, json: dynamicJson(node) } : { value, type };
  } catch (err) {
    if (err instanceof LiteralError) c.fail(node, err.message);
    throw err;
  }
}

const dynamicInner = (node: KNode) => /^\s*dynamic\s*\(([\s\S]*)\)\s*$/i.exec(node.text)?.[1] ?? '';

/** The literal's JSON text keeping reals (`1.0`), or undefined where only the value could be read. */
function dynamicJson(node: KNode): string | undefined {
  try {
    return dynamicLiteralJson(dynamicInner(node));
  } catch {
    return undefined;
  }
}

function literalValue(node: KNode): unknown {
  switch (node.kind) {
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      if (node.literalText === undefined) throw new LiteralError('string literal without a value');
      return node.literalText;
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression':
      return parseNumber(node.text);
    case 'BooleanLiteralExpression':
      return parseBool(node.text);
    case 'DateTimeLiteralExpression':
      return parseDatetime(node.text);
    case 'TimespanLiteralExpression':
      return parseTimespan(node.text);
    case 'GuidLiteralExpression':
      return parseGuid(node.text);
    case 'NullLiteralExpression':
      return null;
    case 'DynamicExpression': {
      try {
        return JSON.parse(node.literalText ?? 'null');
      } catch {
        // Kusto's own forms: 'single quotes', @'verbatim', datetime(…) …
        return parseDynamicLiteral(dynamicInner(node));
      }
    }
  }
  throw new LiteralError(`not a literal: ${node.kind}`);
}

/** SQL for a constant, always as a parameter. */
function constantSql(k: Constant, c: Compiler): Sql {
  if (k.type === 'dynamic')
    return {
      sql: c.params.add(k.value === null ? null : (k.json ?? JSON.stringify(k.value)), 'dynamic'),
      type: k.type,
    };
  if (k.type === 'string') return { sql: c.params.add(k.value ?? '', 'string'), type: k.type };
  return { sql: c.params.add(k.value, k.type), type: k.type };
}

const ARITHMETIC: Record<string, string> = {
  AddExpression: '+',
  SubtractExpression: '-',
  MultiplyExpression: '*',
  DivideExpression: '/',
  ModuloExpression: '%',
};

const ORDERING: Record<string, string> = {
  LessThanExpression: '<',
  LessThanOrEqualExpression: '<=',
  GreaterThanExpression: '>',
  GreaterThanOrEqualExpression: '>=',
};

export function scalar(node: KNode, outer: Env): Sql {
  const filter = outer.filter === true;
  const env = filter ? { ...outer, filter: false } : outer;
  const own = env.intercept?.(node, env);
  if (own) return own;
  const { c } = env;
  const type = node.type?.name ?? 'unknown';
  const k = constant(node, c);
  if (k && node.kind !== 'NameReference') return constantSql(k, c);

  switch (node.kind) {
    case 'ParenthesizedExpression': {
      const inner = scalar(node.node('Expression')!, outer);
      return { sql: `(${inner.sql})`, type: inner.type };
    }
    case 'NameReference':
      return nameReference(node, env);
    case 'PathExpression':
    case 'ElementExpression':
      return dynamicAccess(node, env);
    case 'FunctionCallExpression':
      return operatorFunction(node, env) ?? callFunction(node, env);
    case 'AndExpression':
    case 'OrExpression': {
      const l = scalar(node.node('Left')!, outer);
      const r = scalar(node.node('Right')!, outer);
      return { sql: `(${l.sql} ${node.kind === 'AndExpression' ? 'AND' : 'OR'} ${r.sql})`, type: 'bool' };
    }
    case 'EqualExpression':
    case 'NotEqualExpression':
      return equality(node, env, filter);
    case 'UnaryMinusExpression':
      return { sql: `(- ${scalar(node.node('Expression')!, env).sql})`, type };
    case 'UnaryPlusExpression':
      return scalar(node.node('Expression')!, env);
    case 'InExpression':
    case 'InCsExpression':
    case 'NotInExpression':
    case 'NotInCsExpression':
      return inList(node, env, filter);
    case 'HasAnyExpression':
    case 'HasAllExpression':
      return hasAnyAll(node, env);
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return between(node, env);
    case 'ToScalarExpression': {
      const inner = node.node('Expression')!;
      if (!inner.type?.tabular) return scalar(inner, env); // toscalar(1 + x): already a scalar
      const rel = c.tabularRows(inner);
      if (rel.columns.length === 0) c.fail(node, 'toscalar of a table without columns');
      return { sql: `(SELECT ${ident(rel.columns[0].name)} FROM ${rel.from} LIMIT 1)`, type };
    }
  }
  if (node.kind in ARITHMETIC) return arithmetic(node, ARITHMETIC[node.kind], env);
  if (node.kind in ORDERING) {
    const [l, r] = comparable(node, scalar(node.node('Left')!, env), scalar(node.node('Right')!, env), env);
    return { sql: `(${l.sql} ${ORDERING[node.kind]} ${r.sql})`, type: 'bool' };
  }
  if (node.kind === 'EqualTildeExpression' && filter) {
    const fast = equalTildeFilter(node, env);
    if (fast) return fast;
  }
  const stringOp = STRING_OPERATORS[node.kind];
  if (stringOp) {
    const hay = asString(scalar(node.node('Left')!, env), node, env);
    const right = node.node('Right')!;
    const k2 = constant(right, c);
    const known = typeof k2?.value === 'string' ? k2.value : undefined;
    const needle =
      known === undefined || !stringOp.usesConstant ? asString(scalar(right, env), right, env) : '';
    const test = stringOp.test(hay, needle, known, c.params);
    return { sql: stringOp.negated ? `(NOT ${test})` : test, type: 'bool' };
  }
  return c.fail(node);
}

function nameReference(node: KNode, env: Env): Sql {
  const symbol = node.symbol;
  let type = node.type?.name ?? symbol?.type?.name ?? 'unknown';
  if (symbol?.kind === 'Column') {
    // a column of an open schema (bag_unpack): its type comes from the data
    if (type === 'unknown') type = env.c.openColumns.get(symbol.name) ?? 'dynamic';
    const raw = env.scope.column(node.simpleName ?? symbol.name);
    return { sql: type === 'string' ? `coalesce(${raw}, '')` : raw, type };
  }
  if (symbol?.kind === 'Variable' || symbol?.kind === 'Parameter') {
    const bound = env.c.letExpression(symbol.key);
    if (!bound) return env.c.fail(node, 'variable without a let');
    if (bound.type?.tabular) return env.c.fail(node, 'tabular variable used as a scalar');
    // a function's parameters (and lets computed from them) read the caller's row
    return scalar(bound, symbol.kind === 'Parameter' ? env : { ...env, aggregate: false });
  }
  return env.c.fail(node, `reference to a ${symbol?.kind ?? 'unknown'} symbol`);
}

/** Kusto converts non-string operands of string operators to strings. */
export function asString(s: Sql, node: KNode, env: Env): string {
  return s.type === 'string' ? s.sql : toStringSql(s, node, env);
}

export function toStringSql(s: Sql, node: KNode, env: Env): string {
  switch (s.type) {
    case 'string':
      return s.sql;
    case 'guid':
      return `coalesce(${s.sql}, '')`;
    case 'bool':
      return `coalesce(CASE WHEN ${s.sql} THEN 'true' ELSE 'false' END, '')`;
    case 'datetime': // ISO 8601 like Kusto: fractional seconds only when present
      return (
        `coalesce(CASE WHEN ${dialect.epochMicros(s.sql)} % 1000000 = 0 THEN strftime(${s.sql}, '%Y-%m-%dT%H:%M:%SZ') ` +
        `ELSE ${dialect.isoTicks(s.sql)} END, '')`
      );
    case 'dynamic': // a JSON string value converts to its text, anything else to its JSON
      return `coalesce(CASE WHEN ${dialect.jsonType(s.sql)} = 'VARCHAR' THEN ${s.sql} ->> '$' ELSE CAST(${s.sql} AS VARCHAR) END, '')`;
    case 'timespan':
      return timespanText(s.sql);
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return `coalesce(CAST(${s.sql} AS VARCHAR), '')`;
  }
  return env.c.fail(node, `conversion of ${s.type} to string`);
}

/**
 * Operands of a comparison in one type family. Kusto compares a bool with a number as 0 / 1
 * (`IsPrivate == 1`), and a number with a string by reading the string as a number (a string that is
 * not a number reads as null, so `==` is false and `!=` true). Other mixes are refused with the position.
 */
function comparable(node: KNode, l: Sql, r: Sql, env: Env): [Sql, Sql] {
  const family = (t: string) => (NUMERIC.has(t) ? 'number' : t === 'guid' ? 'string' : t);
  const [a, b] = [family(l.type), family(r.type)];
  if (a === b || a === 'dynamic' || b === 'dynamic' || a === 'null' || b === 'null') return [l, r];
  const toNumber = (s: Sql, other: string): Sql => {
    if (s.type === 'bool') return { sql: `CAST(${s.sql} AS INTEGER)`, type: 'int' };
    if (s.type === 'string' && other === 'number')
      return { sql: `TRY_CAST(nullif(trim(${s.sql}), '') AS DOUBLE)`, type: 'real' };
    return s;
  };
  const [cl, cr] = [toNumber(l, b), toNumber(r, a)];
  if (!NUMERIC.has(cl.type) || !NUMERIC.has(cr.type))
    env.c.fail(node, `comparison of ${l.type} with ${r.type}`);
  return [cl, cr];
}

/**
 * `col =~ "Text"` in a filter: a missing string ('') never equals a non-empty constant, so the raw column
 * is compared (no coalesce) with the constant lower-cased once here when it is ASCII (DuckDB's `lower`
 * is then the same mapping), which lets DuckDB push the test into the scan.
 */
function equalTildeFilter(node: KNode, env: Env): Sql | undefined {
  const [left, right] = [node.node('Left')!, node.node('Right')!];
  const k = constant(right, env.c);
  const raw = rawColumn(left, env);
  if (!raw || left.type?.name !== 'string' || typeof k?.value !== 'string' || k.value === '')
    return undefined;
  const ascii = /^[\x00-\x7f]*$/.test(k.value);
  const needle = ascii
    ? env.c.params.add(k.value.toLowerCase(), 'string')
    : `lower(${env.c.params.add(k.value, 'string')})`;
  return { sql: `(lower(${raw}) = ${needle})`, type: 'bool' };
}

/** The raw (nullable) SQL of a plain column reference. */
function rawColumn(node: KNode, env: Env): string | undefined {
  if (node.kind !== 'NameReference' || node.symbol?.kind !== 'Column') return undefined;
  return env.scope.column(node.simpleName ?? node.symbol.name);
}

function equality(node: KNode, env: Env, filter: boolean): Sql {
  const left = node.node('Left')!;
  const right = node.node('Right')!;
  const eq = node.kind === 'EqualExpression';
  const kl = constant(left, env.c);
  const kr = constant(right, env.c);
  const [l, r] = comparable(node, scalar(left, env), scalar(right, env), env);
  if (l.type === 'string' || r.type === 'string') {
    // in a filter, a missing string ('' in Kusto) can never equal a non-empty constant: compare the raw column
    const [col, k, other] = kr ? [left, kr, r] : [right, kl, l];
    const raw = rawColumn(col, env);
    if (filter && eq && raw && typeof k?.value === 'string' && k.value !== '') {
      return { sql: `(${raw} = ${other.sql})`, type: 'bool' };
    }
    const ls = asString(l, left, env);
    const rs = asString(r, right, env);
    return { sql: `(${ls} ${eq ? '=' : '<>'} ${rs})`, type: 'bool' };
  }
  const known = [kl, kr].some((k) => k && k.value !== null);
  if (known && eq && filter) return { sql: `(${l.sql} = ${r.sql})`, type: 'bool' };
  const test = eq ? `coalesce(${l.sql} = ${r.sql}, false)` : `coalesce(${l.sql} <> ${r.sql}, true)`;
  if (known) return { sql: test, type: 'bool' };
  return {
    sql: `(CASE WHEN ${l.sql} IS NULL AND ${r.sql} IS NULL THEN NULL ELSE ${test} END)`,
    type: 'bool',
  };
}

function arithmetic(node: KNode, op: string, env: Env): Sql {
  const type = node.type?.name ?? 'unknown';
  // a dynamic operand (a `toscalar` of percentilesw, a bag property) counts as a number when it holds one
  const numeric = (s: Sql): Sql =>
    s.type === 'dynamic' ? { sql: `TRY_CAST(${s.sql} AS DOUBLE)`, type: 'real' } : s;
  const l = numeric(scalar(node.node('Left')!, env));
  const r = numeric(scalar(node.node('Right')!, env));
  if (type === 'dynamic' && NUMERIC.has(l.type) && NUMERIC.has(r.type))
    return { sql: dialect.toJson(`${l.sql} ${op === '/' ? '/' : op} ${r.sql}`), type };
  if (NUMERIC.has(type) && NUMERIC.has(l.type) && NUMERIC.has(r.type)) {
    const duck = dialect.type(type)!;
    // Kusto integer division truncates; DuckDB's `/` would return a double
    const sqlOp = op === '/' && (type === 'long' || type === 'int') ? '//' : op;
    return { sql: `(CAST(${l.sql} AS ${duck}) ${sqlOp} CAST(${r.sql} AS ${duck}))`, type };
  }
  const temporal = (t: string) => t === 'datetime' || t === 'timespan';
  if ((op === '+' || op === '-') && temporal(l.type) && temporal(r.type)) {
    return { sql: `(${l.sql} ${op} ${r.sql})`, type };
  }
  if (type === 'timespan' && (op === '*' || op === '/')) {
    const [span, factor] = l.type === 'timespan' ? [l, r] : [r, l];
    if (NUMERIC.has(factor.type) && (op === '*' || span === l)) {
      return {
        sql: dialect.intervalFromMicros(
          `CAST(round(${dialect.intervalMicros(span.sql)} ${op} ${factor.sql}) AS BIGINT)`,
        ),
        type,
      };
    }
  }
  if (op === '/' && l.type === 'timespan' && r.type === 'timespan') {
    return { sql: `(${dialect.intervalMicros(l.sql)} / ${dialect.intervalMicros(r.sql)})`, type };
  }
  return env.c.fail(node, `${l.type} ${op} ${r.type}`);
}

/** Elements of an `in` / `has_any` list: constants (arrays flattened) and other scalar expressions. */
interface ListItems {
  constants: unknown[];
  expressions: Sql[];
  subquery?: Relation;
}

function listItems(list: KNode, env: Env, allowSubquery: boolean): ListItems {
  const items: ListItems = { constants: [], expressions: [] };
  const elements = list.list('Expressions');
  for (const element of elements) {
    if (element.type?.tabular) {
      if (!allowSubquery || elements.length !== 1) env.c.fail(element, 'tabular expression in a list');
      items.subquery = env.c.tabularRows(element);
      continue;
    }
    const k = constant(element, env.c);
    if (k === undefined) items.expressions.push(scalar(element, env));
    else if (Array.isArray(k.value)) append(items.constants, k.value as unknown[]);
    else items.constants.push(k.value);
  }
  return items;
}

function inList(node: KNode, env: Env, filter: boolean): Sql {
  const operator = node.token('Operator') ?? '';
  const negated = operator.startsWith('!');
  const ci = operator.endsWith('~');
  const leftNode = node.node('Left')!;
  const left = scalar(leftNode, env);
  const isString = left.type === 'string';
  const fold = (sql: string) => (ci && isString ? `lower(${sql})` : sql);
  const items = listItems(node.node('Right')!, env, true);
  const members: string[] = [];
  for (const value of items.constants) {
    if (value === null) continue; // null is in no list
    if (isString) {
      if (typeof value === 'object') env.c.fail(node, 'non-scalar value in the list');
      members.push(fold(env.c.params.add(String(value), 'string')));
    } else if (NUMERIC.has(left.type) && (typeof value === 'number' || typeof value === 'bigint')) {
      members.push(env.c.params.add(value, left.type));
    } else if (NUMERIC.has(left.type) && typeof value === 'string') {
      // a number against a string list: the string read as a number, as in a comparison; one that is
      // not a number matches nothing
      const n = value.trim() === '' ? Number.NaN : Number(value);
      // an integer against an int / long column stays an integer (no per-row cast of the column)
      const integral =
        Number.isSafeInteger(n) && (left.type === 'long' || (left.type === 'int' && Math.abs(n) < 2 ** 31));
      if (Number.isFinite(n)) members.push(env.c.params.add(n, integral ? left.type : 'real'));
    } else if (left.type === 'bool' && typeof value === 'boolean') {
      members.push(env.c.params.add(value, 'bool'));
    } else {
      env.c.fail(node, `${typeof value} value in a list compared with ${left.type}`);
    }
  }
  for (const e of items.expressions) members.push(fold(isString ? asString(e, node, env) : e.sql));
  // a string is never null; elsewhere `null in (...)` is false, not null, so that `!in` keeps the row
  const guard = (sql: string) => (isString || (filter && !negated) ? sql : `coalesce(${sql}, false)`);
  let test: string;
  if (items.subquery) {
    const rel = items.subquery;
    if (rel.columns.length === 0) env.c.fail(node, 'subquery without columns');
    const column = rel.columns[0];
    const raw = ident(column.name);
    // a dynamic column (`summarize make_list(x)`, the usual idiom) contributes its array's elements
    const element = `unnest(CASE WHEN ${dialect.jsonType(raw)} = 'ARRAY' THEN CAST(${raw} AS JSON[]) ELSE [${raw}] END)`;
    const value =
      column.type === 'dynamic'
        ? `${isString ? fold(toStringSql({ sql: '_tt_e', type: 'dynamic' }, node, env)) : `TRY_CAST(_tt_e AS ${dialect.type(left.type) ?? 'VARCHAR'})`} FROM (SELECT ${element} AS _tt_e FROM ${rel.from})`
        : `${isString ? fold(column.type === 'string' ? `coalesce(${raw}, '')` : `CAST(${raw} AS VARCHAR)`) : raw} FROM ${rel.from}`;
    test = guard(`${fold(left.sql)} IN (SELECT ${value})`);
  } else if (members.length === 0) {
    test = 'false';
  } else {
    // in a filter, a missing string cannot be in a list of non-empty constants: test the raw column
    const raw = rawColumn(leftNode, env);
    const nonEmpty = items.expressions.length === 0 && items.constants.every((v) => v !== '' && v !== null);
    const subject = filter && !negated && !ci && isString && raw && nonEmpty ? raw : fold(left.sql);
    test = guard(`${subject} IN (${members.join(', ')})`);
  }
  return { sql: negated ? `(NOT ${test})` : test, type: 'bool' };
}

function hasAnyAll(node: KNode, env: Env): Sql {
  const hay = asString(scalar(node.node('Left')!, env), node, env);
  const items = listItems(node.node('Right')!, env, node.kind === 'HasAnyExpression');
  if (items.subquery) return { sql: hasAnySubquery(hay, items.subquery, node, env), type: 'bool' };
  if (items.expressions.length > 0) return { sql: hasAnyPerRow(hay, items, node, env), type: 'bool' };
  const needles = items.constants
    .filter((v) => v !== null)
    .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  if (node.kind === 'HasAllExpression') {
    if (needles.length === 0) return { sql: 'true', type: 'bool' };
    const tests = needles.map((n) => termMatchConstants(hay, [n], 'has', false, env.c.params));
    return { sql: `(${tests.join(' AND ')})`, type: 'bool' };
  }
  if (needles.length === 0) return { sql: 'false', type: 'bool' };
  return { sql: termMatchConstants(hay, needles, 'has', false, env.c.params), type: 'bool' };
}

/**
 * `has_any (x, list)` with needles known only per row (a column, a `toscalar` bound to a parameter):
 * one term test per needle, with dynamic arrays contributing their elements.
 */
function hasAnyPerRow(hay: string, items: ListItems, node: KNode, env: Env): string {
  const element = toStringSql({ sql: '_tt_v', type: 'dynamic' }, node, env);
  const lists = items.expressions.map((e) =>
    e.type === 'dynamic'
      ? dialect.listTransform(
          `(CASE WHEN ${e.sql} IS NULL THEN CAST([] AS JSON[]) WHEN ${dialect.jsonType(e.sql)} = 'ARRAY' THEN CAST(${e.sql} AS JSON[]) ELSE [${e.sql}] END)`,
          '_tt_v',
          element,
        )
      : `[${asString(e, node, env)}]`,
  );
  const constants = items.constants
    .filter((v) => v !== null)
    .map((v) => env.c.params.add(typeof v === 'object' ? JSON.stringify(v) : String(v), 'string'));
  if (constants.length) lists.push(`[${constants.join(', ')}]`);
  const needles = dialect.listFilter(`flatten([${lists.join(', ')}])`, '_tt_n', '_tt_n IS NOT NULL');
  const found = `len(${dialect.listFilter(needles, '_tt_n', termMatch(hay, '_tt_n', 'has', false))})`;
  const all = node.kind === 'HasAllExpression';
  return `coalesce(${found} ${all ? `= len(${needles})` : '> 0'}, ${all ? 'true' : 'false'})`;
}

/**
 * `has_any (T)` with a one-column table (a feed), in time linear in rows + needles. A needle that starts
 * and ends with a letter or digit (nearly all: domains, addresses, words) can only match a run of the
 * haystack from the start of one term to the end of a later one; so each distinct haystack's such runs
 * (up to as many terms as the longest needle has) are listed and semi-joined with the needles — a hash
 * join, not the nested loop of a term test per row and needle. The few other needles (a leading or
 * trailing separator, as in `/bin/`, or more than MAX_RUN_TERMS terms) keep that per-needle test; an
 * empty needle matches every row. (The bound is a constant: a bound read from the needles was
 * re-evaluated per haystack, 18 s for 100k names × 20k needles against 0.14 s.)
 * Inner names carry a `_tt_` prefix so they cannot capture a column the haystack reads.
 */
/** Needles of up to this many terms are matched by runs (has_any over a table). */
const MAX_RUN_TERMS = 16;

function hasAnySubquery(hay: string, rel: Relation, node: KNode, env: Env): string {
  const column = rel.columns[0];
  if (!column) return env.c.fail(node, 'has_any over a table without columns');
  const raw = ident(column.name);
  const value = column.type === 'string' ? raw : `CAST(${raw} AS VARCHAR)`;
  const needles = `(SELECT lower(${value}) AS _tt_n FROM ${rel.from} WHERE ${value} IS NOT NULL)`;
  const byRun =
    `regexp_full_match(_tt_n, '(?s)[0-9a-z](?:.*[0-9a-z])?') ` +
    `AND ${dialect.listLength(`regexp_extract_all(_tt_n, '[0-9a-z]+')`)} <= ${MAX_RUN_TERMS}`;
  const h = `lower(${hay})`;
  // _tt_e: the haystack split at separators (empty at the ends when it starts or ends with one);
  // _tt_l: terms and separators interleaved, so a run of terms i..j is one list slice
  const runs = `flatten(${dialect.listTransform(`range(1, ${dialect.listLength('_tt_e')} + 1)`, '_tt_i', dialect.listTransform(`range(_tt_i, least(${dialect.listLength('_tt_e')}, _tt_i + ${MAX_RUN_TERMS - 1}) + 1)`, '_tt_j', `CASE WHEN _tt_e[_tt_i] <> '' AND _tt_e[_tt_j] <> '' THEN array_to_string(list_slice(_tt_l, 2 * _tt_i - 1, 2 * _tt_j - 1), '') END`))})`;
  const split =
    `SELECT _tt_e, flatten(${dialect.listTransform(`range(1, ${dialect.listLength('_tt_e')} + 1)`, '_tt_x', `[_tt_e[_tt_x], coalesce(_tt_s[_tt_x], '')]`)}) AS _tt_l ` +
    `FROM (SELECT regexp_split_to_array(${h}, '[^0-9a-z]+') AS _tt_e, regexp_extract_all(${h}, '[^0-9a-z]+') AS _tt_s)`;
  const byRuns = `EXISTS (SELECT 1 FROM (SELECT unnest(${runs}) AS _tt_c FROM (${split})) WHERE _tt_c IN (SELECT _tt_n FROM ${needles} WHERE ${byRun}))`;
  const empty = `EXISTS (SELECT 1 FROM ${needles} WHERE _tt_n = '')`;
  const other = `EXISTS (SELECT 1 FROM ${needles} _tt_sub WHERE _tt_n <> '' AND NOT (${byRun}) AND ${termMatch(hay, '_tt_sub._tt_n', 'has', false)})`;
  return `(${byRuns} OR ${empty} OR ${other})`;
}

function between(node: KNode, env: Env): Sql {
  const value = scalar(node.node('Left')!, env);
  const couple = node.node('Right')!;
  const lo = scalar(couple.node('First')!, env);
  let hi = scalar(couple.node('Second')!, env);
  // `between (datetime(...) .. 1d)`: the upper bound may be a span from the lower one
  if (value.type === 'datetime' && hi.type === 'timespan')
    hi = { sql: `(${lo.sql} + ${hi.sql})`, type: 'datetime' };
  const test = `(${value.sql} BETWEEN ${lo.sql} AND ${hi.sql})`;
  return { sql: node.kind === 'NotBetweenExpression' ? `(NOT ${test})` : test, type: 'bool' };
}

/** The translator as the compile context hands it to functions and operators. */
export const EXPRESSIONS: Expressions = { scalar, asString, toStringSql, constant };
