/**
 * `search` (Kusto's search operator page): `T | search P` and `search [kind=…] in (T1, T2 …) P` → the
 * union of the sources (a `$table` column naming each row's source, columns aligned as union aligns
 * them) filtered by the search predicate P. P's terms follow the page's table: a bare string literal is
 * a term match over every column (`"err"` has, `"err*"` hasprefix, `"*err"` hassuffix, `"*err*"`
 * contains, `"a*b"` matches regex \ba.*b\b), `Col:"err"` the same on one column, `*` every row; any
 * other expression (`Col == 5`, `Col matches regex "…"`, comparisons) is an ordinary predicate, and
 * `and` / `or` / parentheses combine them. kind=case_sensitive makes the terms case-sensitive.
 *
 * A search without a source searches every table and view of the database: its columns (which the
 * binder takes from every table of the schema) depend on the database, so it is TT001; so is a piped
 * input that is not a table or let name (Kusto names its $table with a generated name).
 */
import type { Column, Compiler, Env, Relation, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { rowScope, scalar } from './expr.js';
import { label, parameter, unionAll } from './op-union.js';
import { STRING_OPERATORS, substringMatch, termMatchConstants } from './strings.js';
import { ident } from './sql.js';

const TABLE_COLUMN = '$table';

/** `T | search …` (input given) or `search in (…) …` (input undefined). */
export function search(op: KNode, input: Relation | undefined, out: Column[], c: Compiler): Relation {
  const kind = parameter(op, 'kind')?.node('Expression')?.text.trim().toLowerCase() ?? 'default';
  if (!['default', 'case_insensitive', 'case_sensitive'].includes(kind))
    return c.fail(op, `search kind=${kind}`);
  const cs = kind === 'case_sensitive';
  const sources = input ? [piped(op, input, c)] : scoped(op, c);
  const rel = unionAll(sources, out, TABLE_COLUMN, c);
  const condition = op.node('Condition');
  if (!condition) return c.fail(op, 'search without a predicate');
  const env: Env = { c, scope: rowScope(), aggregate: false };
  const where = predicate(condition, rel.columns, cs, env);
  return { ...rel, from: c.cte(`SELECT * FROM ${rel.from} WHERE ${where}`) };
}

/** The piped input, labelled by the table or let name it reads. */
function piped(op: KNode, input: Relation, c: Compiler): { rel: Relation; label: string } {
  const left = op.parent?.kind === 'PipeExpression' ? op.parent.node('Expression') : undefined;
  const name = label(left, 0);
  if (name === 'union_arg0')
    return c.fail(op, 'search over a piped expression that is not a table or let name ($table unknown)');
  return { rel: input, label: name };
}

/** The sources of `in (T1, T2 …)`. */
function scoped(op: KNode, c: Compiler): { rel: Relation; label: string }[] {
  const list = op.node('InClause')?.list('Expressions');
  if (!list?.length)
    return c.fail(
      op,
      'search over the whole database (its columns depend on every table): name the tables with search in (T1, T2)',
    );
  return list.map((e, i) => ({ rel: c.tabular(e), label: label(e, i) }));
}

/** SQL of a search predicate over the union's columns. */
function predicate(node: KNode, columns: Column[], cs: boolean, env: Env): string {
  const { c } = env;
  switch (node.kind) {
    case 'ParenthesizedExpression':
      return `(${predicate(node.node('Expression')!, columns, cs, env)})`;
    case 'AndExpression':
    case 'OrExpression': {
      const [l, r] = [node.node('Left')!, node.node('Right')!].map((n) => predicate(n, columns, cs, env));
      return `(${l} ${node.kind === 'AndExpression' ? 'AND' : 'OR'} ${r})`;
    }
    case 'StarExpression':
      return 'true';
    case 'StringLiteralExpression': {
      // a bare term: any column of the row (not $table) matches it
      const text = node.literalText ?? '';
      const tests = columns
        .filter((col) => col.name !== TABLE_COLUMN)
        .map((col) =>
          term(c.expr.asString({ sql: ident(col.name), type: col.type }, node, env), text, cs, c),
        );
      return tests.length ? `(${tests.join(' OR ')})` : 'false';
    }
    case 'SearchExpression': {
      const [column, value] = [node.node('Left')!, node.node('Right')!];
      if (value.kind !== 'StringLiteralExpression')
        return c.fail(node, 'Column: with a value that is not a string literal');
      return term(c.expr.asString(scalar(column, env), column, env), value.literalText ?? '', cs, c);
    }
  }
  if (node.find('SearchExpression', 'StarExpression').length || termsBelow(node))
    return c.fail(node, 'search terms inside this expression');
  if (cs && node.find(...Object.keys(STRING_OPERATORS)).length)
    return c.fail(node, 'kind=case_sensitive with string operators in the predicate');
  return (scalar(node, env) satisfies Sql).sql;
}

/** A bare string literal used as a predicate (typed bool by the binder) somewhere below `node`. */
function termsBelow(node: KNode): boolean {
  return node.find('StringLiteralExpression').some((s) => s.type?.name === 'bool');
}

const escapeRegex = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** One term (with the page's wildcard rules) against one string. */
function term(hay: string, text: string, cs: boolean, c: Compiler): string {
  const lead = text.startsWith('*');
  const trail = text.length > 1 && text.endsWith('*');
  const core = text.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (core.replace(/\*/g, '') === '') return 'true';
  if (core.includes('*')) {
    const pattern = `${cs ? '' : '(?i)'}${lead ? '' : '\\b'}${core.split('*').map(escapeRegex).join('.*')}${trail ? '' : '\\b'}`;
    return `regexp_matches(${hay}, ${c.params.add(pattern, 'string')})`;
  }
  if (lead && trail) return substringMatch(hay, c.params.add(core, 'string'), 'contains', cs);
  return termMatchConstants(hay, [core], lead ? 'suffix' : trail ? 'prefix' : 'has', cs, c.params);
}
