/**
 * IP macros behind Kusto's ipv4_* / ipv6_* functions, on addresses kept as VARCHAR (no `inet` offline).
 * Kusto's rules: an address may carry a /n prefix; comparisons use the smallest of both prefixes and the
 * prefix argument; a malformed address gives NULL. IPv4 meets IPv6 as its v4-mapped form ::ffff:a.b.c.d.
 * Built on `tt_ipv4_to_int` and `tt_ip_prefix` (macros.ts, installed first).
 */
export const IP_MACROS = [
  // strict dotted IPv4 (each octet 0–255) → integer, NULL otherwise; an optional /n suffix is ignored here
  `CREATE OR REPLACE MACRO tt_ipv4_strict(ip) AS (tt_ipv4_to_int(split_part(ip, '/', 1)))`,
  // Kusto's ipv4_compare: -1/0/1 on the leading `bits` bits (the smallest of both prefixes and the argument)
  `CREATE OR REPLACE MACRO tt_ipv4_compare(a, b, p) AS (
     sign((tt_ipv4_strict(a) >> (32 - least(tt_ip_prefix(a, 32), tt_ip_prefix(b, 32), p)))
        - (tt_ipv4_strict(b) >> (32 - least(tt_ip_prefix(a, 32), tt_ip_prefix(b, 32), p)))))`,
  // IPv6 text (also ::ffff:a.b.c.d, and plain IPv4 as v4-mapped) → its 8 hex groups, NULL when malformed.
  // Values used more than once are bound once through a one-element list_transform: macros expand
  // textually, and repeating sub-macros would make the expression (and its planning) explode.
  `CREATE OR REPLACE MACRO tt_ipv6_groups(s) AS (
     list_transform([string_split(s, '::')], p ->
       CASE WHEN len(p) = 1 THEN string_split(s, ':')
       WHEN len(p) = 2 THEN list_transform(
         [[CASE WHEN p[1] = '' THEN []::VARCHAR[] ELSE string_split(p[1], ':') END,
           CASE WHEN p[2] = '' THEN []::VARCHAR[] ELSE string_split(p[2], ':') END]],
         h -> list_concat(h[1], list_transform(range(greatest(8 - len(h[1]) - len(h[2]), 0)), x -> '0'), h[2]))[1]
       END)[1])`,
  `CREATE OR REPLACE MACRO tt_ipv6_hex(ip) AS (
     CASE WHEN NOT contains(ip, ':') THEN list_transform([tt_ipv4_strict(ip)], v ->
         CASE WHEN v IS NOT NULL THEN printf('::ffff:%x:%x', v >> 16, v & 65535) END)[1]
     WHEN regexp_matches(ip, ':\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$') THEN list_transform([tt_ipv4_strict(regexp_extract(ip, '[0-9.]+$'))], v ->
         CASE WHEN v IS NOT NULL THEN regexp_replace(ip, '[0-9.]+$', printf('%x:%x', v >> 16, v & 65535)) END)[1]
     ELSE ip END)`,
  // 128 '0'/'1' characters (string order is numeric order, and prefixes are plain left())
  `CREATE OR REPLACE MACRO tt_ipv6_bits(ip) AS (
     list_transform([tt_ipv6_groups(lower(tt_ipv6_hex(split_part(trim(ip), '/', 1))))], g ->
       CASE WHEN len(g) = 8 AND list_bool_and(list_transform(g, x -> regexp_full_match(x, '[0-9a-f]{1,4}')))
       THEN array_to_string(list_transform(g, x -> format('{:016b}', CAST(('0x' || x) AS INTEGER))), '') END)[1])`,
  // the /n of an address for IPv6 comparison: an IPv4 prefix counts within its v4-mapped form
  `CREATE OR REPLACE MACRO tt_ipv6_prefix(ip) AS (
     CASE WHEN contains(ip, ':') THEN tt_ip_prefix(ip, 128) ELSE tt_ip_prefix(ip, 32) + 96 END)`,
  `CREATE OR REPLACE MACRO tt_ipv6_compare(a, b, p) AS (
     list_transform([[tt_ipv6_bits(a), tt_ipv6_bits(b)]], x ->
       list_transform([least(tt_ipv6_prefix(a), tt_ipv6_prefix(b), p)], n ->
         CASE WHEN x[1] IS NULL OR x[2] IS NULL THEN NULL
         WHEN left(x[1], n) < left(x[2], n) THEN -1 WHEN left(x[1], n) > left(x[2], n) THEN 1 ELSE 0 END)[1])[1])`,
];
