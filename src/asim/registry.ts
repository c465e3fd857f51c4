/**
 * RegistryEvent: Defender's DeviceRegistryEvents. Its ActionType values are already the schema's
 * EventType values; the initiating process is the actor (acting process) and its parent the parent
 * process, as for ProcessEvent. Value types are normalised with the schema's "Value types" table.
 */
import { qualifiedUser, usernameType, type SourceParser, DEFENDER_FIELDS } from './source.js';

const ACTOR = qualifiedUser('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName');

/** Defender's value type names → the schema's normalised ones (others pass through). */
function valueType(column: string): string {
  const pairs = [
    ['None', 'Reg_None'],
    ['String', 'Reg_Sz'],
    ['ExpandString', 'Reg_Expand_Sz'],
    ['Binary', 'Reg_Binary'],
    ['Dword', 'Reg_DWord'],
    ['MultiString', 'Reg_Multi_Sz'],
    ['Qword', 'Reg_QWord'],
  ];
  return `case(${pairs.map(([from, to]) => `${column} =~ '${from}', '${to}'`).join(', ')}, ${column})`;
}

const defender: SourceParser = {
  name: 'Microsoft365D',
  table: 'DeviceRegistryEvents',
  where: '',
  fields: {
    ...DEFENDER_FIELDS,
    EventType: 'ActionType',
    EventResult: "'Success'",
    RegistryKey: 'RegistryKey',
    RegistryValue: 'RegistryValueName',
    RegistryValueType: valueType('RegistryValueType'),
    RegistryValueData: 'RegistryValueData',
    RegistryPreviousKey: 'PreviousRegistryKey',
    RegistryPreviousValue: 'PreviousRegistryValueName',
    RegistryPreviousValueData: 'PreviousRegistryValueData',
    ActorUsername: ACTOR,
    ActorUsernameType: usernameType(ACTOR),
    ActorUserId: 'InitiatingProcessAccountSid',
    ActorUserIdType: "iff(isnotempty(InitiatingProcessAccountSid), 'SID', '')",
    ActorSessionId: 'tostring(InitiatingProcessSessionId)',
    ActingProcessName: 'coalesce(InitiatingProcessFolderPath, InitiatingProcessFileName)',
    ActingProcessId: 'tostring(InitiatingProcessId)',
    ParentProcessName: 'InitiatingProcessParentFileName',
    ParentProcessId: 'tostring(InitiatingProcessParentId)',
  },
};

export const REGISTRY_SOURCES: SourceParser[] = [defender];
