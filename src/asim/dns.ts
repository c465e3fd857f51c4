/**
 * Dns: one row per DNS query and its answer. Every DNS source Telltale reads lands in DnsEvents once
 * (Windows DNS server exports; Zeek dns.log and Suricata dns records through their readers), so the
 * table is read whole, its LookupQuery rows.
 */
import type { SourceParser } from './source.js';

/** RFC 1035/6895 response codes by number. */
const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

/** Query type names → numbers (the common ones; others keep their name and no number). */
const QTYPES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  RRSIG: 46,
  DNSKEY: 48,
  HTTPS: 65,
  SVCB: 64,
  ANY: 255,
  CAA: 257,
};

const rcodeName =
  'case(' +
  RCODE_NAMES.map((n, i) => `ResultCode == ${i}, '${n}'`).join(', ') +
  ", isnull(ResultCode), '', tostring(ResultCode))";

const qtypeNumber =
  'case(' +
  Object.entries(QTYPES)
    .map(([n, v]) => `QueryType =~ '${n}', ${v}`)
    .join(', ') +
  ', toint(QueryType))';

const dnsEvents: SourceParser = {
  name: 'DnsEvents',
  table: 'DnsEvents',
  where: "SubType == 'LookupQuery' or isempty(SubType)",
  fields: {
    // Windows DNS server rows carry an event id; the Zeek and Suricata readers write none
    EventVendor: "iff(isnotnull(EventId), 'Microsoft', 'Telltale')",
    EventProduct: "iff(isnotnull(EventId), 'DNS Server', 'Network sensor')",
    EventType: "'Query'",
    EventSubType: "'response'",
    EventOriginalType: 'tostring(EventId)',
    EventResult: "case(isnull(ResultCode), 'NA', ResultCode == 0, 'Success', 'Failure')",
    EventResultDetails: rcodeName,
    DnsResponseCode: 'ResultCode',
    DnsQuery: 'Name',
    DnsQueryTypeName: 'toupper(QueryType)',
    DnsQueryType: qtypeNumber,
    DnsResponseName: 'IPAddresses',
    SrcIpAddr: 'ClientIP',
    DvcHostname: 'Computer',
    EventMessage: 'Message',
  },
};

export const DNS_SOURCES: SourceParser[] = [dnsEvents];
