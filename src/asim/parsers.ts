/**
 * The ASIM parsers as KQL functions, written the way Sentinel writes its own: one source-specific parser
 * per source (a projection of its table onto the schema's fields), a unifying parser that is the union of
 * them (with every field of the schema, null where a source has none, and the aliases), and filtering
 * parsers (`_Im_<Schema>(starttime=…, …)`) that apply the documented parameters on top. prelude.ts
 * declares the ones a query calls in front of it, so the binder types them and the translator inlines
 * them: DuckDB sees one UNION ALL and pushes the query's filters into every branch.
 */
import { loadSchemas, type SchemaSet } from '../store/schema.js';
import { DNS_SOURCES } from './dns.js';
import { FILE_SOURCES } from './file.js';
import { NETWORK_SOURCES, NETWORK_VENDOR_PARSERS } from './network.js';
import { PROCESS_SOURCES } from './process.js';
import { REGISTRY_SOURCES } from './registry.js';
import { asimSchema, SCHEMA_NAMES, type AsimParam, type AsimSchema, type SchemaName } from './schema.js';
import { sourcePresent, type SourcePresence, type SourceParser } from './source.js';

export const SOURCES: Record<SchemaName, SourceParser[]> = {
  NetworkSession: NETWORK_SOURCES,
  Dns: DNS_SOURCES,
  FileEvent: FILE_SOURCES,
  ProcessEvent: PROCESS_SOURCES,
  RegistryEvent: REGISTRY_SOURCES,
};

/** Alias fields, computed once over the union: alias → KQL (first non-empty of its fields). */
const ALIASES: Record<SchemaName, Record<string, string>> = {
  NetworkSession: {
    Src: 'coalesce(SrcIpAddr, SrcHostname, SrcDvcId)',
    Dst: 'coalesce(DstIpAddr, DstHostname, DstDvcId)',
    IpAddr: 'SrcIpAddr',
    Hostname: 'DstHostname',
    Duration: 'NetworkDuration',
    SessionId: 'NetworkSessionId',
    Rule: 'coalesce(NetworkRuleName, tostring(NetworkRuleNumber))',
    User: 'DstUsername',
    Process: 'DstProcessName',
    InnerVlanId: 'SrcVlanId',
    OuterVlanId: 'DstVlanId',
  },
  Dns: {
    Src: 'coalesce(SrcIpAddr, SrcHostname, SrcDvcId)',
    Dst: 'coalesce(DstIpAddr, DstHostname, DstDvcId)',
    IpAddr: 'SrcIpAddr',
    Hostname: 'SrcHostname',
    Domain: 'DnsQuery',
    DnsResponseCodeName: 'EventResultDetails',
    Duration: 'DnsNetworkDuration',
    SessionId: 'DnsSessionId',
    Rule: 'coalesce(RuleName, tostring(RuleNumber))',
    User: 'SrcUsername',
    Process: 'SrcProcessName',
    DomainCategory: 'UrlCategory',
  },
  FileEvent: {
    Application: 'TargetAppName',
    FileName: 'TargetFileName',
    FilePath: 'TargetFilePath',
    Hash: 'coalesce(TargetFileSHA512, TargetFileSHA256, TargetFileSHA1, TargetFileMD5)',
    HashType:
      "case(isnotempty(TargetFileSHA512), 'SHA512', isnotempty(TargetFileSHA256), 'SHA256', isnotempty(TargetFileSHA1), 'SHA1', isnotempty(TargetFileMD5), 'MD5', '')",
    IpAddr: 'SrcIpAddr',
    Src: 'SrcIpAddr',
    Process: 'ActingProcessName',
    Url: 'TargetUrl',
    User: 'ActorUsername',
    CommandLine: 'ActingProcessCommandLine',
  },
  ProcessEvent: {
    CommandLine: 'TargetProcessCommandLine',
    Process: 'TargetProcessName',
    User: 'TargetUsername',
    Hash: 'coalesce(TargetProcessSHA512, TargetProcessSHA256, TargetProcessSHA1, TargetProcessMD5)',
    HashType:
      "case(isnotempty(TargetProcessSHA512), 'SHA512', isnotempty(TargetProcessSHA256), 'SHA256', isnotempty(TargetProcessSHA1), 'SHA1', isnotempty(TargetProcessMD5), 'MD5', '')",
  },
  RegistryEvent: {
    User: 'ActorUsername',
    Process: 'ActingProcessName',
    Rule: 'coalesce(RuleName, tostring(RuleNumber))',
  },
};
const DVC_ALIAS = 'coalesce(DvcFQDN, DvcHostname, DvcIpAddr, DvcId)';

/** `has_any_ipv4_prefix(ip, list)` as a regex over the list (prefixes end at an octet: `10.1.`). */
function ipPrefix(field: string, list: string): string {
  return `${field} matches regex strcat('^(', replace_string(strcat_array(${list}, '|'), '.', @'\\.'), ')')`;
}

/** What each documented parameter filters, on the schema's fields (`p` is the parameter's name). */
const FILTERS: Record<SchemaName, Record<string, (p: string) => string>> = {
  NetworkSession: {
    srcipaddr_has_any_prefix: (p) => `array_length(${p}) == 0 or ${ipPrefix('SrcIpAddr', p)}`,
    dstipaddr_has_any_prefix: (p) => `array_length(${p}) == 0 or ${ipPrefix('DstIpAddr', p)}`,
    ipaddr_has_any_prefix: (p) =>
      `array_length(${p}) == 0 or ${ipPrefix('SrcIpAddr', p)} or ${ipPrefix('DstIpAddr', p)}`,
    dstportnumber: (p) => `isnull(${p}) or DstPortNumber == ${p}`,
    hostname_has_any: (p) =>
      `array_length(${p}) == 0 or SrcHostname has_any (${p}) or DstHostname has_any (${p})`,
    dvcaction: (p) => `array_length(${p}) == 0 or DvcAction in~ (${p})`,
    eventresult: (p) => `${p} == '*' or EventResult =~ ${p}`,
  },
  Dns: {
    srcipaddr: (p) => `${p} == '*' or SrcIpAddr == ${p}`,
    domain_has_any: (p) => `array_length(${p}) == 0 or DnsQuery has_any (${p})`,
    responsecodename: (p) => `${p} == '*' or EventResultDetails =~ ${p}`,
    response_has_ipv4: (p) => `${p} == '*' or DnsResponseName has ${p}`,
    response_has_any_prefix: (p) => `array_length(${p}) == 0 or DnsResponseName has_any (${p})`,
    eventtype: (p) => `${p} in~ ('*', 'lookup') or EventType =~ ${p}`,
  },
  FileEvent: {
    eventtype_in: (p) => `array_length(${p}) == 0 or EventType in~ (${p})`,
    srcipaddr_has_any_prefix: (p) => `array_length(${p}) == 0 or ${ipPrefix('SrcIpAddr', p)}`,
    actorusername_has_any: (p) => `array_length(${p}) == 0 or ActorUsername has_any (${p})`,
    targetfilepath_has_any: (p) => `array_length(${p}) == 0 or TargetFilePath has_any (${p})`,
    srcfilepath_has_any: (p) => `array_length(${p}) == 0 or SrcFilePath has_any (${p})`,
    hashes_has_any: (p) =>
      `array_length(${p}) == 0 or TargetFileSHA256 in~ (${p}) or TargetFileSHA1 in~ (${p}) or TargetFileMD5 in~ (${p}) or TargetFileSHA512 in~ (${p})`,
    dvchostname_has_any: (p) => `array_length(${p}) == 0 or DvcHostname has_any (${p})`,
    disabled: (p) => `not(${p})`,
  },
  ProcessEvent: {
    commandline_has_any: (p) => `array_length(${p}) == 0 or TargetProcessCommandLine has_any (${p})`,
    commandline_has_all: (p) => `array_length(${p}) == 0 or TargetProcessCommandLine has_all (${p})`,
    commandline_has_any_ip_prefix: (p) =>
      `array_length(${p}) == 0 or TargetProcessCommandLine matches regex strcat(@'(^|[^0-9.])(', replace_string(strcat_array(${p}, '|'), '.', @'\\.'), ')')`,
    actingprocess_has_any: (p) => `array_length(${p}) == 0 or ActingProcessName has_any (${p})`,
    targetprocess_has_any: (p) => `array_length(${p}) == 0 or TargetProcessName has_any (${p})`,
    parentprocess_has_any: (p) => `array_length(${p}) == 0 or ParentProcessName has_any (${p})`,
    actorusername: (p) => `${p} == '*' or ActorUsername =~ ${p}`,
    targetusername: (p) => `${p} == '*' or TargetUsername =~ ${p}`,
    dvcipaddr_has_any_prefix: (p) => `array_length(${p}) == 0 or ${ipPrefix('DvcIpAddr', p)}`,
    dvcname_has_any: (p) => `array_length(${p}) == 0 or DvcHostname has_any (${p})`,
    hashes_has_any: (p) =>
      `array_length(${p}) == 0 or TargetProcessSHA256 in~ (${p}) or TargetProcessSHA1 in~ (${p}) or TargetProcessMD5 in~ (${p}) or TargetProcessSHA512 in~ (${p})`,
    eventtype: (p) => `${p} == '*' or EventType =~ ${p}`,
  },
  RegistryEvent: {
    eventtype_in: (p) => `array_length(${p}) == 0 or EventType in~ (${p})`,
    actorusername_has_any: (p) => `array_length(${p}) == 0 or ActorUsername has_any (${p})`,
    registrykey_has_any: (p) => `array_length(${p}) == 0 or RegistryKey has_any (${p})`,
    registryvalue_has_any: (p) => `array_length(${p}) == 0 or RegistryValue has_any (${p})`,
    registrydata_has_any: (p) => `array_length(${p}) == 0 or RegistryValueData has_any (${p})`,
    dvchostname_has_any: (p) => `array_length(${p}) == 0 or DvcHostname has_any (${p})`,
  },
};

/** A KQL function the prelude can declare: its text, given which parameters some call passes. */
export interface ParserFunction {
  name: string;
  schema: SchemaName;
  /** `let name = (params) { body };`: parameters no call passes filter nothing and are left out. */
  declare(passed: Set<string> | 'all'): string;
  /** The virtual table (see `ParserTable`) the body reads. */
  table: string;
}

/**
 * The rows of a unifying (or one source's) parser before its filters: every field of the schema, the
 * aliases, one row per event. Kusto sees it as a table with the schema's columns; its KQL body is
 * compiled to SQL once per process and read as a CTE where a query uses it (compile.ts `views`), so a
 * query binds a small function over a table instead of the whole union each time.
 */
export interface ParserTable {
  name: string;
  schema: SchemaName;
  /**
   * `let` statements and the union, in KQL over the Sentinel tables. Its columns are the fields some
   * source sets and the aliases; views.ts adds the others as nulls (cheaper to plan than a union of
   * every field in every branch). With `fields`, only those (and what their aliases read): a query that
   * reads six fields then plans six columns per branch instead of a hundred and eighty. With `vendors`,
   * only the sources whose rows the store can hold (source.ts `SourcePresence`).
   */
  kql(fields?: ReadonlySet<string>, vendors?: SourcePresence): string;
}

export interface Parsers {
  functions: Map<string, ParserFunction>;
  tables: Map<string, ParserTable>;
}

function isColumn(expr: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr);
}

const CONVERT: Record<string, string> = {
  string: 'tostring',
  int: 'toint',
  long: 'tolong',
  real: 'toreal',
  datetime: 'todatetime',
  bool: 'tobool',
};

/** The expression converted to the field's type, unless it already has it (a column of that type). */
function typed(expr: string, type: string, table: Map<string, string>): string {
  if (isColumn(expr) && table.get(expr) === type) return expr;
  if (type === 'string' && /^'[^']*'$/.test(expr)) return expr;
  if (type === 'dynamic') return expr;
  const convert = CONVERT[type];
  if (!convert) throw new Error(`ASIM field of type ${type}`);
  return `${convert}(${expr})`;
}

/** A source's fields (with the common defaults), each converted to its schema type. */
function typedFields(schema: AsimSchema, source: SourceParser, schemas: SchemaSet): Map<string, string> {
  const tableSchema = schemas.get(source.table);
  if (!tableSchema) throw new Error(`ASIM ${schema.schema} parser ${source.name}: no table ${source.table}`);
  const columns = new Map(tableSchema.columns.map((c) => [c.name, c.type === 'double' ? 'real' : c.type]));
  const fields: Record<string, string> = {
    EventCount: '1',
    EventStartTime: 'TimeGenerated',
    EventEndTime: 'TimeGenerated',
    EventSchema: `'${schema.schema}'`,
    EventSchemaVersion: `'${schema.version}'`,
    Type: `'${source.table}'`,
    TimeGenerated: 'TimeGenerated',
    ...source.fields,
  };
  return new Map(
    Object.entries(fields).map(([name, expr]) => {
      const field = schema.fields.find((f) => f.name === name);
      if (!field) throw new Error(`ASIM ${schema.schema} parser ${source.name}: no field ${name}`);
      return [name, typed(expr, field.type, columns)];
    }),
  );
}

/**
 * One projection of a table for the sources that share it (CommonSecurityLog holds Zeek, Suricata,
 * nfdump and firewalls today): a field that differs between them is a `case` on each source's
 * filter, so the table is scanned once, not once per source.
 */
function sourceBody(
  schema: AsimSchema,
  sources: SourceParser[],
  schemas: SchemaSet,
  keep: (field: string) => boolean,
): { kql: string; fields: string[] } {
  const perSource = sources.map((s) => typedFields(schema, s, schemas));
  const names = [...new Set(perSource.flatMap((f) => [...f.keys()]))].filter(keep);
  const table = sources[0].table;
  if (sources.length === 1) {
    const where = sources[0].where ? ` | where ${sources[0].where}` : '';
    const list = names.map((name) => `${name} = ${perSource[0].get(name)}`);
    return { kql: `${table}${where} | project ${list.join(', ')}`, fields: names };
  }
  // which source a row is: its filters are tested once, the fields read the number
  const which = `case(${sources.map((s, i) => `${s.where || 'true'}, ${i}`).join(', ')}, int(null))`;
  const list = names.map((name) => {
    const type = schema.fields.find((f) => f.name === name)!.type;
    const exprs = perSource.map((f) => f.get(name) ?? NULL_OF[type]);
    if (exprs.every((e) => e === exprs[0])) return `${name} = ${exprs[0]}`;
    const arms = exprs.slice(0, -1).map((e, i) => `_tt_source == ${i}, ${e}`);
    return `${name} = case(${arms.join(', ')}, ${exprs[exprs.length - 1]})`;
  });
  return {
    kql: `${table} | extend _tt_source = ${which} | where isnotnull(_tt_source) | project ${list.join(', ')}`,
    fields: names,
  };
}

const NULL_OF: Record<string, string> = {
  string: "''",
  int: 'int(null)',
  long: 'long(null)',
  real: 'real(null)',
  datetime: 'datetime(null)',
  bool: 'bool(null)',
  dynamic: 'dynamic(null)',
};

function aliasesOf(schema: AsimSchema): Record<string, string> {
  return { ...ALIASES[schema.schema], Dvc: DVC_ALIAS };
}

/** The fields an alias expression reads. */
function aliasInputs(expr: string): string[] {
  return expr.match(/\b[A-Z][A-Za-z0-9]*\b/g) ?? [];
}

/** The aliases over the union (those `keep` asks for); a field no source sets reads as its type's null. */
function aliasExtend(schema: AsimSchema, present: Set<string>, keep: (field: string) => boolean): string {
  const resolve = (expr: string) =>
    expr.replace(/\b[A-Z][A-Za-z0-9]*\b/g, (name) => {
      const field = schema.fields.find((f) => f.name === name);
      return !field || present.has(name) ? name : NULL_OF[field.type];
    });
  const wanted = Object.entries(aliasesOf(schema)).filter(([name]) => keep(name));
  return wanted.length
    ? ` | extend ${wanted.map(([name, expr]) => `${name} = ${resolve(expr)}`).join(', ')}`
    : '';
}

/** `fields` and every field the wanted aliases read (all fields without `fields`). */
function keeper(schema: AsimSchema, fields: ReadonlySet<string> | undefined): (field: string) => boolean {
  if (!fields) return () => true;
  const needed = new Set([...fields, 'TimeGenerated']);
  for (const [alias, expr] of Object.entries(aliasesOf(schema)))
    if (fields.has(alias)) for (const input of aliasInputs(expr)) needed.add(input);
  return (field) => needed.has(field);
}

function paramList(params: AsimParam[]): string {
  return params.map((p) => `${p.name}:${p.type}=${p.default}`).join(', ');
}

function filterBody(
  schema: AsimSchema,
  input: string,
  passed: Set<string> | 'all',
  fixed: string | undefined,
  disabled: boolean,
): string {
  const clauses = schema.params
    .filter((p) => passed === 'all' || passed.has(p.name))
    .map((p) => {
      if (p.name === 'starttime') return `(isnull(${p.name}) or TimeGenerated >= ${p.name})`;
      if (p.name === 'endtime') return `(isnull(${p.name}) or TimeGenerated <= ${p.name})`;
      const filter = FILTERS[schema.schema][p.name];
      if (!filter) throw new Error(`ASIM ${schema.schema}: no filter for parameter ${p.name}`);
      return `(${filter(p.name)})`;
    });
  if (fixed) clauses.unshift(`(${fixed})`);
  if (disabled && (passed === 'all' || passed.has('disabled'))) clauses.push('not(disabled)');
  return clauses.length ? `${input} | where ${clauses.join(' and ')}` : input;
}

const PACK: AsimParam = { name: 'pack', type: 'bool', default: 'false' };
const DISABLED: AsimParam = { name: 'disabled', type: 'bool', default: 'false' };

/** All parser functions and the tables they read. */
function buildParsers(schemas: SchemaSet): Parsers {
  const functions = new Map<string, ParserFunction>();
  const tables = new Map<string, ParserTable>();
  const add = (f: ParserFunction) => functions.set(f.name, f);
  for (const name of SCHEMA_NAMES) {
    const schema = asimSchema(name);
    const base = `_tt_asim_${name}`;
    const table = (tableName: string, sources: SourceParser[]) => {
      const named = new Set(sources.flatMap((s) => (s.vendor ? [s.vendor] : [])));
      const kql = (fields?: ReadonlySet<string>, vendors?: SourcePresence) => {
        const present = sources.filter((s) => sourcePresent(s, named, vendors));
        // a union needs a branch: with none of its sources present, the parser keeps them all (no rows)
        const byTable = new Map<string, SourceParser[]>();
        for (const s of present.length ? present : sources)
          byTable.set(s.table, [...(byTable.get(s.table) ?? []), s]);
        const keep = keeper(schema, fields);
        const bodies = [...byTable.values()].map((group) => sourceBody(schema, group, schemas, keep));
        const setFields = new Set(bodies.flatMap((b) => b.fields));
        const lets = bodies.map((b, i) => `let _tt_${i} = ${b.kql};\n`).join('');
        return `${lets}union ${bodies.map((_, i) => `_tt_${i}`).join(', ')}${aliasExtend(schema, setFields, keep)}`;
      };
      kql(); // fails here, not in a query, on a mapping error
      tables.set(tableName, { name: tableName, schema: name, kql });
    };
    const filtering = (fn: string, input: string, fixed?: string, disabled = false): ParserFunction => {
      const own = disabled && !schema.params.some((p) => p.name === DISABLED.name);
      const params = [...schema.params, ...(own ? [DISABLED] : []), PACK];
      return {
        name: fn,
        schema: name,
        table: input,
        declare: (passed) =>
          `let ${fn} = (${paramList(params)}) { ${filterBody(schema, input, passed, fixed, own)} };`,
      };
    };
    // source-specific parameterless parsers take `disabled` (Sentinel's ASim<Schema><Source>(disabled))
    const parameterless = (fn: string, input: string, fixed?: string, disabled = false): ParserFunction => {
      const params = disabled ? [DISABLED, PACK] : [PACK];
      const filters = [...(fixed ? [fixed] : []), ...(disabled ? ['not(disabled)'] : [])];
      return {
        name: fn,
        schema: name,
        table: input,
        declare: () =>
          `let ${fn} = (${paramList(params)}) { ${input}${filters.length ? ` | where ${filters.join(' and ')}` : ''} };`,
      };
    };

    const sources = name === 'NetworkSession' ? [...SOURCES[name], ...NETWORK_VENDOR_PARSERS] : SOURCES[name];
    for (const s of sources) {
      const one = `${base}_${s.name}`;
      table(one, [s]);
      add(filtering(`_Im_${name}_${s.name}`, one, undefined, true));
      add(filtering(`vim${name}${s.name}`, one, undefined, true));
      add(parameterless(`_ASim_${name}_${s.name}`, one, undefined, true));
      add(parameterless(`ASim${name}${s.name}`, one, undefined, true));
    }
    table(base, SOURCES[name]);
    add(filtering(`_Im_${name}`, base));
    add(filtering(`im${name}`, base));
    add(parameterless(`_ASim_${name}`, base));
    add(parameterless(`ASim${name}`, base));
    if (name === 'RegistryEvent') {
      // the schema page's name for the unifying parser
      add(filtering('imRegistry', base));
      add(parameterless('ASimRegistry', base));
    }
    if (name === 'ProcessEvent') {
      const created = "EventType == 'ProcessCreated'";
      const terminated = "EventType == 'ProcessTerminated'";
      for (const fn of ['_Im_ProcessCreate', 'imProcessCreate', 'imProcessCreation'])
        add(filtering(fn, base, created));
      for (const fn of ['_Im_ProcessTerminate', 'imProcessTerminate']) add(filtering(fn, base, terminated));
      add(filtering('imProcess', base));
      for (const fn of ['_ASim_ProcessEvent_Create', 'ASimProcessCreate'])
        add(parameterless(fn, base, created));
      for (const fn of ['_ASim_ProcessEvent_Terminate', 'ASimProcessTerminate'])
        add(parameterless(fn, base, terminated));
    }
  }
  return { functions, tables };
}

const cache = new WeakMap<SchemaSet, Parsers>();

/** The parsers over these table schemas (built once per schema set). */
export function parsers(schemas: SchemaSet = loadSchemas()): Parsers {
  let built = cache.get(schemas);
  if (!built) {
    built = buildParsers(schemas);
    cache.set(schemas, built);
  }
  return built;
}
