/**
 * The two targets every flow source feeds (Zeek conn, Suricata flow/netflow, nfdump): one
 * DeviceNetworkEvents row and one CommonSecurityLog row, the same way for each, from named fields.
 */
import type { Expr, TableTarget } from '../store/plan.js';

/** Defender's Protocol spelling, from Zeek's (`tcp`), Suricata's (`TCP`, `IPV6-ICMP`) and nfdump's. */
export const DNE_PROTOCOL = {
  tcp: 'Tcp',
  udp: 'Udp',
  icmp: 'Icmp',
  TCP: 'Tcp',
  UDP: 'Udp',
  ICMP: 'Icmp',
  'IPV6-ICMP': 'Icmp',
  ICMP6: 'Icmp',
};

export interface FlowFields {
  time: Expr;
  end?: Expr;
  sensor: Expr;
  actionType?: Expr;
  localIp: string;
  localPort: string;
  remoteIp: string;
  remotePort: string;
  proto: string;
  vendor: string;
  product: string;
  eventClass: Expr;
  activity?: Expr;
  appProtocol?: Expr;
  sent?: Expr;
  received?: Expr;
  extras: readonly string[];
  /** Only lines whose field has one of these values (Suricata event types). */
  when?: TableTarget['when'];
}

function defined(columns: Record<string, Expr | undefined>): Record<string, Expr> {
  const out: Record<string, Expr> = {};
  for (const [k, v] of Object.entries(columns)) if (v) out[k] = v;
  return out;
}

export function flowTargets(f: FlowFields): { dne: TableTarget; csl: TableTarget } {
  const field = (name: string): Expr => ({ field: name });
  const dne: TableTarget = {
    table: 'DeviceNetworkEvents',
    when: f.when,
    columns: defined({
      TimeGenerated: f.time,
      Timestamp: f.time,
      DeviceName: f.sensor,
      ActionType: f.actionType,
      LocalIP: field(f.localIp),
      LocalPort: field(f.localPort),
      LocalIPType: { ipType: f.localIp },
      RemoteIP: field(f.remoteIp),
      RemotePort: field(f.remotePort),
      RemoteIPType: { ipType: f.remoteIp },
      Protocol: { lookup: f.proto, values: DNE_PROTOCOL, otherwise: 'same' },
      AdditionalFields: { extras: f.extras, as: 'json' },
      Type: { const: 'DeviceNetworkEvents' },
    }),
  };
  const csl: TableTarget = {
    table: 'CommonSecurityLog',
    when: f.when,
    columns: defined({
      TimeGenerated: f.time,
      DeviceVendor: { const: f.vendor },
      DeviceProduct: { const: f.product },
      DeviceEventClassID: f.eventClass,
      Activity: f.activity,
      SourceIP: field(f.localIp),
      SourcePort: field(f.localPort),
      DestinationIP: field(f.remoteIp),
      DestinationPort: field(f.remotePort),
      Protocol: { upper: f.proto },
      ApplicationProtocol: f.appProtocol,
      SentBytes: f.sent,
      ReceivedBytes: f.received,
      StartTime: f.time,
      EndTime: f.end,
      DeviceName: f.sensor,
      Computer: f.sensor,
      AdditionalExtensions: { extras: f.extras, as: 'kv' },
      Type: { const: 'CommonSecurityLog' },
    }),
  };
  return { dne, csl };
}
