/**
 * The ASIM schemas (NetworkSession, Dns, FileEvent, ProcessEvent, RegistryEvent) as data: schemas/asim/<Schema>.json,
 * a compact copy of Microsoft's schema reference (field names, classes, Kusto types, allowed values,
 * aliases) and of the unifying parsers' filtering parameters. The parsers (parsers.ts) output exactly
 * these fields, in this order, with these types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../util/paths.js';

export type SchemaName = 'NetworkSession' | 'Dns' | 'FileEvent' | 'ProcessEvent' | 'RegistryEvent';

export const SCHEMA_NAMES: readonly SchemaName[] = [
  'NetworkSession',
  'Dns',
  'FileEvent',
  'ProcessEvent',
  'RegistryEvent',
];

export interface AsimField {
  name: string;
  class: string; // Mandatory, Recommended, Optional, Conditional, Alias
  type: string; // Kusto type
  allowed?: string[];
  aliasOf?: string[];
}

export interface AsimParam {
  name: string;
  type: string;
  default: string; // KQL literal
}

export interface AsimSchema {
  schema: SchemaName;
  version: string;
  fields: AsimField[];
  params: AsimParam[];
}

interface SchemaFile {
  schema: SchemaName;
  version: string;
  fields: AsimField[];
  parsers: { params: AsimParam[] };
}

/**
 * Fields beyond the extracted list: TargetUsername is on the ProcessEvent page (its `User` alias points
 * at it) but the extraction missed it; FileEvent's `CommandLine` is not on the page, yet Microsoft's own
 * FileEvent parsers set it (an alias of ActingProcessCommandLine) and Sentinel content reads it.
 */
const EXTRA: Partial<Record<SchemaName, AsimField[]>> = {
  ProcessEvent: [{ name: 'TargetUsername', class: 'Recommended', type: 'string' }],
  FileEvent: [{ name: 'CommandLine', class: 'Alias', type: 'string', aliasOf: ['ActingProcessCommandLine'] }],
};

const cache = new Map<SchemaName, AsimSchema>();

export function asimSchema(name: SchemaName): AsimSchema {
  let schema = cache.get(name);
  if (!schema) {
    const file = JSON.parse(readFileSync(join(schemasDir, 'asim', `${name}.json`), 'utf8')) as SchemaFile;
    const fields = [...file.fields, ...(EXTRA[name] ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    // `pack` only shapes AdditionalFields in Sentinel; it is accepted and has no effect here
    const params = file.parsers.params.filter((p) => p.name !== 'pack');
    schema = { schema: name, version: file.version, fields, params };
    cache.set(name, schema);
  }
  return schema;
}

export function fieldType(schema: AsimSchema, name: string): string {
  const field = schema.fields.find((f) => f.name === name);
  if (!field) throw new Error(`ASIM ${schema.schema} has no field ${name}`);
  return field.type;
}
