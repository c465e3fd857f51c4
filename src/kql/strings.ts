/**
 * Kusto's string predicates in DuckDB SQL. Both operands are non-null SQL strings (the translator turns a
 * missing string into '', as Kusto has no null strings).
 *
 * `has` matches whole terms: a term is a maximal run of ASCII letters and digits, and `h has n` is true
 * when `n` occurs in `h` (case-insensitively) without being glued to further letters or digits, i.e. the
 * character before the match is not alphanumeric when `n` starts with one, and likewise after the match.
 * So "tvt.miraibotnet.su" has "miraibotnet.su", but "nottvt.miraibotnet.su" does not have "tvt.miraibotnet.su".
 * `hasprefix` / `hassuffix` check only the leading / trailing boundary. An empty needle matches everything.
 */

import type { Params } from './sql.js';
import { sqlString } from '../util/sql.js';

export type TermMode = 'has' | 'prefix' | 'suffix';

const BOUNDARY_BEFORE = '(?:^|[^0-9A-Za-z])';
const BOUNDARY_AFTER = '(?:$|[^0-9A-Za-z])';
const TERM_START = "'^[0-9A-Za-z]'";
const TERM_END = "'[0-9A-Za-z]$'";

export function isTermChar(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Za-z]$/.test(ch);
}

/** RE2 pattern for a known needle (already lower-cased when case-insensitive); escapes like RE2's QuoteMeta. */
export function termRegex(needle: string, mode: TermMode): string {
  const quoted = needle.replace(/[\x00-\x7f]/g, (ch) =>
    /[0-9A-Za-z_]/.test(ch) ? ch : ch === '\0' ? '\\x00' : `\\${ch}`,
  );
  const before = mode !== 'suffix' && isTermChar(needle[0]) ? BOUNDARY_BEFORE : '';
  const after = mode !== 'prefix' && isTermChar(needle[needle.length - 1]) ? BOUNDARY_AFTER : '';
  return `${before}${quoted}${after}`;
}

/**
 * Term match of known needles (any of them) in SQL string `hay`. The pattern is built here and bound as a
 * parameter: DuckDB compiles a parameter pattern once, but not one assembled in SQL. The plain substring
 * test runs first: it is several times cheaper and rejects most rows before the regex runs.
 */
export function termMatchConstants(
  hay: string,
  needles: string[],
  mode: TermMode,
  cs: boolean,
  params: Params,
): string {
  const h = cs ? hay : `lower(${hay})`;
  const folded = needles.map((n) => (cs ? n : n.toLowerCase()));
  if (folded.some((n) => n === '')) return 'true'; // an empty needle matches everything
  const pattern = folded.map((n) => `(?:${termRegex(n, mode)})`).join('|');
  const prefilter = folded.map((n) => `contains(${h}, ${params.add(n, 'string')})`).join(' OR ');
  return `((${prefilter}) AND regexp_matches(${h}, ${params.add(pattern, 'string')}))`;
}

/** Term match of a needle known only at run time: the pattern's boundary pieces are chosen per row. */
export function termMatch(hay: string, needle: string, mode: TermMode, cs: boolean): string {
  const h = cs ? hay : `lower(${hay})`;
  const n = cs ? needle : `lower(${needle})`;
  const before =
    mode !== 'suffix'
      ? `CASE WHEN regexp_matches(${n}, ${TERM_START}) THEN ${sqlString(BOUNDARY_BEFORE)} ELSE '' END`
      : "''";
  const after =
    mode !== 'prefix'
      ? `CASE WHEN regexp_matches(${n}, ${TERM_END}) THEN ${sqlString(BOUNDARY_AFTER)} ELSE '' END`
      : "''";
  return `(contains(${h}, ${n}) AND regexp_matches(${h}, concat(${before}, regexp_escape(${n}), ${after})))`;
}

export type SubstringMode = 'contains' | 'startswith' | 'endswith' | 'equals';

export function substringMatch(hay: string, needle: string, mode: SubstringMode, cs: boolean): string {
  const h = cs ? hay : `lower(${hay})`;
  const n = cs ? needle : `lower(${needle})`;
  switch (mode) {
    case 'contains':
      return `contains(${h}, ${n})`;
    case 'startswith':
      return `starts_with(${h}, ${n})`;
    case 'endswith':
      return `ends_with(${h}, ${n})`;
    case 'equals':
      return `(${h} = ${n})`;
  }
}

interface StringOperator {
  /** `constant` is the needle's value when known at compile time. */
  test: (hay: string, needle: string, constant: string | undefined, params: Params) => string;
  negated: boolean;
  /** Reads only `constant` when it is known (then `needle` is not built, so it adds no parameter). */
  usesConstant?: boolean;
}

function term(mode: TermMode, cs: boolean, negated = false): StringOperator {
  return {
    test: (h, n, k, params) =>
      k === undefined ? termMatch(h, n, mode, cs) : termMatchConstants(h, [k], mode, cs, params),
    negated,
    usesConstant: true,
  };
}
function sub(mode: SubstringMode, cs: boolean, negated = false): StringOperator {
  return { test: (h, n) => substringMatch(h, n, mode, cs), negated };
}

/** Binary string operators by SyntaxKind. */
export const STRING_OPERATORS: Record<string, StringOperator> = {
  HasExpression: term('has', false),
  NotHasExpression: term('has', false, true),
  HasCsExpression: term('has', true),
  NotHasCsExpression: term('has', true, true),
  HasPrefixExpression: term('prefix', false),
  NotHasPrefixExpression: term('prefix', false, true),
  HasPrefixCsExpression: term('prefix', true),
  NotHasPrefixCsExpression: term('prefix', true, true),
  HasSuffixExpression: term('suffix', false),
  NotHasSuffixExpression: term('suffix', false, true),
  HasSuffixCsExpression: term('suffix', true),
  NotHasSuffixCsExpression: term('suffix', true, true),
  ContainsExpression: sub('contains', false),
  NotContainsExpression: sub('contains', false, true),
  ContainsCsExpression: sub('contains', true),
  NotContainsCsExpression: sub('contains', true, true),
  StartsWithExpression: sub('startswith', false),
  NotStartsWithExpression: sub('startswith', false, true),
  StartsWithCsExpression: sub('startswith', true),
  NotStartsWithCsExpression: sub('startswith', true, true),
  EndsWithExpression: sub('endswith', false),
  NotEndsWithExpression: sub('endswith', false, true),
  EndsWithCsExpression: sub('endswith', true),
  NotEndsWithCsExpression: sub('endswith', true, true),
  EqualTildeExpression: sub('equals', false),
  BangTildeExpression: sub('equals', false, true),
  MatchesRegexExpression: { test: (h, n) => `regexp_matches(${h}, ${n})`, negated: false },
};
