/**
 * `when:` clauses → KQL. Each clause names a result column and one test; values are written as KQL
 * string literals, never spliced raw.
 */
export class ExclusionSyntaxError extends Error {}

type Clause = Record<string, unknown>;

const lit = (value: unknown) => `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const list = (values: unknown[]) => values.map(lit).join(', ');

function asList(value: unknown, what: string): unknown[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new ExclusionSyntaxError(`${what}: empty list`);
  return values;
}

/** `HH:MM[:SS]` → Kusto `time(HH:MM:SS)`. */
function clock(text: string, what: string): string {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59)
    throw new ExclusionSyntaxError(`${what}: not HH:MM: ${JSON.stringify(text)}`);
  return `time(${m[1].padStart(2, '0')}:${m[2]}:${m[3] ?? '00'})`;
}

function isoDatetime(value: unknown, what: string): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw new ExclusionSyntaxError(`${what}: not a date/time: ${JSON.stringify(value)}`);
  return `datetime(${date.toISOString()})`;
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function clauseToKql(clause: Clause, where: string): string {
  const column = String(clause.column ?? '');
  if (!COLUMN.test(column)) throw new ExclusionSyntaxError(`${where}: 'column' must name a result column`);
  if ('in' in clause) return `${column} in~ (${list(asList(clause.in, where))})`;
  if ('cidr' in clause)
    return `(${asList(clause.cidr, where)
      .map((c) => `ipv4_is_in_range(${column}, ${lit(c)})`)
      .join(' or ')})`;
  if ('matches' in clause) return `${column} matches regex ${lit(clause.matches)}`;
  if ('between' in clause) {
    const [from, to] = asList(clause.between, where);
    if (to === undefined) throw new ExclusionSyntaxError(`${where}: between needs [start, end]`);
    return `${column} between (${isoDatetime(from, where)} .. ${isoDatetime(to, where)})`;
  }
  if ('daily' in clause) {
    const [from, to] = String(clause.daily).split('-');
    if (to === undefined) throw new ExclusionSyntaxError(`${where}: daily must be "HH:MM-HH:MM" (UTC)`);
    const offset = `(${column} - startofday(${column}))`;
    const [a, b] = [clock(from, where), clock(to, where)];
    // a window that crosses midnight (22:00-02:00) is the union of its two halves
    return from.trim() <= to.trim()
      ? `${offset} between (${a} .. ${b})`
      : `(${offset} >= ${a} or ${offset} <= ${b})`;
  }
  throw new ExclusionSyntaxError(`${where}: a clause needs one of in, cidr, matches, between, daily`);
}

/** The clauses and the raw predicate, ANDed; each part parenthesised so `or` inside stays inside. */
export function compilePredicate(when: unknown, predicate: unknown, where: string): string {
  const clauses = when === undefined ? [] : asList(when, `${where}: when`);
  const parts = clauses.map((c, i) => clauseToKql((c ?? {}) as Clause, `${where}: when[${i}]`));
  if (typeof predicate === 'string' && predicate.trim()) parts.push(predicate.trim());
  if (parts.length === 0) throw new ExclusionSyntaxError(`${where}: needs 'predicate' or 'when'`);
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' and ');
}
