/**
 * Defender XDR's built-in hunting functions, which Kusto.Language does not know: `FileProfile()`,
 * `DeviceFromIP()` and `AssignedIPAddresses()`. Each is declared as a KQL `let` function over the local
 * tables, prepended to a query that calls it, so the binder types it and the translator inlines it like
 * any user function. They return Microsoft's documented columns: what local data can answer (devices and
 * addresses from DeviceNetworkInfo) is filled in, the rest (global file reputation) is null, and the
 * query gets a warning saying so.
 */
import type { SchemaSet } from '../store/schema.js';
import { applyEdits, argumentsOf, callsOf, letValues, parseSyntax, type KNode } from './syntax.js';

interface Builtin {
  name: string;
  needs: string[]; // tables the body reads
  text: string;
  warning: string;
}

const BUILTINS: Builtin[] = [
  {
    name: 'FileProfile',
    needs: [],
    // invoke FileProfile(x, y): x names the hash column (SHA1 or SHA256), y a row limit
    text: `let FileProfile = (T:(*), x:string = 'SHA1', y:long = 100000) { T | extend _tt_h = tolower(column_ifexists(x, ''))
| extend SHA1 = iff(strlen(_tt_h) == 40, _tt_h, ''), SHA256 = iff(strlen(_tt_h) == 64, _tt_h, ''), MD5 = iff(strlen(_tt_h) == 32, _tt_h, ''),
 FileSize = long(null), GlobalPrevalence = long(null), GlobalFirstSeen = datetime(null), GlobalLastSeen = datetime(null),
 Signer = '', Issuer = '', SignerHash = '', IsCertificateValid = bool(null), IsRootSignerMicrosoft = bool(null),
 SignatureState = '', IsExecutable = bool(null), ThreatName = '', Publisher = '', SoftwareName = '', ProfileAvailability = ''
| project-away _tt_h };`,
    warning:
      'FileProfile() has no offline file-reputation service here: GlobalPrevalence, GlobalFirstSeen/LastSeen, FileSize and the signer columns are null or empty (a filter on them keeps no row)',
  },
  {
    name: 'DeviceFromIP',
    needs: ['DeviceNetworkInfo'],
    // invoke DeviceFromIP(): the input's IP column → IP, DeviceId of devices that held it (latest report)
    text: `let DeviceFromIP = (T:(IP:string), y:datetime = datetime(null)) { T | distinct IP
| join kind=inner (DeviceNetworkInfo | where isnull(y) or Timestamp <= y | mv-expand _tt_a = IPAddresses
  | extend IP = tostring(_tt_a.IPAddress) | summarize arg_max(Timestamp, DeviceId) by IP) on IP
| project IP, DeviceId };`,
    warning: 'DeviceFromIP() answers from the local DeviceNetworkInfo rows only',
  },
  {
    name: 'AssignedIPAddresses',
    needs: ['DeviceNetworkInfo'],
    text: `let AssignedIPAddresses = (x:string, y:datetime = datetime(null)) { DeviceNetworkInfo
| where DeviceName =~ x or DeviceId == x | where isnull(y) or Timestamp <= y
| mv-expand _tt_a = IPAddresses | extend IPAddress = tostring(_tt_a.IPAddress)
| summarize arg_max(Timestamp, NetworkAdapterType, ConnectedNetworks) by IPAddress
| project Timestamp, IPAddress, IPType = iff(ipv4_is_private(IPAddress) or IPAddress startswith 'fe80' or IPAddress startswith 'fd', 'Private', 'Public'),
  NetworkAdapterType, ConnectedNetworks };`,
    warning: 'AssignedIPAddresses() answers from the local DeviceNetworkInfo rows only',
  },
];

export interface Prelude {
  text: string;
  /** The query, with `invoke FileProfile(Col)` quoted as `FileProfile('Col')` (Defender passes a column name). */
  query: string;
  warnings: string[];
  /** An offset in `text + query` back to the caller's text. */
  original(offset: number): number;
}

/** The declarations a query needs (those it calls and does not declare itself), as one line of text. */
export function defenderPrelude(query: string, schemas: SchemaSet): Prelude {
  const root = parseSyntax(query);
  const declared = letValues(root);
  const used = BUILTINS.filter(
    (b) =>
      callsOf(root, b.name).length > 0 &&
      !declared.has(b.name) &&
      !schemas.has(b.name) &&
      b.needs.every((t) => schemas.has(t)),
  );
  const text = used.map((b) => b.text.replace(/\n/g, ' ')).join(' ') + (used.length ? ' ' : '');
  // `invoke FileProfile(SHA1)` names a column: quoted, it is the declared string parameter
  const columns = !used.some((b) => b.name === 'FileProfile')
    ? []
    : callsOf(root, 'FileProfile')
        .filter((call) => call.parent?.kind === 'InvokeOperator')
        .map((call) => argumentsOf(call)[0])
        .filter((arg): arg is KNode => arg?.kind === 'NameReference' && /^[A-Za-z_]\w*$/.test(arg.text));
  const rewritten = applyEdits(
    query,
    columns.map((arg) => ({ start: arg.start, length: arg.length, text: `'${arg.text}'` })),
  );
  const inserted = columns.map((arg) => arg.start).sort((a, b) => a - b); // where a quote pair went in
  return {
    text,
    query: rewritten,
    warnings: used.map((b) => b.warning),
    original(offset: number): number {
      let pos = offset - text.length;
      for (const at of inserted) if (pos > at + 2 * inserted.indexOf(at)) pos -= 2;
      return Math.max(0, pos);
    },
  };
}
