/**
 * SQL macros the KQL translator and hunts rely on. DuckDB's `inet` extension cannot be installed
 * offline, so IPs stay VARCHAR (as in Sentinel) and these macros do the arithmetic.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { IP_MACROS } from './macros-ip.js';

const MACROS = [
  // dotted IPv4 → integer, NULL when not an IPv4 address
  `CREATE OR REPLACE MACRO tt_ipv4_to_int(ip) AS (
     CASE WHEN regexp_full_match(ip, '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})') THEN
       (TRY_CAST(split_part(ip, '.', 1) AS BIGINT) << 24) + (TRY_CAST(split_part(ip, '.', 2) AS BIGINT) << 16)
       + (TRY_CAST(split_part(ip, '.', 3) AS BIGINT) << 8) + TRY_CAST(split_part(ip, '.', 4) AS BIGINT)
     END)`,
  // ip inside CIDR (a.b.c.d/n); a bare address means /32
  `CREATE OR REPLACE MACRO tt_ipv4_in_range(ip, cidr) AS (
     tt_ipv4_to_int(ip) // (1 << (32 - coalesce(TRY_CAST(NULLIF(split_part(cidr, '/', 2), '') AS INTEGER), 32)))
       = tt_ipv4_to_int(split_part(cidr, '/', 1)) // (1 << (32 - coalesce(TRY_CAST(NULLIF(split_part(cidr, '/', 2), '') AS INTEGER), 32))))`,
  `CREATE OR REPLACE MACRO tt_ipv4_is_private(ip) AS (
     tt_ipv4_in_range(ip, '10.0.0.0/8') OR tt_ipv4_in_range(ip, '172.16.0.0/12')
     OR tt_ipv4_in_range(ip, '192.168.0.0/16') OR tt_ipv4_in_range(ip, '127.0.0.0/8')
     OR tt_ipv4_in_range(ip, '169.254.0.0/16'))`,
];

export async function installMacros(connection: DuckDBConnection): Promise<void> {
  for (const sql of [...MACROS, ...IP_MACROS]) await connection.run(sql);
}
