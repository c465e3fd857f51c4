/**
 * CEF extension key → CommonSecurityLog column, as Microsoft's CEF connector maps them
 * ("CEF and CommonSecurityLog field mapping", learn.microsoft.com/azure/sentinel/cef-name-mapping).
 * `start`/`end` (StartTime/EndTime) are ArcSight CEF keys the page omits but the table has. The ArcSight
 * full key names (`sourceAddress`, `deviceCustomString1`, `fileName`, …) are the spec's synonyms of the
 * short keys and map to the same columns. Keys not listed go to AdditionalExtensions.
 * Column types come from the schema at run time, not from here.
 */

/** [column, ...keys]: the first key is the short CEF key, the rest are synonyms. */
const MAPPING: readonly (readonly string[])[] = [
  ['DeviceAction', 'act', 'deviceAction'],
  ['ApplicationProtocol', 'app', 'applicationProtocol'],
  ['DeviceEventCategory', 'cat', 'deviceEventCategory'],
  ['EventCount', 'cnt', 'baseEventCount'],
  ['DestinationDnsDomain', 'destinationDnsDomain'],
  ['DestinationServiceName', 'destinationServiceName'],
  ['DestinationTranslatedAddress', 'destinationTranslatedAddress'],
  ['DestinationTranslatedPort', 'destinationTranslatedPort'],
  ['CommunicationDirection', 'deviceDirection'],
  ['DeviceDnsDomain', 'deviceDnsDomain'],
  ['DeviceExternalID', 'deviceExternalId'],
  ['DeviceFacility', 'deviceFacility'],
  ['DeviceInboundInterface', 'deviceInboundInterface'],
  ['DeviceNtDomain', 'deviceNtDomain'],
  ['DeviceOutboundInterface', 'deviceOutboundInterface'],
  ['DevicePayloadId', 'devicePayloadId'],
  ['ProcessName', 'deviceProcessName'],
  ['DeviceTranslatedAddress', 'deviceTranslatedAddress'],
  ['DestinationHostName', 'dhost', 'destinationHostName'],
  ['DestinationMACAddress', 'dmac', 'destinationMacAddress'],
  ['DestinationNTDomain', 'dntdom', 'destinationNtDomain'],
  ['DestinationProcessId', 'dpid', 'destinationProcessId'],
  ['DestinationUserPrivileges', 'dpriv', 'destinationUserPrivileges'],
  ['DestinationProcessName', 'dproc', 'destinationProcessName'],
  ['DestinationPort', 'dpt', 'destinationPort'],
  ['DestinationIP', 'dst', 'destinationAddress'],
  ['DeviceTimeZone', 'dtz', 'deviceTimeZone'],
  ['DestinationUserID', 'duid', 'destinationUserId'],
  ['DestinationUserName', 'duser', 'destinationUserName'],
  ['DeviceAddress', 'dvc', 'deviceAddress'],
  ['DeviceName', 'dvchost', 'deviceHostName'],
  ['DeviceMacAddress', 'dvcmac', 'deviceMacAddress'],
  ['ProcessID', 'dvcpid', 'deviceProcessId'],
  ['EndTime', 'end', 'endTime'],
  ['ExternalID', 'externalId'],
  ['FileCreateTime', 'fileCreateTime'],
  ['FileHash', 'fileHash'],
  ['FileID', 'fileId'],
  ['FileModificationTime', 'fileModificationTime'],
  ['FilePath', 'filePath'],
  ['FilePermission', 'filePermission'],
  ['FileType', 'fileType'],
  ['FileName', 'fname', 'fileName'],
  ['FileSize', 'fsize', 'fileSize'],
  ['ReceivedBytes', 'in', 'bytesIn'],
  ['Message', 'msg', 'message'],
  ['OldFileCreateTime', 'oldFileCreateTime'],
  ['OldFileHash', 'oldFileHash'],
  ['OldFileID', 'oldFileId'],
  ['OldFileModificationTime', 'oldFileModificationTime'],
  ['OldFileName', 'oldFileName'],
  ['OldFilePath', 'oldFilePath'],
  ['OldFilePermission', 'oldFilePermission'],
  ['OldFileSize', 'oldFileSize'],
  ['OldFileType', 'oldFileType'],
  ['SentBytes', 'out', 'bytesOut'],
  ['EventOutcome', 'outcome', 'eventOutcome'],
  ['Protocol', 'proto', 'transportProtocol'],
  ['Reason', 'reason'],
  ['RequestURL', 'request', 'requestUrl'],
  ['RequestClientApplication', 'requestClientApplication'],
  ['RequestContext', 'requestContext'],
  ['RequestCookies', 'requestCookies'],
  ['RequestMethod', 'requestMethod'],
  ['ReceiptTime', 'rt', 'receiptTime'],
  ['SourceHostName', 'shost', 'sourceHostName'],
  ['SourceMACAddress', 'smac', 'sourceMacAddress'],
  ['SourceNTDomain', 'sntdom', 'sourceNtDomain'],
  ['SourceDnsDomain', 'sourceDnsDomain'],
  ['SourceServiceName', 'sourceServiceName'],
  ['SourceTranslatedAddress', 'sourceTranslatedAddress'],
  ['SourceTranslatedPort', 'sourceTranslatedPort'],
  ['SourceProcessId', 'spid', 'sourceProcessId'],
  ['SourceUserPrivileges', 'spriv', 'sourceUserPrivileges'],
  ['SourceProcessName', 'sproc', 'sourceProcessName'],
  ['SourcePort', 'spt', 'sourcePort'],
  ['SourceIP', 'src', 'sourceAddress'],
  ['StartTime', 'start', 'startTime'],
  ['SourceUserID', 'suid', 'sourceUserId'],
  ['SourceUserName', 'suser', 'sourceUserName'],
  ['EventType', 'type'],
  ...numbered('DeviceCustomIPv6Address', 'c6a', 'deviceCustomIPv6Address', 4),
  ...numbered('DeviceCustomFloatingPoint', 'cfp', 'deviceCustomFloatingPoint', 4),
  ...numbered('DeviceCustomNumber', 'cn', 'deviceCustomNumber', 3),
  ...numbered('DeviceCustomString', 'cs', 'deviceCustomString', 6),
  ...numbered('DeviceCustomDate', 'deviceCustomDate', '', 2),
  ...numbered('FlexString', 'flexString', '', 2),
  ...numbered('FlexNumber', 'flexNumber', '', 2),
  ...numbered('FlexDate', 'flexDate', '', 1),
];

/** cs1/cs1Label → DeviceCustomString1/DeviceCustomString1Label (and the long-name synonyms). */
function numbered(column: string, key: string, longKey: string, count: number): string[][] {
  const out: string[][] = [];
  for (let i = 1; i <= count; i++) {
    const keys = longKey ? [`${key}${i}`, `${longKey}${i}`] : [`${key}${i}`];
    out.push([`${column}${i}`, ...keys]);
    out.push([`${column}${i}Label`, ...keys.map((k) => `${k}Label`)]);
  }
  return out;
}

/** Every recognised key → its column. */
export const CEF_KEY_COLUMNS: ReadonlyMap<string, string> = new Map(
  MAPPING.flatMap(([column, ...keys]) => keys.map((key) => [key, column] as const)),
);

/** The documented table, for docs and tests: column with its short key and synonyms. */
export const CEF_MAPPING_TABLE: readonly (readonly string[])[] = MAPPING;
