/**
 * One source-specific ASIM parser: which rows of which table, and a KQL expression per ASIM field
 * (the way Sentinel's own `ASim<Schema><Vendor><Product>` parsers are written). Fields a source does not
 * set are null in the unifying parser. Shared KQL fragments for the mappings live here too.
 */

export interface SourceParser {
  /** Suffix of the source-specific names: `_Im_NetworkSession_<name>`, `_ASim_NetworkSession_<name>`. */
  name: string;
  /** Table the rows come from (its column types decide where a conversion is needed). */
  table: string;
  /** A KQL filter on that table selecting this source's rows ('' for all). */
  where: string;
  /** ASIM field → KQL expression over one row of `table`. */
  fields: Record<string, string>;
  /**
   * CommonSecurityLog sources: the DeviceVendor of their rows (`other`: a vendor no other source
   * names). A store holding none of them leaves the source out of the union (see `SourcePresence`).
   */
  vendor?: string;
}

/**
 * Fields every Defender for Endpoint table maps alike: the product, the event's time (Timestamp in the
 * export, TimeGenerated once in Sentinel), the report id and the device.
 */
export const DEFENDER_FIELDS: Record<string, string> = {
  EventVendor: "'Microsoft'",
  EventProduct: "'M365 Defender for Endpoint'",
  TimeGenerated: 'coalesce(TimeGenerated, Timestamp)',
  EventStartTime: 'coalesce(Timestamp, TimeGenerated)',
  EventEndTime: 'coalesce(Timestamp, TimeGenerated)',
  EventOriginalType: 'ActionType',
  EventUid: 'tostring(ReportId)',
  DvcHostname: 'DeviceName',
  DvcId: 'DeviceId',
  DvcIdType: "iff(isnotempty(DeviceId), 'MDEid', '')",
};

/** Any DeviceVendor the named CommonSecurityLog sources do not read (CEF firewalls). */
export const OTHER_VENDOR = 'other';

/**
 * The DeviceVendor values a store's CommonSecurityLog holds (undefined: unknown, every source kept).
 * A source whose rows cannot occur adds nothing to the union but its cost: its fields' case arms make
 * DuckDB compute their inputs for every row (e.g. nfdump's flags from AdditionalExtensions text).
 */
export type SourcePresence = ReadonlySet<string> | undefined;

export function sourcePresent(
  source: SourceParser,
  named: ReadonlySet<string>,
  vendors: SourcePresence,
): boolean {
  if (!vendors || source.vendor === undefined) return true;
  if (source.vendor !== OTHER_VENDOR) return vendors.has(source.vendor);
  return [...vendors].some((v) => !named.has(v));
}

/** `key=value;…` extension text (CommonSecurityLog.AdditionalExtensions as Telltale writes it). */
export function extension(key: string): string {
  return `extract(@"(?:^|;)${key}=([^;]*)", 1, AdditionalExtensions)`;
}

/** Inbound / Outbound / Local / External from the two addresses (RFC 1918 and kin = inside). */
export function direction(src: string, dst: string): string {
  return (
    `case(isempty(${src}) or isempty(${dst}), 'NA', ` +
    `ipv4_is_private(${src}) and ipv4_is_private(${dst}), 'Local', ` +
    `ipv4_is_private(${src}), 'Outbound', ipv4_is_private(${dst}), 'Inbound', 'External')`
  );
}

export function ipVersion(ip: string): string {
  return `case(isempty(${ip}), '', ${ip} contains ':', 'IPv6', 'IPv4')`;
}

/** IANA protocol name from a name in any case or a protocol number. */
export function protocolName(value: string): string {
  return `case(${value} == '6', 'TCP', ${value} == '17', 'UDP', ${value} == '1', 'ICMP', ${value} == '58', 'ICMPV6', toupper(${value}))`;
}

/** `domain\\name` when there is a domain, else the name. */
export function qualifiedUser(domain: string, name: string): string {
  return `iff(isnotempty(${domain}) and isnotempty(${name}), strcat(${domain}, @'\\', ${name}), ${name})`;
}

/** ASIM username type for a `domain\\name`, `name@domain` or simple name. */
export function usernameType(user: string): string {
  return `case(isempty(${user}), '', ${user} contains @'\\', 'Windows', ${user} contains '@', 'UPN', 'Simple')`;
}

/** The folder part of a path (either separator). */
export function directoryOf(path: string): string {
  return `extract(@'^(.*)[\\\\/][^\\\\/]*$', 1, ${path})`;
}

/** The last part of a path (either separator). */
export function fileNameOf(path: string): string {
  return `extract(@'([^\\\\/]*)$', 1, ${path})`;
}
