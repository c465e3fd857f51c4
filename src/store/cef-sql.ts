/**
 * The SQL for LoadPlans with the CEF layout (plan.ts). No regular expression runs over a whole line (a
 * 27-group regexp_extract per line cost most of a CEF load); a line is cut by plain string functions:
 *   - `_p`: the line split on `|` (lines with `\` take the reader, so every `|` of the header is a
 *     separator): `_p[1]` the syslog header and `CEF:n`, `_p[2..7]` the CEF header, the rest the extension;
 *   - `_h`: the syslog header's fields, by one short regular expression over `_p[1]` only;
 *   - `_s`: the extension, after a space, split on `=`. A template's values hold no `=` (such a line has
 *     more pieces than its template), so piece i+1 is "value_i key_i+1" and the first is " key_1";
 *   - `_t`: the first template (key sequence) whose keys end the pieces, a `suffix` test per piece.
 * A value is its piece less the next key's known length: no search at all. Values are trimmed of spaces
 * (` key=` is the only boundary, as in cef.ts readExtension). Nothing here decodes escapes: lines with
 * them, quoted values or whitespace other than spaces go to the reader, which does.
 */
import type { LineLayout, LoadPlan, SourceField } from './plan.js';
import { sqlString } from '../util/sql.js';

type CefLayout = Extract<LineLayout, { kind: 'cef' }>;

/** `_p[1]`: an optional RFC 3164 header (one host token), then `CEF:` and the version. */
const PREFIX_RE =
  '^(?:(?:<\\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) ([^ \\[]*[^ \\[:]) )?CEF: *(\\d+)$';
const PREFIX_GROUPS = ['mon', 'day', 'hms', 'host', 'ver'];

/** Whitespace JavaScript's trim() removes but DuckDB's does not, beyond ASCII. */
const WIDE_SPACE =
  '[\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';

/**
 * Lines for the reader whatever their keys: escapes (`\`, rsyslog `#0nn`), a value starting with a quote
 * (the reader unquotes it), whitespace other than spaces. Plain `contains` tests; a regular expression
 * runs only on the rare lines with `= ` (a quote after spaces?) or non-ASCII text.
 */
const ODD = [
  `contains(l, '\\')`,
  `contains(l, '#0')`,
  `contains(l, '="')`,
  `contains(l, '=''')`,
  `(contains(l, '= ') AND regexp_matches(l, '= +["'']'))`,
  ...[9, 10, 11, 12, 13].map((c) => `contains(l, chr(${c}))`),
  `(strlen(l) <> length(l) AND regexp_matches(l, ${sqlString(WIDE_SPACE)}))`,
].join(' OR ');

/** The extension after a space, so that every key follows one. */
const EXTENSION = `' ' || ltrim(CASE WHEN len(_p) = 8 THEN _p[8] ELSE array_to_string(_p[8:], '|') END)`;

/** Whether the pieces `_s` are exactly the template's keys. */
function templateTest(keys: readonly string[]): string {
  if (keys.length === 0) return `_s = [' ']`;
  return [
    `len(_s) = ${keys.length + 1}`,
    `_s[1] = ${sqlString(` ${keys[0]}`)}`,
    ...keys.slice(1).map((k, i) => `suffix(_s[${i + 2}], ${sqlString(` ${k}`)})`),
  ].join(' AND ');
}

const head = (name: string) => `struct_extract(_h, ${sqlString(name)})`;

/** Parse steps, each over the previous one: `_p`, `_h`, `_s`, and `_t` the template (null: the reader's). */
export function cefParse(layout: CefLayout): { alias: string; sql: string }[] {
  const list = `[${PREFIX_GROUPS.map(sqlString).join(', ')}]`;
  const which = layout.templates.map((t, i) => `WHEN ${templateTest(t)} THEN ${i + 1}`).join(' ');
  return [
    { alias: '_p', sql: `string_split(l, '|')` },
    { alias: '_h', sql: `regexp_extract(_p[1], ${sqlString(PREFIX_RE)}, ${list})` },
    { alias: '_s', sql: `CASE WHEN len(_p) >= 8 THEN string_split(${EXTENSION}, '=') END` },
    {
      alias: '_t',
      sql: `CASE WHEN l IS NULL OR _s IS NULL OR ${head('ver')} = '' OR ${ODD} THEN NULL ${which} END`,
    },
  ];
}

/** Lines of a CEF plan that the reader must see (beyond the template test). */
export function cefOdd(): string {
  return `_t IS NULL OR contains(${head('host')}, 'CEF:') OR regexp_full_match(${head('host')}, '\\d{4}')`;
}

/** The raw text of a field for the matched template (null when the template has none of its keys). */
export function cefRawField(field: SourceField, plan: LoadPlan, layout: CefLayout): string {
  const [first] = field.at as readonly string[];
  if (first.startsWith('|')) return `nullif(_p[${Number(first.slice(1)) + 1}], '')`;
  if (first === '@host') return `nullif(${head('host')}, '')`;
  if (first === '@time')
    return `CASE WHEN ${head('mon')} <> '' THEN concat('${layout.referenceYear} ', ${head('mon')}, ' ', ${head('day')}, ' ', ${head('hms')}) END`;
  const read = new Set(plan.fields.flatMap((f) => f.at as readonly string[]));
  const cases = layout.templates.map((keys, t) => {
    if (first === '*') {
      const pairs = keys.flatMap((k, i) =>
        read.has(k) ? [] : [`${sqlString(`${k}=`)} || ${templateValue(keys, i)}`],
      );
      return `WHEN ${t + 1} THEN ${pairs.length > 0 ? `concat_ws(';', ${pairs.join(', ')})` : 'NULL'}`;
    }
    const i = keys.findIndex((k) => (field.at as readonly string[]).includes(k));
    return i === -1 ? '' : `WHEN ${t + 1} THEN ${templateValue(keys, i)}`;
  });
  if (!cases.some(Boolean)) return 'NULL';
  // one template: no CASE (a line that does not match it goes to the reader, whatever its values)
  const value = cases.length === 1 ? cases[0].replace(/^WHEN 1 THEN /, '') : `CASE _t ${cases.join(' ')} END`;
  return `nullif(${value}, '')`;
}

/** Value i (0-based) of a line of template `keys`: piece i+2 less the next key and its space, trimmed. */
function templateValue(keys: readonly string[], i: number): string {
  const piece = `_s[${i + 2}]`;
  return i + 1 < keys.length ? `trim(left(${piece}, -${keys[i + 1].length + 1}))` : `trim(${piece})`;
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
