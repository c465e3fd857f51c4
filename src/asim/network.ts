/**
 * NetworkSession: one row per connection, whatever saw it. Zeek conn, Suricata flow/netflow and nfdump
 * records are read where their readers write them in CommonSecurityLog (DeviceVendor Zeek / OISF /
 * nfdump); the same readers also write a DeviceNetworkEvents twin of each record, which is skipped here
 * (only Defender's own rows, which carry a DeviceId, ReportId or initiating process, are read from that
 * table), so each connection appears once. Suricata alerts are not sessions (the flow that raised one is
 * already counted) and are left out. Every other CommonSecurityLog row with an address is a CEF
 * firewall session.
 */
import {
  direction,
  extension,
  ipVersion,
  OTHER_VENDOR,
  protocolName,
  qualifiedUser,
  type SourceParser,
  DEFENDER_FIELDS,
} from './source.js';

/** Fields every CommonSecurityLog-based session shares. */
function cslSession(vendor: string, product: string): Record<string, string> {
  return {
    EventVendor: vendor,
    EventProduct: product,
    EventStartTime: 'coalesce(StartTime, TimeGenerated)',
    EventEndTime: 'coalesce(EndTime, StartTime, TimeGenerated)',
    SrcIpAddr: 'SourceIP',
    SrcPortNumber: 'SourcePort',
    DstIpAddr: 'DestinationIP',
    DstPortNumber: 'DestinationPort',
    NetworkProtocol: protocolName('Protocol'),
    NetworkProtocolVersion: ipVersion('SourceIP'),
    NetworkDirection: direction('SourceIP', 'DestinationIP'),
    NetworkApplicationProtocol: 'ApplicationProtocol',
    SrcBytes: 'SentBytes',
    DstBytes: 'ReceivedBytes',
    NetworkBytes: 'SentBytes + ReceivedBytes',
    DvcHostname: 'coalesce(DeviceName, Computer)',
    EventOriginalType: 'DeviceEventClassID',
  };
}

/** Zeek conn_state: answered (SF, S1–S3, RSTO, RSTR), unanswered or refused, or neither (OTH). */
const ZEEK_RESULT =
  "case((Activity == 'SF' or Activity == 'S1' or Activity == 'S2' or Activity == 'S3' or Activity == 'RSTO' or Activity == 'RSTR'), 'Success', " +
  "(Activity == 'S0' or Activity == 'REJ' or Activity == 'RSTOS0' or Activity == 'RSTRH' or Activity == 'SH' or Activity == 'SHR'), 'Failure', 'NA')";

const zeek: SourceParser = {
  name: 'Zeek',
  table: 'CommonSecurityLog',
  vendor: 'Zeek',
  where: "DeviceVendor == 'Zeek'",
  fields: {
    ...cslSession("'Zeek'", "'Zeek'"),
    EventType: "'NetworkSession'",
    EventResult: ZEEK_RESULT,
    EventResultDetails: "case(Activity == 'REJ', 'Reset', Activity == 'S0', 'Timeout', '')",
    EventOriginalResultDetails: 'Activity',
    NetworkSessionId: extension('uid'),
    NetworkConnectionHistory: extension('history'),
    NetworkDuration: `toint(toreal(${extension('duration')}) * 1000)`,
    SrcPackets: `tolong(${extension('orig_pkts')})`,
    DstPackets: `tolong(${extension('resp_pkts')})`,
    NetworkPackets: `tolong(${extension('orig_pkts')}) + tolong(${extension('resp_pkts')})`,
  },
};

const suricata: SourceParser = {
  name: 'Suricata',
  table: 'CommonSecurityLog',
  vendor: 'OISF',
  where: "DeviceVendor == 'OISF' and (DeviceEventClassID == 'flow' or DeviceEventClassID == 'netflow')",
  fields: {
    ...cslSession("'OISF'", "'Suricata'"),
    EventType: "iff(DeviceEventClassID == 'netflow', 'Flow', 'NetworkSession')",
    // a flow Suricata saw no answer to stays 'new'
    EventResult:
      "case(Activity == 'new', 'Failure', (Activity == 'established' or Activity == 'closed'), 'Success', 'NA')",
    EventOriginalResultDetails: 'Activity',
    NetworkSessionId: extension('flow_id'),
  },
};

const nfdump: SourceParser = {
  name: 'Nfdump',
  table: 'CommonSecurityLog',
  vendor: 'nfdump',
  where: "DeviceVendor == 'nfdump'",
  fields: {
    ...cslSession("'nfdump'", "'NetFlow'"),
    EventType: "'Flow'",
    // a bare SYN (or SYN+RST) was never answered
    EventResult: `case(${extension('flg')} == '....S.' or ${extension('flg')} == '...RS.', 'Failure', isnotempty(${extension('flg')}), 'Success', 'NA')`,
    EventOriginalResultDetails: extension('flg'),
    SrcPackets: `tolong(${extension('ipkt')})`,
    DstPackets: `tolong(${extension('opkt')})`,
  },
};

/** CEF act= spellings → ASIM DvcAction. */
const DVC_ACTION =
  "case((DeviceAction =~ 'accept' or DeviceAction =~ 'allow' or DeviceAction =~ 'allowed' or DeviceAction =~ 'permit' or DeviceAction =~ 'pass' or DeviceAction =~ 'accepted' or DeviceAction =~ 'permitted'), 'Allow', " +
  "(DeviceAction =~ 'deny' or DeviceAction =~ 'denied' or DeviceAction =~ 'block' or DeviceAction =~ 'blocked' or DeviceAction =~ 'reject' or DeviceAction =~ 'rejected'), 'Deny', " +
  "(DeviceAction =~ 'drop' or DeviceAction =~ 'dropped'), 'Drop', (DeviceAction =~ 'reset' or DeviceAction =~ 'rst'), 'Reset', '')";

/** CEF severity (0–10 or a word) → ASIM EventSeverity. */
const CEF_SEVERITY =
  "case((LogSeverity =~ '0' or LogSeverity =~ '1' or LogSeverity =~ '2' or LogSeverity =~ '3' or LogSeverity =~ 'low'), 'Low', (LogSeverity =~ '4' or LogSeverity =~ '5' or LogSeverity =~ '6' or LogSeverity =~ 'medium'), 'Medium', " +
  "(LogSeverity =~ '7' or LogSeverity =~ '8' or LogSeverity =~ '9' or LogSeverity =~ '10' or LogSeverity =~ 'high' or LogSeverity =~ 'very-high'), 'High', 'Informational')";

/** The rule name, from whichever cs<N> the device labelled as its rule. */
const CEF_RULE =
  'case(' +
  [1, 2, 3, 4, 5, 6]
    .map(
      (n) =>
        `(DeviceCustomString${n}Label =~ 'Rule' or DeviceCustomString${n}Label =~ 'RuleName' or DeviceCustomString${n}Label =~ 'Rule Name' or DeviceCustomString${n}Label =~ 'Policy')`,
    )
    .map((test, i) => `${test}, DeviceCustomString${i + 1}`)
    .join(', ') +
  ", '')";

function cefFirewall(name: string, vendor: string, vendorFilter: string): SourceParser {
  return {
    name,
    table: 'CommonSecurityLog',
    vendor,
    where: vendorFilter,
    fields: {
      ...cslSession('DeviceVendor', 'DeviceProduct'),
      EventType: "'NetworkSession'",
      EventCount: 'coalesce(EventCount, 1)',
      EventProductVersion: 'DeviceVersion',
      EventMessage: 'Activity',
      EventOriginalSeverity: 'LogSeverity',
      EventSeverity: CEF_SEVERITY,
      DvcAction: DVC_ACTION,
      DvcOriginalAction: 'DeviceAction',
      EventResult: `case(${DVC_ACTION} == 'Allow', 'Success', isnotempty(${DVC_ACTION}), 'Failure', 'NA')`,
      NetworkDirection:
        "case((CommunicationDirection =~ '0' or CommunicationDirection =~ 'Inbound'), 'Inbound', (CommunicationDirection =~ '1' or CommunicationDirection =~ 'Outbound'), 'Outbound', " +
        `${direction('SourceIP', 'DestinationIP')})`,
      NetworkRuleName: CEF_RULE,
      SrcHostname: 'SourceHostName',
      DstHostname: 'DestinationHostName',
      SrcMacAddr: 'SourceMACAddress',
      DstMacAddr: 'DestinationMACAddress',
      SrcNatIpAddr: 'SourceTranslatedAddress',
      SrcNatPortNumber: 'SourceTranslatedPort',
      DstNatIpAddr: 'DestinationTranslatedAddress',
      DstNatPortNumber: 'DestinationTranslatedPort',
      SrcUsername: qualifiedUser('SourceNTDomain', 'SourceUserName'),
      DstUsername: qualifiedUser('DestinationNTDomain', 'DestinationUserName'),
      SrcProcessName: 'SourceProcessName',
      DstProcessName: 'DestinationProcessName',
      DvcIpAddr: 'DeviceAddress',
      DvcMacAddr: 'DeviceMacAddress',
      DvcInboundInterface: 'DeviceInboundInterface',
      DvcOutboundInterface: 'DeviceOutboundInterface',
      ThreatName: 'ThreatDescription',
    },
  };
}

/** Defender's Protocol spelling (Tcp, Udp, Icmp) and ActionType. */
const INBOUND = "ActionType == 'InboundConnectionAccepted'";

const defender: SourceParser = {
  name: 'Microsoft365D',
  table: 'DeviceNetworkEvents',
  where: 'isnotempty(DeviceId) or isnotnull(ReportId) or isnotempty(InitiatingProcessFileName)',
  fields: {
    ...DEFENDER_FIELDS,
    EventType: "'EndpointNetworkSession'",
    EventResult:
      "case((ActionType == 'ConnectionFailed' or ActionType == 'ConnectionAttempt'), 'Failure', 'Success')",
    NetworkDirection: `iff(${INBOUND}, 'Inbound', 'Outbound')`,
    SrcIpAddr: `iff(${INBOUND}, RemoteIP, LocalIP)`,
    SrcPortNumber: `iff(${INBOUND}, RemotePort, LocalPort)`,
    DstIpAddr: `iff(${INBOUND}, LocalIP, RemoteIP)`,
    DstPortNumber: `iff(${INBOUND}, LocalPort, RemotePort)`,
    SrcHostname: `iff(${INBOUND}, '', DeviceName)`,
    DstHostname: `iff(${INBOUND}, DeviceName, RemoteUrl)`,
    SrcProcessName: `iff(${INBOUND}, '', InitiatingProcessFolderPath)`,
    DstProcessName: `iff(${INBOUND}, InitiatingProcessFolderPath, '')`,
    SrcUsername: `iff(${INBOUND}, '', ${qualifiedUser('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName')})`,
    DstUsername: `iff(${INBOUND}, ${qualifiedUser('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName')}, '')`,
    NetworkProtocol: protocolName('Protocol'),
    NetworkProtocolVersion: ipVersion('LocalIP'),
    AdditionalFields: 'AdditionalFields',
  },
};

export const NETWORK_SOURCES: SourceParser[] = [
  zeek,
  suricata,
  nfdump,
  cefFirewall(
    'CEF',
    OTHER_VENDOR,
    "DeviceVendor != 'Zeek' and DeviceVendor != 'OISF' and DeviceVendor != 'nfdump' and (isnotempty(SourceIP) or isnotempty(DestinationIP))",
  ),
  defender,
];

/** Vendor-specific names Sentinel content calls (the same CEF mapping, one vendor's rows). */
export const NETWORK_VENDOR_PARSERS: SourceParser[] = [
  cefFirewall('SonicWallFirewall', 'SonicWall', "DeviceVendor == 'SonicWall'"),
];
