/**
 * Suricata EVE JSON (one event per line), mapped as the rows of docs/telemetry.md "Suricata EVE":
 *   flow, netflow → DeviceNetworkEvents and CommonSecurityLog (as Zeek conn is)
 *   alert         → CommonSecurityLog (Activity = signature, DeviceEventClassID = signature_id, …)
 *   dns           → DnsEvents (queries and answers; IPAddresses from the answer's A/AAAA records)
 * Other event types (http, tls, fileinfo, anomaly, stats, …) are ignored with the reason, not rejected.
 * The mapping is a LoadPlan (data): DuckDB runs it on the file; plan-reader.ts runs it on odd lines.
 */
import type { Expr, LoadPlan, SourceField } from '../store/plan.js';
import { flowTargets } from './flow-plan.js';

export const SURICATA_EVENTS = ['flow', 'netflow', 'alert', 'dns'] as const;

const f = (name: string, as: SourceField['as'] = 'string'): SourceField => ({
  name,
  at: name.split('.'),
  as,
});

const FIELDS: SourceField[] = [
  f('timestamp', 'datetime'),
  f('event_type'),
  f('host'),
  f('src_ip'),
  f('src_port', 'int'),
  f('dest_ip'),
  f('dest_port', 'int'),
  f('proto'),
  f('app_proto'),
  f('flow_id', 'long'),
  f('in_iface'),
  f('flow.pkts_toserver', 'long'),
  f('flow.pkts_toclient', 'long'),
  f('flow.bytes_toserver', 'long'),
  f('flow.bytes_toclient', 'long'),
  f('flow.start', 'datetime'),
  f('flow.end', 'datetime'),
  f('flow.age', 'long'),
  f('flow.state'),
  f('flow.reason'),
  f('netflow.pkts', 'long'),
  f('netflow.bytes', 'long'),
  f('netflow.start', 'datetime'),
  f('netflow.end', 'datetime'),
  f('netflow.age', 'long'),
  f('dns.type'),
  f('dns.rrname'),
  f('dns.rrtype'),
  f('dns.rcode'),
  f('dns.rdata'),
  f('dns.grouped.A', 'list'),
  f('dns.grouped.AAAA', 'list'),
  f('alert.signature'),
  f('alert.signature_id', 'long'),
  f('alert.severity', 'int'),
  f('alert.category'),
  f('alert.action'),
];

const field = (name: string): Expr => ({ field: name });
const start: Expr = { coalesce: [field('flow.start'), field('netflow.start'), field('timestamp')] };
const end: Expr = { coalesce: [field('flow.end'), field('netflow.end')] };
const FLOWS = ['flow', 'netflow'];
const FLOW_EXTRAS = [
  'flow_id',
  'app_proto',
  'in_iface',
  'flow.pkts_toserver',
  'flow.pkts_toclient',
  'flow.bytes_toserver',
  'flow.bytes_toclient',
  'flow.age',
  'flow.state',
  'flow.reason',
  'netflow.pkts',
  'netflow.bytes',
  'netflow.age',
];

/** Suricata flow state → Defender ActionType: `new` never saw an answer (an attempt, like Zeek S0). */
const ACTION_TYPE = {
  new: 'ConnectionAttempt',
  established: 'ConnectionSuccess',
  closed: 'ConnectionSuccess',
};
const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

const CSL_COMMON: Record<string, Expr> = {
  DeviceVendor: { const: 'OISF' },
  DeviceProduct: { const: 'Suricata' },
  SourceIP: field('src_ip'),
  SourcePort: field('src_port'),
  DestinationIP: field('dest_ip'),
  DestinationPort: field('dest_port'),
  Protocol: { upper: 'proto' },
  ApplicationProtocol: field('app_proto'),
  DeviceName: field('host'),
  Computer: field('host'),
  Type: { const: 'CommonSecurityLog' },
};

export function suricataPlan(options: { sensor?: string } = {}): LoadPlan {
  const host: Expr = options.sensor
    ? { coalesce: [field('host'), { const: options.sensor }] }
    : field('host');
  const flows = flowTargets({
    time: start,
    end,
    sensor: host,
    actionType: { lookup: 'flow.state', values: ACTION_TYPE },
    localIp: 'src_ip',
    localPort: 'src_port',
    remoteIp: 'dest_ip',
    remotePort: 'dest_port',
    proto: 'proto',
    vendor: 'OISF',
    product: 'Suricata',
    eventClass: field('event_type'),
    activity: field('flow.state'),
    appProtocol: field('app_proto'),
    sent: { coalesce: [field('flow.bytes_toserver'), field('netflow.bytes')] },
    received: field('flow.bytes_toclient'),
    extras: FLOW_EXTRAS,
    when: { field: 'event_type', in: FLOWS },
  });
  return {
    layout: { kind: 'json' },
    fields: FIELDS,
    route: {
      field: 'event_type',
      accept: SURICATA_EVENTS,
      otherwise: 'ignore',
      reason: 'Suricata "{}" event: no table mapping',
    },
    targets: [
      flows.dne,
      flows.csl,
      {
        table: 'CommonSecurityLog',
        when: { field: 'event_type', in: ['alert'] },
        columns: {
          ...CSL_COMMON,
          DeviceName: host,
          Computer: host,
          TimeGenerated: field('timestamp'),
          DeviceEventClassID: field('alert.signature_id'),
          Activity: field('alert.signature'),
          LogSeverity: field('alert.severity'),
          DeviceAction: field('alert.action'),
          DeviceEventCategory: field('alert.category'),
          AdditionalExtensions: { extras: ['flow_id', 'in_iface'], as: 'kv' },
        },
      },
      {
        table: 'DnsEvents',
        when: { field: 'event_type', in: ['dns'] },
        columns: {
          TimeGenerated: field('timestamp'),
          Computer: host,
          ClientIP: field('src_ip'),
          Name: field('dns.rrname'),
          QueryType: field('dns.rrtype'),
          ResultCode: { lookup: 'dns.rcode', values: RCODES },
          IPAddresses: {
            coalesce: [{ joinLists: ['dns.grouped.A', 'dns.grouped.AAAA'] }, field('dns.rdata')],
          },
          SubType: { const: 'LookupQuery' },
          Type: { const: 'DnsEvents' },
        },
      },
    ],
  };
}
