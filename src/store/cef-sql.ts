/**
 * The SQL for LoadPlans with the CEF layout (plan.ts): a line is classified by the first template
 * (key sequence) it matches — a DFA test, as cheap as DuckDB's own `regexp_matches` — then cut by that
 * template's one regular expression: syslog header, CEF header, and every value, in one pass. Values
 * cannot contain `=` (a value with one does not match: the reader takes the line), so ` key=` is the
 * only boundary, as in cef.ts readExtension. Nothing here decodes escapes: lines with them go to the
 * reader, which does.
 */
import type { LineLayout, LoadPlan, SourceField } from './plan.js';
import { sqlString } from '../util/sql.js';

type CefLayout = Extract<LineLayout, { kind: 'cef' }>;

/** An optional RFC 3164 header (one host token) and the CEF header, up to the first extension key. */
const HEAD_RE =
  '(?:(?:<\\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) ([^ \\[]*[^ \\[:]) )?' +
  'CEF: *(\\d+)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\| *';
const HEAD_GROUPS = ['mon', 'day', 'hms', 'host', 'ver', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
/**
 * Lines for the reader whatever their keys: escapes (`\`, rsyslog `#0nn`), a value starting with a quote
 * (the reader unquotes it), and whitespace JavaScript's trim() removes but DuckDB's does not.
 */
const ODD =
  '\\\\|#0|= *["\']|[\\t\\n\\x0b\\f\\r\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&');
}

/** A whole line of one template; with `groups`, each value is a group (trimmed of spaces), padded to `groups`. */
function templateRegex(keys: readonly string[], groups?: number): string {
  const value = groups === undefined ? '[^=]*' : ' *([^=]*?) *';
  const pairs = keys.map((k, i) => `${i === 0 ? '' : ' '}${escapeRegex(k)}=${value}`).join('');
  const head = groups === undefined ? HEAD_RE.replace(/\((?!\?)/g, '(?:') : HEAD_RE;
  return `^${head}${pairs}$${'()'.repeat(groups === undefined ? 0 : groups - keys.length)}`;
}

/**
 * `_t`: the template a line matches (null: the reader's), a DFA test; `_m`: that template's groups —
 * syslog and CEF header (mon…h6) and the values v1…vN — from one regular expression.
 */
export function cefParse(layout: CefLayout): { alias: string; sql: string }[] {
  const width = Math.max(0, ...layout.templates.map((t) => t.length));
  const names = [...HEAD_GROUPS, ...Array.from({ length: width }, (_, i) => `v${i + 1}`)];
  const list = `[${names.map(sqlString).join(', ')}]`;
  const which = layout.templates
    .map((t, i) => `WHEN regexp_matches(l, ${sqlString(templateRegex(t))}) THEN ${i + 1}`)
    .join(' ');
  const cut = layout.templates
    .map((t, i) => `WHEN ${i + 1} THEN regexp_extract(l, ${sqlString(templateRegex(t, width))}, ${list})`)
    .join(' ');
  return [
    {
      alias: '_t',
      sql: `CASE WHEN l IS NULL OR regexp_matches(l, ${sqlString(ODD)}) THEN NULL ${which} END`,
    },
    { alias: '_m', sql: `CASE _t ${cut || 'WHEN 0 THEN NULL'} END` },
  ];
}

const group = (name: string) => `struct_extract(_m, ${sqlString(name)})`;

/** Lines of a CEF plan that the reader must see (beyond the template test). */
export function cefOdd(): string {
  return `_t IS NULL OR contains(${group('host')}, 'CEF:') OR regexp_full_match(${group('host')}, '\\d{4}')`;
}

/** The raw text of a field for the matched template (null when the template has none of its keys). */
export function cefRawField(field: SourceField, plan: LoadPlan, layout: CefLayout): string {
  const [first] = field.at as readonly string[];
  if (first.startsWith('|')) return `nullif(${group(`h${first.slice(1)}`)}, '')`;
  if (first === '@host') return `nullif(${group('host')}, '')`;
  if (first === '@time')
    return `CASE WHEN ${group('mon')} <> '' THEN concat('${layout.referenceYear} ', ${group('mon')}, ' ', ${group('day')}, ' ', ${group('hms')}) END`;
  const read = new Set(plan.fields.flatMap((f) => f.at as readonly string[]));
  const cases = layout.templates.map((keys, t) => {
    if (first === '*') {
      const pairs = keys.flatMap((k, i) =>
        read.has(k) ? [] : [`${sqlString(`${k}=`)} || ${templateValue(i)}`],
      );
      return `WHEN ${t + 1} THEN ${pairs.length > 0 ? `concat_ws(';', ${pairs.join(', ')})` : 'NULL'}`;
    }
    const i = keys.findIndex((k) => (field.at as readonly string[]).includes(k));
    return i === -1 ? '' : `WHEN ${t + 1} THEN ${templateValue(i)}`;
  });
  const value = `CASE _t ${cases.join(' ')} END`;
  return cases.some(Boolean) ? `nullif(${value}, '')` : 'NULL';
}

/** Value i (0-based) of the matched template. */
function templateValue(i: number): string {
  return group(`v${i + 1}`);
}

/**
 * A CEF value in its column's type, or NULL (the line then goes to the reader) unless it has the plain
 * shape on which DuckDB's cast and the JavaScript reader agree: digits for integers (a JS safe integer
 * for long), a decimal for reals, epoch digits for times; the syslog time as `MMM d HH:mm:ss`.
 */
export function cefValue(raw: string, field: SourceField): string {
  const shaped = (re: string, value: string) =>
    `CASE WHEN regexp_full_match(${raw}, ${sqlString(re)}) THEN ${value} END`;
  if ((field.at as readonly string[])[0] === '@time') return `try_strptime(${raw}, '%Y %b %d %H:%M:%S')`;
  switch (field.as) {
    case 'int':
      return shaped('[+-]?\\d{1,19}', `TRY_CAST(${raw} AS INTEGER)`);
    case 'long':
      return shaped(
        '[+-]?\\d{1,16}',
        `CASE WHEN abs(CAST(${raw} AS BIGINT)) <= 9007199254740991 THEN CAST(${raw} AS BIGINT) END`,
      );
    case 'real':
      return shaped(
        '[+-]?(\\d{1,30}\\.?\\d{0,30}|\\.\\d{1,30})([eE][+-]?\\d{1,2})?',
        `TRY_CAST(${raw} AS DOUBLE)`,
      );
    case 'datetime':
    case 'epoch':
      return shaped('\\d{1,17}(\\.\\d{1,9})?', `tt_epoch_time(TRY_CAST(${raw} AS DOUBLE))`);
    default:
      return 'NULL'; // no other conversion in CEF plans: such a line goes to the reader
  }
}
