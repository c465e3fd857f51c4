/**
 * The exclusion linter. A predicate that is always true hides every finding of its hunts (seed 000's
 * `process.name != "SolarWinds" or process.name != "PRTG"`); one that is always false does nothing.
 * Both are found the same way: the predicate runs through the real KQL translator over a small table
 * holding every combination of telling values for the columns it names - each literal it mentions,
 * its neighbours (another case, a longer string, ±1, ±1 s, the edges of a CIDR range), an empty value
 * and an unrelated one. True on every row: always true. True on none: always false. True on the row of
 * unrelated values: it excludes things it never names (a negative match), a warning.
 */
import ipaddr from 'ipaddr.js';
import { runKql } from '../../kql/index.js';
import { Store } from '../../store/db.js';
import type { ColumnSchema, KqlType } from '../../store/schema.js';
import { isExpired, type Exclusion } from './model.js';

export interface LintIssue {
  id: string;
  file: string;
  level: 'error' | 'warning';
  message: string;
}

const OTHER = 'zz-unrelated';
const MAX_ROWS = 4096;
const BASE_TIME = Date.UTC(2000, 0, 3, 12, 34, 56);
const ROW = '_LintRow';

interface Token {
  kind: 'string' | 'number' | 'ident' | 'punct';
  text: string;
}

function tokenize(text: string): Token[] {
  const re = /@?"(?:[^"\\]|\\.)*"|@?'(?:[^'\\]|\\.)*'|\d+(?:\.\d+)?(?:[a-z]+\b)?|[A-Za-z_][A-Za-z0-9_]*|\S/g;
  return [...text.matchAll(re)].map(([t]) => {
    if (/^@?["']/.test(t)) {
      const verbatim = t.startsWith('@');
      const body = t.slice(verbatim ? 2 : 1, -1);
      return { kind: 'string' as const, text: verbatim ? body : body.replace(/\\(.)/g, '$1') };
    }
    if (/^\d/.test(t)) return { kind: 'number' as const, text: t };
    return { kind: /^[A-Za-z_]/.test(t) ? ('ident' as const) : ('punct' as const), text: t };
  });
}

/** Sentinel columns are CamelCase (or end in `_`, like `count_`); KQL's own words are lower case. */
const isColumn = (tokens: Token[], i: number) =>
  tokens[i].kind === 'ident' && /[A-Z]|_$/.test(tokens[i].text) && tokens[i + 1]?.text !== '(';

function inferType(tokens: Token[], i: number): KqlType {
  if (tokens[i - 2]?.text === 'startofday') return 'datetime';
  for (let j = i + 1; j < Math.min(tokens.length, i + 8); j++) {
    const t = tokens[j];
    if (t.kind === 'string') return 'string';
    if (t.kind === 'number') return /^\d+(\.\d+)?$/.test(t.text) ? 'long' : 'string';
    if (t.text === 'datetime' || t.text === 'time' || t.text === 'startofday') return 'datetime';
    if (t.kind === 'ident' && isColumn(tokens, j)) break;
  }
  return 'string';
}

function ipNeighbours(literal: string): string[] {
  const [base, bits] = literal.split('/');
  if (!ipaddr.IPv4.isValidFourPartDecimal(base)) return [];
  const n = Number(bits ?? 32);
  const start = ipaddr.IPv4.networkAddressFromCIDR(`${base}/${n}`)
    .toByteArray()
    .reduce((a, b) => a * 256 + b, 0);
  const end = start + 2 ** (32 - n) - 1;
  const text = (v: number) => [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
  return [start - 1, start, end, end + 1].filter((v) => v >= 0 && v < 2 ** 32).map(text);
}

const TIME_LITERAL = /\b(datetime|time)\s*\(([^)]*)\)/g;

/** Instants named by `datetime(...)` / `time(...)` literals (a time of day lands on a fixed date). */
function literalInstants(predicate: string): number[] {
  return [...predicate.matchAll(TIME_LITERAL)]
    .map(([, fn, arg]) => {
      const text = arg.trim().replace(' ', 'T');
      if (fn === 'time') return Date.UTC(2000, 0, 3) + Date.parse(`1970-01-01T${text.padStart(8, '0')}Z`);
      return Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    })
    .filter((t) => !Number.isNaN(t));
}

function candidates(type: KqlType, tokens: Token[], instants: number[]): unknown[] {
  const values = new Set<unknown>();
  if (type === 'string') {
    for (const t of tokens.filter((t) => t.kind === 'string')) {
      for (const v of [t.text, t.text.toUpperCase(), `x${t.text}`, `${t.text}x`]) values.add(v);
      ipNeighbours(t.text).forEach((v) => values.add(v));
    }
    values.add('');
  } else if (type === 'long') {
    for (const t of tokens.filter((t) => t.kind === 'number' && /^\d+$/.test(t.text)))
      for (const d of [-1, 0, 1]) values.add(Number(t.text) + d);
  } else {
    for (const at of instants) for (const d of [-1000, 0, 1000]) values.add(new Date(at + d).toISOString());
  }
  values.add(type === 'string' ? OTHER : type === 'long' ? 987654 : new Date(BASE_TIME).toISOString());
  return [...values];
}

function product(columns: { name: string; values: unknown[] }[]): Record<string, unknown>[] {
  let rows: Record<string, unknown>[] = [{}];
  for (const c of columns) rows = rows.flatMap((r) => c.values.map((v) => ({ ...r, [c.name]: v })));
  return rows.slice(0, MAX_ROWS);
}

interface Plan {
  table: string;
  predicate: string;
  columns: ColumnSchema[];
  rows: Record<string, unknown>[];
}

function plan(predicate: string, table: string): Plan {
  const tokens = tokenize(predicate.replace(TIME_LITERAL, ' $1 '));
  const columns = new Map<string, KqlType>();
  tokens.forEach((_, i) => {
    if (isColumn(tokens, i) && !columns.has(tokens[i].text))
      columns.set(tokens[i].text, inferType(tokens, i));
  });
  const instants = literalInstants(predicate);
  const specs = [...columns].map(([name, type]) => ({ name, values: candidates(type, tokens, instants) }));
  const rows = product(specs);
  // the last row holds only unrelated values: true there means a negative match
  rows.push(Object.fromEntries(specs.map((s) => [s.name, s.values[s.values.length - 1]])));
  const schema: ColumnSchema[] = [...columns].map(([name, type]) => ({ name, type }));
  return {
    table,
    predicate,
    columns: [...schema, { name: ROW, type: 'long' }],
    rows: rows.map((r, i) => ({ ...r, [ROW]: i })),
  };
}

interface Verdict {
  total: number;
  matched: Set<number>;
  error?: string;
}

/** One in-memory store, one table per predicate: the rows on which each predicate holds. */
async function evaluate(predicates: string[]): Promise<Verdict[]> {
  const plans = predicates.map((p, i) => plan(p, `_Lint${i}`));
  const store = await Store.open({
    schemas: new Map(plans.map((p) => [p.table, { table: p.table, columns: p.columns }])),
  });
  try {
    const verdicts: Verdict[] = [];
    for (const p of plans) {
      await store.insertRows(p.table, p.rows);
      try {
        const result = await runKql(store, `${p.table} | where ${p.predicate} | project ${ROW}`, {
          now: new Date(),
        });
        verdicts.push({ total: p.rows.length, matched: new Set(result.rows.map((r) => Number(r[ROW]))) });
      } catch (err) {
        verdicts.push({ total: p.rows.length, matched: new Set(), error: (err as Error).message });
      }
    }
    return verdicts;
  } finally {
    store.close();
  }
}

function judge(exclusion: Exclusion, verdict: Verdict, now: Date): LintIssue[] {
  const issue = (level: LintIssue['level'], message: string): LintIssue => ({
    id: exclusion.id,
    file: exclusion.file,
    level,
    message,
  });
  const issues: LintIssue[] = [];
  if (isExpired(exclusion, now))
    issues.push(
      issue(
        'error',
        `expired on ${exclusion.expires!.toISOString()}: it no longer excludes anything; remove or renew it`,
      ),
    );
  const { total, matched, error } = verdict;
  const shown = `(predicate: ${exclusion.predicate})`;
  const regex = /\bmatches\s+regex\b/.test(exclusion.predicate);
  if (error) issues.push(issue('error', `predicate does not compile: ${error}`));
  else if (matched.size === total)
    issues.push(
      issue(
        'error',
        `always true: matches every value of the columns it names, so it would suppress every finding ${shown}`,
      ),
    );
  else if (matched.size === 0)
    issues.push(
      issue(
        regex ? 'warning' : 'error',
        `always false: no value makes it true, so it suppresses nothing${regex ? ' (no sample value matched its regex: check it)' : ''} ${shown}`,
      ),
    );
  else if (matched.has(total - 1))
    issues.push(
      issue(
        'warning',
        `negative match: it also suppresses values it never names; an exclusion should name what it allows ${shown}`,
      ),
    );
  return issues;
}

export async function lintExclusions(exclusions: Exclusion[], now: Date): Promise<LintIssue[]> {
  if (exclusions.length === 0) return [];
  const verdicts = await evaluate(exclusions.map((e) => e.predicate));
  return exclusions.flatMap((e, i) => judge(e, verdicts[i], now));
}
