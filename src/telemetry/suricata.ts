/**
 * Suricata EVE JSON (one event per line). Each event is stored once, in the native table of its
 * `event_type` (suricata_flow, suricata_alert, suricata_dns, …: the common fields plus its own, typed as
 * EVE's documentation defines them); an event type without a table goes to suricata_other with its whole
 * line as JSON. The Sentinel tables read them as docs/telemetry.md "Suricata EVE" says:
 *   flow, netflow → DeviceNetworkEvents and CommonSecurityLog (as Zeek conn is)
 *   alert         → CommonSecurityLog (Activity = signature, DeviceEventClassID = signature_id, …)
 *   dns           → DnsEvents (queries and answers; IPAddresses from the answer's A/AAAA records)
 * The mapping is a LoadPlan (data): DuckDB runs it on the file; plan-reader.ts runs it on odd lines.
 */
import type { Expr, LoadPlan, SourceField } from '../store/plan.js';
import { flowTargets } from './flow-plan.js';

type As = SourceField['as'];

/** Fields under one key path prefix: `under('flow', { age: 'long' })` → flow.age. */
function under(prefix: string, fields: Readonly<Record<string, As>>): SourceField[] {
  return Object.entries(fields).map(([key, as]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    return { name, at: name.split('.'), as };
  });
}

/** Keys every event may have (EVE "common" section). */
const COMMON = under('', {
  timestamp: 'datetime',
  event_type: 'string',
  flow_id: 'long',
  parent_id: 'long',
  pcap_cnt: 'long',
  pcap_filename: 'string',
  in_iface: 'string',
  vlan: 'list',
  src_ip: 'string',
  src_port: 'int',
  dest_ip: 'string',
  dest_port: 'int',
  proto: 'string',
  icmp_type: 'int',
  icmp_code: 'int',
  community_id: 'string',
  app_proto: 'string',
  tx_id: 'long',
  direction: 'string',
  host: 'string',
  metadata: 'dynamic',
});

const FLOW_COUNTERS = under('flow', {
  pkts_toserver: 'long',
  pkts_toclient: 'long',
  bytes_toserver: 'long',
  bytes_toclient: 'long',
  start: 'datetime',
});
const FLOW = [
  ...under('flow', {
    end: 'datetime',
    age: 'long',
    state: 'string',
    reason: 'string',
    alerted: 'bool',
    bypass: 'string',
    emergency: 'bool',
    wrong_thread: 'bool',
  }),
  ...under('', {
    app_proto_ts: 'string',
    app_proto_tc: 'string',
    app_proto_orig: 'string',
    app_proto_expected: 'string',
  }),
];
const TCP = under('tcp', {
  tcp_flags: 'string',
  tcp_flags_ts: 'string',
  tcp_flags_tc: 'string',
  syn: 'bool',
  fin: 'bool',
  rst: 'bool',
  psh: 'bool',
  ack: 'bool',
  urg: 'bool',
  ecn: 'bool',
  cwr: 'bool',
  state: 'string',
});
const NETFLOW = under('netflow', {
  pkts: 'long',
  bytes: 'long',
  start: 'datetime',
  end: 'datetime',
  age: 'long',
  min_ttl: 'int',
  max_ttl: 'int',
});
const ALERT = [
  ...under('alert', {
    action: 'string',
    gid: 'long',
    signature_id: 'long',
    rev: 'long',
    signature: 'string',
    category: 'string',
    severity: 'int',
    metadata: 'dynamic',
  }),
  ...under('', {
    payload: 'string',
    payload_printable: 'string',
    packet: 'string',
    stream: 'int',
    files: 'dynamic',
  }),
];
const HTTP = under('http', {
  hostname: 'string',
  http_port: 'int',
  url: 'string',
  http_user_agent: 'string',
  http_content_type: 'string',
  http_refer: 'string',
  http_method: 'string',
  protocol: 'string',
  status: 'int',
  length: 'long',
  redirect: 'string',
  xff: 'string',
  request_headers: 'dynamic',
  response_headers: 'dynamic',
});
const DNS = [
  ...under('dns', {
    version: 'int',
    type: 'string',
    id: 'long',
    flags: 'string',
    qr: 'bool',
    aa: 'bool',
    tc: 'bool',
    rd: 'bool',
    ra: 'bool',
    z: 'bool',
    opcode: 'int',
    rrname: 'string',
    rrtype: 'string',
    rcode: 'string',
    rdata: 'string',
    ttl: 'long',
    tx_id: 'long',
    queries: 'dynamic',
    answers: 'dynamic',
    authorities: 'dynamic',
    additionals: 'dynamic',
  }),
  ...under('dns.grouped', {
    A: 'list',
    AAAA: 'list',
    CNAME: 'list',
    PTR: 'list',
    MX: 'list',
    NS: 'list',
    TXT: 'list',
  }),
];
const TLS = [
  ...under('tls', {
    version: 'string',
    subject: 'string',
    issuerdn: 'string',
    serial: 'string',
    fingerprint: 'string',
    sni: 'string',
    notbefore: 'datetime',
    notafter: 'datetime',
    session_resumed: 'bool',
    certificate: 'string',
    chain: 'dynamic',
    ja4: 'string',
  }),
  ...under('tls.ja3', { hash: 'string', string: 'string' }),
  ...under('tls.ja3s', { hash: 'string', string: 'string' }),
];
const FILEINFO = under('fileinfo', {
  filename: 'string',
  magic: 'string',
  gaps: 'bool',
  state: 'string',
  md5: 'string',
  sha1: 'string',
  sha256: 'string',
  stored: 'bool',
  file_id: 'long',
  size: 'long',
  tx_id: 'long',
  start: 'long',
  end: 'long',
  sid: 'list',
});
const ANOMALY = under('anomaly', {
  type: 'string',
  event: 'string',
  layer: 'string',
  code: 'int',
  app_proto: 'string',
});
const SSH = [
  ...under('ssh.client', { proto_version: 'string', software_version: 'string' }),
  ...under('ssh.server', { proto_version: 'string', software_version: 'string' }),
  ...under('ssh.client.hassh', { hash: 'string', string: 'string' }),
  ...under('ssh.server.hassh', { hash: 'string', string: 'string' }),
];

const names = (...groups: SourceField[][]): string[] => groups.flat().map((f) => f.name);

/** The event types with a table of their own, and the fields each stores besides COMMON. */
export const SURICATA_PARTS: Readonly<Record<string, readonly string[]>> = {
  flow: names(FLOW_COUNTERS, FLOW, TCP),
  netflow: names(NETFLOW, TCP),
  // an alert carries its flow's counters and the app-layer record that raised it
  alert: names(ALERT, FLOW_COUNTERS, HTTP, TLS.slice(0, 7)),
  dns: names(DNS),
  http: names(HTTP),
  tls: names(TLS),
  fileinfo: names(FILEINFO, HTTP),
  anomaly: names(ANOMALY),
  ssh: names(SSH),
};

const FIELDS: SourceField[] = [
  ...COMMON,
  ...FLOW_COUNTERS,
  ...FLOW,
  ...TCP,
  ...NETFLOW,
  ...ALERT,
  ...HTTP,
  ...DNS,
  ...TLS,
  ...FILEINFO,
  ...ANOMALY,
  ...SSH,
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
    partition: { field: 'event_type', common: names(COMMON), parts: SURICATA_PARTS },
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
