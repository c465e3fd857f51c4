/**
 * Logic, conversion and datetime functions. Datetimes are DuckDB TIMESTAMPs in UTC with microsecond
 * precision (Kusto keeps 100 ns ticks): `endofday` ends at .999999, the last microsecond, which prints as
 * Kusto's last tick .9999999 (dialect.isoTicks).
 * Kusto weeks start on Sunday (DuckDB's dayofweek: Sunday = 0).
 */
import { arg, constArg, str, type Impl, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import type { Env } from './context.js';
import type { KNode } from './kusto.js';

import { warn } from './warnings.js';
import { dialect } from './dialect.js';

export const INGESTION_WARNING =
  'ingestion_time() reads TimeGenerated: the store does not record when a row was ingested';

const PART_MICROS: Record<string, number> = {
  day: 86_400_000_000,
  hour: 3_600_000_000,
  minute: 60_000_000,
  second: 1_000_000,
  millisecond: 1000,
  microsecond: 1,
};
const PART_ALIAS: Record<string, string> = {
  years: 'year',
  quarters: 'quarter',
  months: 'month',
  weeks: 'week',
  days: 'day',
  hours: 'hour',
  minutes: 'minute',
  seconds: 'second',
  milliseconds: 'millisecond',
  microseconds: 'microsecond',
  nanoseconds: 'nanosecond',
};

function partArg(args: KNode[], i: number, node: KNode, env: Env): string {
  const raw = String(constArg<string>(args, i, env, 'date part', node)).toLowerCase();
  return PART_ALIAS[raw] ?? raw;
}

const startOfWeek = (d: string) => `(date_trunc('day', ${d}) - to_days(CAST(dayofweek(${d}) AS INTEGER)))`;

/** The start of the period holding d, offset by `offset` whole periods (Kusto's startof…/endof… take one). */
function periodStart(unit: 'day' | 'week' | 'month' | 'year', d: string, offset: string): string {
  if (unit === 'week') return `(${startOfWeek(d)} + to_days(CAST(7 * (${offset}) AS INTEGER)))`;
  const span = unit === 'day' ? 'to_days' : unit === 'month' ? 'to_months' : 'to_years';
  return `(date_trunc('${unit}', ${d}) + ${span}(CAST(${offset} AS INTEGER)))`;
}

function startOf(unit: 'day' | 'week' | 'month' | 'year'): Impl {
  return (args, _node, env) =>
    periodStart(unit, arg(args, 0, env).sql, args.length > 1 ? arg(args, 1, env).sql : '0');
}

function endOf(unit: 'day' | 'week' | 'month' | 'year'): Impl {
  return (args, _node, env) => {
    const offset = args.length > 1 ? `(${arg(args, 1, env).sql}) + 1` : '1';
    return `(${periodStart(unit, arg(args, 0, env).sql, offset)} - INTERVAL 1 MICROSECOND)`;
  };
}

function datetimeAdd(args: KNode[], node: KNode, env: Env): string {
  const part = partArg(args, 0, node, env);
  const n = `CAST(${arg(args, 1, env).sql} AS BIGINT)`;
  const d = arg(args, 2, env).sql;
  const span: Record<string, string> = {
    year: `to_years(CAST(${n} AS INTEGER))`,
    quarter: `to_months(CAST(3 * ${n} AS INTEGER))`,
    month: `to_months(CAST(${n} AS INTEGER))`,
    week: `to_days(CAST(7 * ${n} AS INTEGER))`,
    nanosecond: dialect.intervalFromMicros(`${n} // 1000`),
  };
  if (part in PART_MICROS) return `(${d} + ${dialect.intervalFromMicros(`${n} * ${PART_MICROS[part]}`)})`;
  if (!(part in span)) return env.c.fail(node, `datetime_add part ${part}`);
  return `(${d} + ${span[part]})`;
}

/** Kusto counts period boundaries crossed from d2 to d1 (d1 - d2), not elapsed whole periods. */
function datetimeDiff(args: KNode[], node: KNode, env: Env): string {
  const part = partArg(args, 0, node, env);
  const [d1, d2] = [arg(args, 1, env).sql, arg(args, 2, env).sql];
  const months = (d: string) => `(year(${d}) * 12 + month(${d}) - 1)`;
  let sql: string;
  if (part in PART_MICROS) {
    const u = PART_MICROS[part];
    sql = `(floor(${dialect.epochMicros(d1)} / ${u}) - floor(${dialect.epochMicros(d2)} / ${u}))`;
  } else if (part === 'nanosecond')
    sql = `((${dialect.epochMicros(d1)} - ${dialect.epochMicros(d2)}) * 1000)`;
  else if (part === 'week') sql = `(datediff('day', ${startOfWeek(d2)}, ${startOfWeek(d1)}) // 7)`;
  else if (part === 'month') sql = `(${months(d1)} - ${months(d2)})`;
  else if (part === 'quarter') sql = `((${months(d1)} // 3) - (${months(d2)} // 3))`;
  else if (part === 'year') sql = `(year(${d1}) - year(${d2}))`;
  else return env.c.fail(node, `datetime_diff part ${part}`);
  return `CAST(${sql} AS BIGINT)`;
}

function datetimePart(args: KNode[], node: KNode, env: Env): string {
  const part = partArg(args, 0, node, env);
  const d = arg(args, 1, env).sql;
  const parts: Record<string, string> = {
    year: `year(${d})`,
    quarter: `quarter(${d})`,
    month: `month(${d})`,
    week_of_year: `weekofyear(${d})`,
    day: `day(${d})`,
    dayofyear: `dayofyear(${d})`,
    hour: `hour(${d})`,
    minute: `minute(${d})`,
    second: `second(${d})`,
    millisecond: `(microsecond(${d}) // 1000) % 1000`,
    microsecond: `microsecond(${d}) % 1000000`,
    nanosecond: `(microsecond(${d}) % 1000000) * 1000`,
  };
  if (!(part in parts)) return env.c.fail(node, `datetime_part ${part}`);
  return `CAST(${parts[part]} AS INTEGER)`;
}

const pad = (sql: string, n: number) => `lpad(CAST(${sql} AS VARCHAR), ${n}, '0')`;

/** .NET-style format tokens Kusto's format_datetime accepts, as SQL pieces. */
function formatToken(token: string, d: string): string | undefined {
  const c = token[0];
  const n = token.length;
  if (c === 'f' || c === 'F') {
    if (n > 7) return undefined;
    const digits = `substring(${pad(`microsecond(${d}) % 1000000`, 6)} || '0', 1, ${n})`;
    return c === 'f' ? digits : `rtrim(${digits}, '0')`;
  }
  const table: Record<string, string> = {
    yyyy: pad(`year(${d})`, 4),
    yy: pad(`year(${d}) % 100`, 2),
    MM: pad(`month(${d})`, 2),
    M: `CAST(month(${d}) AS VARCHAR)`,
    dd: pad(`day(${d})`, 2),
    d: `CAST(day(${d}) AS VARCHAR)`,
    HH: pad(`hour(${d})`, 2),
    H: `CAST(hour(${d}) AS VARCHAR)`,
    hh: pad(`(hour(${d}) + 11) % 12 + 1`, 2),
    h: `CAST((hour(${d}) + 11) % 12 + 1 AS VARCHAR)`,
    mm: pad(`minute(${d})`, 2),
    m: `CAST(minute(${d}) AS VARCHAR)`,
    ss: pad(`second(${d})`, 2),
    s: `CAST(second(${d}) AS VARCHAR)`,
    tt: `CASE WHEN hour(${d}) < 12 THEN 'AM' ELSE 'PM' END`,
  };
  return table[token];
}

function formatDatetime(args: KNode[], node: KNode, env: Env): string {
  const format = constArg<string>(args, 1, env, 'format', node);
  const d = arg(args, 0, env).sql;
  const pieces: string[] = [];
  const re = /(y+|M+|d+|H+|h+|m+|s+|f+|F+|tt)|([^A-Za-z]+)|([A-Za-z])/g;
  for (const m of format.matchAll(re)) {
    if (m[2] !== undefined) pieces.push(env.c.params.add(m[2], 'string'));
    else {
      const sql = m[1] ? formatToken(m[1], d) : undefined;
      if (!sql) return env.c.fail(node, `format_datetime token ${m[0]}`);
      pieces.push(sql);
    }
  }
  return `coalesce(${pieces.length ? pieces.join(' || ') : "''"}, '')`;
}

/** Kusto's text forms of a timespan: [-][d.]hh:mm[:ss[.fffffff]] (also what totimespan reads). */
function parseTimespanText(s: string): string {
  const re = `'^\\s*(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,7}))?)?\\s*$'`;
  const g = (i: number) => `regexp_extract(${s}, ${re}, ${i})`;
  const num = (i: number) => `coalesce(TRY_CAST(nullif(${g(i)}, '') AS BIGINT), 0)`;
  const frac = `coalesce(TRY_CAST(rpad(nullif(${g(6)}, ''), 7, '0') AS BIGINT) // 10, 0)`;
  const micros = `(((${num(2)} * 24 + ${num(3)}) * 60 + ${num(4)}) * 60 + ${num(5)}) * 1000000 + ${frac}`;
  return `(CASE WHEN regexp_matches(${s}, ${re}) THEN ${dialect.intervalFromMicros(`CASE WHEN ${g(1)} = '-' THEN -1 ELSE 1 END * (${micros})`)} END)`;
}

function toDatetime(args: KNode[], node: KNode, env: Env): string {
  const v = arg(args, 0, env);
  if (v.type === 'datetime') return v.sql;
  return datetimeOfText(v.type === 'string' ? v.sql : str(args, 0, node, env));
}

/** Kusto's reading of datetime text (todatetime, parse's typed columns): null when it is none. */
export function datetimeOfText(text: string): string {
  // an offset after a time, or Z, means an instant: normalise it to UTC; a bare date/time is already UTC
  // in Kusto (and `12-02-2022` ends in `-2022`, which is no offset)
  return `(CASE WHEN regexp_matches(trim(${text}), '(Z|\\d:\\d{2}(:\\d{2}(\\.\\d*)?)?\\s*[+-]\\d{2}:?\\d{2})$') THEN ${dialect.timestampFromMicros(dialect.epochMicros(`TRY_CAST(trim(${text}) AS TIMESTAMPTZ)`))} ELSE coalesce(TRY_CAST(trim(${text}) AS TIMESTAMP), try_strptime(trim(${text}), ['%m-%d-%Y', '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m-%d-%Y %H:%M:%S'])) END)`;
}

function toBool(args: KNode[], _node: KNode, env: Env): string {
  const v = arg(args, 0, env);
  if (v.type === 'bool') return v.sql;
  if (v.type === 'string')
    return `(CASE lower(trim(${v.sql})) WHEN 'true' THEN true WHEN 'false' THEN false END)`;
  if (v.type === 'dynamic') return `TRY_CAST(${v.sql} AS BOOLEAN)`;
  return `(${v.sql} <> 0)`;
}

function caseOf(args: KNode[], node: KNode, env: Env): string {
  if (args.length % 2 === 0) return env.c.fail(node, 'case without an else value');
  const type = dialect.type(node.type?.name ?? '');
  const cast = (sql: string) => (type && type !== 'JSON' ? `CAST(${sql} AS ${type})` : sql);
  const whens: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2)
    whens.push(`WHEN ${arg(args, i, env).sql} THEN ${cast(arg(args, i + 1, env).sql)}`);
  return `(CASE ${whens.join(' ')} ELSE ${cast(arg(args, args.length - 1, env).sql)} END)`;
}

/** `make_datetime(y, m, d[, h, mi, s])`: null for an impossible date (Kusto), not an error. */
function makeDatetime(args: KNode[], node: KNode, env: Env): string {
  const k = args[5] ? env.c.expr.constant(args[5], env.c)?.value : undefined;
  // datetimes keep microseconds: a constant with finer seconds cannot be answered exactly
  if (typeof k === 'number' && Math.abs(k * 1e6 - Math.round(k * 1e6)) > 1e-6)
    env.c.fail(args[5], 'make_datetime with seconds finer than a microsecond');
  const parts = [0, 1, 2, 3, 4].map((i) => (args[i] ? `CAST(${arg(args, i, env).sql} AS BIGINT)` : '0'));
  const seconds = args[5] ? `CAST(${arg(args, 5, env).sql} AS DOUBLE)` : '0';
  return `TRY_CAST(try(make_timestamp(${parts.join(', ')}, ${seconds})) AS TIMESTAMP)`;
}

/** `make_timespan(h, m)`, `(h, m, s)` or `(d, h, m, s)`: seconds may have a fraction (kept to the microsecond). */
function makeTimespan(args: KNode[], node: KNode, env: Env): string {
  if (args.length < 2 || args.length > 4) return env.c.fail(node, 'make_timespan arguments');
  const units = [86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000].slice(4 - Math.max(args.length, 3));
  if (args.length === 2) units.pop();
  const terms = args.map((a, i) => `CAST(${arg(args, i, env).sql} AS DOUBLE) * ${units[i]}`);
  return dialect.intervalFromMicros(`CAST(round(${terms.join(' + ')}) AS BIGINT)`);
}

const unixtime =
  (factor: number): Impl =>
  (args, _node, env) =>
    dialect.timestampFromMicros(`CAST(round(${arg(args, 0, env).sql} * ${factor}) AS BIGINT)`);

const SCALARS: Library = {
  tostring: (args, node, env) => {
    return env.c.expr.toStringSql(arg(args, 0, env), node, env);
  },
  // the store records no ingestion time: the row's TimeGenerated stands in for it, with a warning
  ingestion_time: (_args, _node, env) => {
    warn(env.c, INGESTION_WARNING);
    return env.scope.column('TimeGenerated');
  },
  case: caseOf,
  todatetime: toDatetime,
  totimespan: (args, _node, env) => {
    const v = arg(args, 0, env);
    if (v.type === 'timespan') return v.sql;
    if (v.type === 'string') return parseTimespanText(v.sql);
    return dialect.intervalFromMicros(`CAST(${v.sql} // 10 AS BIGINT)`); // a number is ticks
  },
  tobool: toBool,
  startofday: startOf('day'),
  startofweek: startOf('week'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  endofday: endOf('day'),
  endofweek: endOf('week'),
  endofmonth: endOf('month'),
  endofyear: endOf('year'),
  datetime_add: datetimeAdd,
  datetime_diff: datetimeDiff,
  datetime_part: datetimePart,
  format_datetime: formatDatetime,
  hourofday: (args, _node, env) => `CAST(hour(${arg(args, 0, env).sql}) AS INTEGER)`,
  dayofweek: (args, _node, env) => `to_days(CAST(dayofweek(${arg(args, 0, env).sql}) AS INTEGER))`,
  dayofmonth: (args, _node, env) => `CAST(day(${arg(args, 0, env).sql}) AS INTEGER)`,
  dayofyear: (args, _node, env) => `CAST(dayofyear(${arg(args, 0, env).sql}) AS INTEGER)`,
  monthofyear: (args, _node, env) => `CAST(month(${arg(args, 0, env).sql}) AS INTEGER)`,
  getyear: (args, _node, env) => `CAST(year(${arg(args, 0, env).sql}) AS INTEGER)`,
  week_of_year: (args, _node, env) => `CAST(weekofyear(${arg(args, 0, env).sql}) AS INTEGER)`,
  unixtime_seconds_todatetime: unixtime(1_000_000),
  unixtime_milliseconds_todatetime: unixtime(1000),
  unixtime_microseconds_todatetime: unixtime(1),
  unixtime_nanoseconds_todatetime: (args, _node, env) =>
    dialect.timestampFromMicros(`CAST(floor(${arg(args, 0, env).sql} / 1000) AS BIGINT)`),
  make_datetime: makeDatetime,
  make_timespan: makeTimespan,
};
SCALARS.toboolean = toBool;
SCALARS.getmonth = SCALARS.monthofyear;
SCALARS.weekofyear = SCALARS.week_of_year;

export const TIME_FUNCTIONS: FunctionFamily = { name: 'time', scalars: SCALARS };
