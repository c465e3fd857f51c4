/**
 * FileEvent: Defender's DeviceFileEvents (FolderPath is the full path, with the file name) and
 * Telltale's own scan rows (TelltaleFileScan: one row per scanned object, per rule match and per
 * skipped object), read as FileAccessed events of the device the files belong to.
 */
import { directoryOf, qualifiedUser, usernameType, type SourceParser, DEFENDER_FIELDS } from './source.js';

const ACTOR = qualifiedUser('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName');

const defender: SourceParser = {
  name: 'Microsoft365D',
  table: 'DeviceFileEvents',
  where: '',
  fields: {
    ...DEFENDER_FIELDS,
    // Defender's ActionTypes (FileCreated, FileModified, FileDeleted, FileRenamed) are ASIM's EventTypes
    EventType: 'ActionType',
    EventResult: "'Success'",
    TargetFileName: 'FileName',
    TargetFilePath: 'FolderPath',
    TargetFileDirectory: directoryOf('FolderPath'),
    TargetFileExtension: "extract(@'\\.([^.\\\\/]*)$', 1, FileName)",
    TargetFileSHA256: 'SHA256',
    TargetFileSHA1: 'SHA1',
    TargetFileMD5: 'MD5',
    TargetFileSize: 'FileSize',
    TargetUrl: 'FileOriginUrl',
    SrcFileName: 'PreviousFileName',
    SrcFilePath: 'PreviousFolderPath',
    SrcIpAddr: 'RequestSourceIP',
    SrcPortNumber: 'RequestSourcePort',
    ActorUsername: ACTOR,
    ActorUsernameType: usernameType(ACTOR),
    ActorUserId: 'InitiatingProcessAccountSid',
    ActingProcessName: 'coalesce(InitiatingProcessFolderPath, InitiatingProcessFileName)',
    ActingProcessCommandLine: 'InitiatingProcessCommandLine',
    ActingProcessId: 'tostring(InitiatingProcessId)',
    AdditionalFields: 'AdditionalFields',
  },
};

const scan: SourceParser = {
  name: 'TelltaleScan',
  table: 'TelltaleFileScan',
  where: '',
  fields: {
    EventVendor: "'Telltale'",
    EventProduct: "'Telltale scan'",
    EventType: "'FileAccessed'",
    EventOriginalType: 'ActionType',
    EventResult: "iff(ActionType == 'Skipped', 'Failure', 'Success')",
    EventResultDetails: 'Reason',
    EventSeverity: "iff(ActionType == 'YaraMatch', 'High', 'Informational')",
    TargetFileName: 'FileName',
    TargetFilePath: 'ObjectName',
    TargetFileDirectory: 'FolderPath',
    TargetFileSHA256: 'SHA256',
    TargetFileSHA1: 'SHA1',
    TargetFileMD5: 'MD5',
    TargetFileSize: 'FileSize',
    ThreatName: 'RuleName',
    ThreatCategory: 'RuleNamespace',
    ThreatFilePath: "iff(ActionType == 'YaraMatch', ObjectName, '')",
    ActingProcessName: "'telltale'",
    DvcHostname: 'DeviceName',
  },
};

export const FILE_SOURCES: SourceParser[] = [defender, scan];
