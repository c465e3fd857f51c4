/**
 * The SQL engine's own spellings, in one place: type names, and the functions whose names or forms differ
 * between engines (epoch microseconds, intervals, list lambdas, JSON). The translator writes these
 * through `dialect`; a second engine is a second object implementing Dialect, not a rewrite.
 * Arguments and results are SQL text.
 */
import { DUCK_TYPES, type KqlType } from '../store/schema.js';

export interface Dialect {
  /** The engine's type for a Kusto scalar type (undefined for types not mapped). */
  type(kustoType: string): string | undefined;
  /** Microseconds since the Unix epoch of a timestamp. */
  epochMicros(timestamp: string): string;
  /** The timestamp that many microseconds after the Unix epoch. */
  timestampFromMicros(micros: string): string;
  /** The interval of that many (integer) microseconds. */
  intervalFromMicros(micros: string): string;
  /** The microseconds of an interval, as an integer. */
  intervalMicros(interval: string): string;
  /** `[f(e) for e in list]`; `element` may be `(e, i)` for a 1-based index too. */
  listTransform(list: string, element: string, body: string): string;
  /** The elements of a list for which `body` holds. */
  listFilter(list: string, element: string, body: string): string;
  /** A list folded left: `accumulator, element` over the elements, starting from the first. */
  listReduce(list: string, params: string, body: string): string;
  /** Number of elements of a list. */
  listLength(list: string): string;
  /** Any value as the engine's JSON type. */
  toJson(value: string): string;
  /**
   * A timestamp as Kusto's ISO text with 7 fraction digits. Timestamps keep microseconds; the last
   * microsecond of a second stands for its last 100 ns tick (.9999999), the value of Kusto's endofday /
   * endofmonth …, which a microsecond cannot hold.
   */
  isoTicks(timestamp: string): string;
  /** A UTC timestamp as the wall-clock time of an IANA time zone (NULL for a zone the engine does not know). */
  utcToZone(timestamp: string, zone: string): string;
  /**
   * The UTC timestamp of a time zone's wall-clock time: the zone's offset at the engine's first reading.
   * A wall-clock time that a daylight-saving gap skips reads with the offset after the gap (as Kusto).
   */
  zoneToUtc(timestamp: string, zone: string): string;
  /** The JSON type name of a JSON value: 'VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'. */
  jsonType(json: string): string;
}

const duckdb: Dialect = {
  type: (kustoType) => (Object.hasOwn(DUCK_TYPES, kustoType) ? DUCK_TYPES[kustoType as KqlType] : undefined),
  epochMicros: (timestamp) => `epoch_us(${timestamp})`,
  timestampFromMicros: (micros) => `make_timestamp(${micros})`,
  intervalFromMicros: (micros) => `to_microseconds(${micros})`,
  intervalMicros: (interval) => `CAST(round(epoch(${interval}) * 1000000) AS BIGINT)`,
  listTransform: (list, element, body) => `list_transform(${list}, ${element} -> ${body})`,
  listFilter: (list, element, body) => `list_filter(${list}, ${element} -> ${body})`,
  listReduce: (list, params, body) => `list_reduce(${list}, (${params}) -> ${body})`,
  listLength: (list) => `len(${list})`,
  toJson: (value) => `to_json(${value})`,
  jsonType: (json) => `json_type(${json})`,
  utcToZone: (ts, zone) =>
    `(CASE WHEN ${knownZone(zone)} THEN timezone(${zone}, timezone('UTC', ${ts})) END)`,
  zoneToUtc: (ts, zone) => {
    const first = `timezone('UTC', timezone(${zone}, ${ts}))`;
    // ts − (the wall-clock time of the first reading − the first reading): the first reading itself,
    // except in a gap, where the wall clock had already moved on
    return `(CASE WHEN ${knownZone(zone)} THEN ${ts} - (timezone(${zone}, timezone('UTC', ${first})) - ${first}) END)`;
  },
  isoTicks: (ts) =>
    `(strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%f') || CASE WHEN (epoch_us(${ts}) % 1000000 + 1000000) % 1000000 = 999999 THEN '9' ELSE '0' END || 'Z')`,
};

/** An unknown zone name is NULL in Kusto, an error in DuckDB: look it up first. */
function knownZone(zone: string): string {
  return `${zone} IN (SELECT name FROM pg_timezone_names())`;
}

/** The engine Telltale runs on. */
export const dialect: Dialect = duckdb;
