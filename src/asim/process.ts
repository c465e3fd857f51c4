/**
 * ProcessEvent: Defender's DeviceProcessEvents. The created process is the target; its initiating
 * process is the actor (acting process), and that one's parent is the parent process, as ASIM reads
 * Defender. FolderPath is the full path of the image.
 */
import { qualifiedUser, usernameType, type SourceParser, DEFENDER_FIELDS } from './source.js';

const TARGET_USER = qualifiedUser('AccountDomain', 'AccountName');
const ACTOR = qualifiedUser('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName');

const defender: SourceParser = {
  name: 'Microsoft365D',
  table: 'DeviceProcessEvents',
  where: '',
  fields: {
    ...DEFENDER_FIELDS,
    EventType: "iff(ActionType == 'ProcessTerminated', 'ProcessTerminated', 'ProcessCreated')",
    EventResult: "'Success'",
    TargetProcessName: 'coalesce(FolderPath, FileName)',
    TargetProcessFilename: 'FileName',
    TargetProcessCommandLine: 'ProcessCommandLine',
    TargetProcessId: 'tostring(ProcessId)',
    TargetProcessCreationTime: 'ProcessCreationTime',
    TargetProcessSHA256: 'SHA256',
    TargetProcessSHA1: 'SHA1',
    TargetProcessMD5: 'MD5',
    TargetProcessFileSize: 'FileSize',
    TargetProcessFileCompany: 'ProcessVersionInfoCompanyName',
    TargetProcessFileProduct: 'ProcessVersionInfoProductName',
    TargetProcessFileVersion: 'ProcessVersionInfoProductVersion',
    TargetProcessFileDescription: 'ProcessVersionInfoFileDescription',
    TargetProcessFileInternalName: 'ProcessVersionInfoInternalFileName',
    TargetProcessFileOriginalName: 'ProcessVersionInfoOriginalFileName',
    TargetProcessIntegrityLevel: 'ProcessIntegrityLevel',
    TargetProcessTokenElevation: 'ProcessTokenElevation',
    TargetUsername: TARGET_USER,
    TargetUsernameType: usernameType(TARGET_USER),
    TargetUserId: 'AccountSid',
    TargetUserSessionId: 'tostring(LogonId)',
    ActorUsername: ACTOR,
    ActorUsernameType: usernameType(ACTOR),
    ActorUserId: 'InitiatingProcessAccountSid',
    ActorSessionId: 'tostring(InitiatingProcessLogonId)',
    ActingProcessName: 'coalesce(InitiatingProcessFolderPath, InitiatingProcessFileName)',
    ActingProcessFilename: 'InitiatingProcessFileName',
    ActingProcessCommandLine: 'InitiatingProcessCommandLine',
    ActingProcessId: 'tostring(InitiatingProcessId)',
    ActingProcessCreationTime: 'InitiatingProcessCreationTime',
    ActingProcessSHA256: 'InitiatingProcessSHA256',
    ActingProcessSHA1: 'InitiatingProcessSHA1',
    ActingProcessMD5: 'InitiatingProcessMD5',
    ActingProcessFileSize: 'InitiatingProcessFileSize',
    ActingProcessIntegrityLevel: 'InitiatingProcessIntegrityLevel',
    ActingProcessTokenElevation: 'InitiatingProcessTokenElevation',
    ParentProcessName: 'InitiatingProcessParentFileName',
    ParentProcessId: 'tostring(InitiatingProcessParentId)',
    ParentProcessCreationTime: 'InitiatingProcessParentCreationTime',
    AdditionalFields: 'AdditionalFields',
  },
};

export const PROCESS_SOURCES: SourceParser[] = [defender];
