/**
 * Kusto.Language errors that Kusto itself does not raise: the engine accepts these forms (its own
 * documented examples use them), but the language library's signatures are narrower. Each entry names
 * the diagnostic code and the function whose argument it flags; the translator handles the form.
 */
import type { KDiagnostic, KNode } from './kusto.js';

interface Tolerance {
  code: string;
  fn: string;
  why: string;
}

const TOLERATED: Tolerance[] = [
  // summarize count(x): the engine counts the rows and ignores the argument (summarize-operator#6, #9)
  { code: 'KS107', fn: 'count', why: 'count(expr) counts rows like count()' },
  // make_timespan(d, h, m, 55.123): the engine takes fractional seconds (make-timespan-function#1)
  { code: 'KS134', fn: 'make_timespan', why: 'make_timespan takes fractional seconds' },
  // parse_json(dynamic) / todynamic(dynamic): documented as "a JSON-formatted string or a dynamic
  // property bag"; a dynamic value is returned as it is (Sentinel's SuspiciousProcessCreation rule)
  { code: 'KS107', fn: 'todynamic', why: 'todynamic takes a dynamic value as it is' },
  { code: 'KS107', fn: 'parse_json', why: 'parse_json takes a dynamic value as it is' },
];

/**
 * `project-away Extra*` where no column matches: Kusto.Language flags the pattern (KS109 "Column name
 * expected", KS142 for some spellings); the engine removes nothing and runs. ASIM rules rely on it after
 * a fuzzy union input is left out (`union isfuzzy=true … | project-away Vendor_*`).
 */
function unmatchedAwayPattern(d: KDiagnostic, root: KNode): boolean {
  if (d.code !== 'KS109' && d.code !== 'KS142') return false;
  return root
    .find('ProjectAwayOperator')
    .flatMap((op) => op.list('Expressions'))
    .some((item) => item.text.includes('*') && d.start >= item.start && d.start < item.start + item.length);
}

/** Whether Kusto itself accepts what a diagnostic flags (a call's argument, an unmatched pattern). */
export function tolerated(d: KDiagnostic, root: KNode): boolean {
  if (unmatchedAwayPattern(d, root)) return true;
  const rules = TOLERATED.filter((t) => t.code === d.code);
  if (!rules.length) return false;
  return root.find('FunctionCallExpression').some((call) => {
    const name = (call.node('Name')?.simpleName ?? '').toLowerCase();
    const args = call.node('ArgumentList');
    return (
      rules.some((t) => t.fn === name) &&
      args !== undefined &&
      d.start >= args.start &&
      d.start + d.length <= args.start + args.length
    );
  });
}
