/**
 * SQL macros the KQL translator and hunts rely on. DuckDB's `inet` extension cannot be installed
 * offline, so IPs stay VARCHAR (as in Sentinel) and these macros do the arithmetic.
 *
 * Cost model (measured on DuckDB 1.5, 2M rows, one core): macros expand textually and DuckDB's
 * common-subexpression pass does not run inside a WHERE, so a value used twice is computed twice —
 * `tt_ipv4_is_private` on a public address used to parse it five times (~1.4 µs a row). Each address
 * is now validated once by one anchored regex (RE2 runs it as a DFA: ~60 ns a row, cheaper than the
 * `split_part`/`ltrim`/`replace` checks we tried, which cost 4-5× more), then split once into a
 * list bound through a one-element `list_transform` (to_int), or matched by a second DFA (is_private).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { IP_MACROS } from './macros-ip.js';

/** One octet, 0–255, in up to three digits (leading zeros allowed, as before: `010` is 10). */
const OCTET = '([01]?\\d?\\d|2[0-4]\\d|25[0-5])';
/** A whole dotted IPv4 address: exactly four octets, nothing before or after. */
export const IPV4_PATTERN = [OCTET, OCTET, OCTET, OCTET].join('\\.');
/** The first two octets of 10/8, 127/8, 172.16/12, 192.168/16 and 169.254/16, on a valid address. */
const PRIVATE_PREFIX = '(0?10\\.\\d+|127\\.\\d+|172\\.0?(1[6-9]|2\\d|3[01])|192\\.168|169\\.254)';

const MACROS = [
  // dotted IPv4 → integer; NULL when not exactly four octets 0–255 (no /n, no spaces)
  `CREATE OR REPLACE MACRO tt_ipv4_to_int(ip) AS (
     CASE WHEN regexp_full_match(ip, '${IPV4_PATTERN}') THEN
       list_transform([CAST(string_split(ip, '.') AS BIGINT[])], o -> (o[1] << 24) + (o[2] << 16) + (o[3] << 8) + o[4])[1]
     END)`,
  // the /n of an address in prefix notation (default given), NULL when malformed or above the maximum
  `CREATE OR REPLACE MACRO tt_ip_prefix(ip, dflt) AS (
     CASE WHEN NOT contains(ip, '/') THEN dflt
       WHEN TRY_CAST(split_part(ip, '/', 2) AS INTEGER) BETWEEN 0 AND dflt THEN TRY_CAST(split_part(ip, '/', 2) AS INTEGER) END)`,
  // ip inside CIDR (a.b.c.d/n, n in 0..32); a bare address means /32; NULL when either is malformed.
  // `ip` appears once; the CIDR parts fold to constants for a literal and stay per-chunk for a parameter.
  `CREATE OR REPLACE MACRO tt_ipv4_in_range(ip, cidr) AS (
     (tt_ipv4_to_int(ip) >> (32 - tt_ip_prefix(cidr, 32)))
       = (tt_ipv4_to_int(split_part(cidr, '/', 1)) >> (32 - tt_ip_prefix(cidr, 32))))`,
  // RFC 1918, loopback and link-local; NULL when not an IPv4 address. A second DFA regex on the
  // first two octets (leading zeros as the validator allows them) is ~2× cheaper than splitting.
  `CREATE OR REPLACE MACRO tt_ipv4_is_private(ip) AS (
     CASE WHEN regexp_full_match(ip, '${IPV4_PATTERN}') THEN regexp_full_match(ip, '${PRIVATE_PREFIX}\\.\\d+\\.\\d+') END)`,
];

export async function installMacros(connection: DuckDBConnection): Promise<void> {
  for (const sql of [...MACROS, ...IP_MACROS]) await connection.run(sql);
}
