/**
 * The one IPv4 pattern: a dotted quad of four octets 0–255 written without leading zeros (`010.` is
 * octal to some parsers and decimal to others, so it is refused as ambiguous). The text is both a
 * JavaScript and an RE2 regular expression: the same pattern validates in JS (isIPv4) and in DuckDB SQL
 * (`regexp_full_match(x, '${IPV4_PATTERN}')`). KQL's own functions keep Kusto's leniency
 * (store/macros.ts).
 */
export const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
export const IPV4_PATTERN = `${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}`;

const IPV4 = new RegExp(`^${IPV4_PATTERN}$`);

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}
