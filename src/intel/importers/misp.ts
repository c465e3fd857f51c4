/**
 * MISP importer: event JSON (`{Event: {...}}`, a list of them, or an API `response`) and a feed's
 * `manifest.json` (event uuid → summary; the events are `<uuid>.json` beside it). Attributes of the
 * types Telltale models become indicators — object attributes included; `to_ids: false` ones are kept
 * inactive (MISP's own "not for detection"), deleted ones are skipped, the rest count as skipped.
 * Tags `misp-galaxy:*="Name"` name the malware; `telltale:*` tags carry what MISP has no field for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Indicator, ParseResult } from '../model.js';
import { objectLineMap } from '../json-lines.js';
import {
  collectEntries,
  confidence,
  isObject,
  observable,
  text,
  timestamp,
  typeFromName,
  type Observable,
} from './fields.js';
import { append } from '../../util/append.js';

type Obj = Record<string, unknown>;

/** The events in any of MISP's JSON shapes, with their JSON path prefix (for line numbers). */
function eventsOf(json: unknown): Array<{ event: Obj; path: string }> {
  const wrap = (list: unknown[], prefix: string) =>
    list.flatMap((e, k) =>
      isObject(e) && isObject(e.Event) ? [{ event: e.Event, path: `${prefix}${k}.Event` }] : [],
    );
  if (Array.isArray(json)) return wrap(json, '');
  if (!isObject(json)) return [];
  if (isObject(json.Event)) return [{ event: json.Event, path: 'Event' }];
  if (Array.isArray(json.response)) return wrap(json.response, 'response.');
  return [];
}

export function isMispEvent(json: unknown): boolean {
  return eventsOf(json).length > 0;
}

/** `{ "<uuid>": { "info": …, "timestamp": … } }` */
export function isMispManifest(json: unknown): boolean {
  if (!isObject(json)) return false;
  const values = Object.values(json);
  return (
    values.length > 0 &&
    values.every((v) => isObject(v) && 'info' in v && 'timestamp' in v && !('Event' in v))
  );
}

/** The event files a manifest lists, resolved next to it. Missing ones are rejects. */
export function parseMispManifest(json: Obj, file: string): ParseResult {
  const out: ParseResult = { indicators: [], rejects: [], skipped: 0 };
  for (const uuid of Object.keys(json)) {
    const path = join(dirname(file), `${uuid}.json`);
    if (!existsSync(path)) {
      out.rejects.push({ file, line: 0, reason: `manifest lists ${uuid} but ${basename(path)} is missing` });
      continue;
    }
    const raw = readFileSync(path, 'utf8');
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch (err) {
      out.rejects.push({ file: path, line: 0, reason: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const r = parseMispEvent(event, raw, path);
    append(out.indicators, r.indicators);
    append(out.rejects, r.rejects);
    out.skipped! += r.skipped ?? 0;
  }
  return out;
}

const tagNames = (o: Obj): string[] =>
  (Array.isArray(o.Tag) ? o.Tag : []).flatMap((t) =>
    isObject(t) && typeof t.name === 'string' ? [t.name] : [],
  );

const GALAXY = /^misp-galaxy:[\w-]+="(.+)"$/;
const TELLTALE = /^telltale:([\w-]+)="(.*)"$/;

/** Splits tags into plain tags, the malware galaxy name and `telltale:key="value"` pairs. */
function readTags(names: string[]): { tags: string[]; malware?: string; extra: Record<string, string> } {
  const tags: string[] = [];
  const extra: Record<string, string> = {};
  let malware: string | undefined;
  for (const name of names) {
    const galaxy = GALAXY.exec(name);
    const own = TELLTALE.exec(name);
    if (own) extra[own[1]!] = own[2]!;
    else if (galaxy && /malpedia|malware|botnet/.test(name)) malware ??= galaxy[1];
    else tags.push(name);
  }
  return { tags, malware, extra };
}

/** One attribute → observables (a `domain|ip` gives two), or undefined for types Telltale does not model. */
function observablesOf(type: string, value: string): Observable[] | undefined {
  const [left, right] = value.split('|');
  switch (type) {
    case 'ip-dst|port':
    case 'ip-src|port':
      return [observable('ip:port', left!, Number(right))];
    case 'domain|ip':
      return [observable('domain', left!), observable(typeFromName('ip', right ?? '')!, right ?? '')];
    case 'filename|md5':
    case 'filename|sha1':
    case 'filename|sha256':
      return [observable(typeFromName(type, right ?? '')!, right ?? '')];
    case 'ip-dst':
    case 'ip-src':
      if (value.includes('/') && !/\/(32|128)$/.test(value))
        throw new Error(`CIDR range is not an indicator: ${value}`);
      return [observable(typeFromName(type, value.replace(/\/\d+$/, ''))!, value.replace(/\/\d+$/, ''))];
    case 'domain':
    case 'hostname':
    case 'url':
    case 'md5':
    case 'sha1':
    case 'sha256':
      return [observable(typeFromName(type, value)!, value)];
    default:
      return undefined;
  }
}

export function parseMispEvent(json: unknown, raw: string, file: string): ParseResult {
  const lines = objectLineMap(raw, (p) => p.at(-2) === 'Attribute' && typeof p.at(-1) === 'number');
  const out: ParseResult = { indicators: [], rejects: [], skipped: 0 };
  for (const { event, path } of eventsOf(json)) {
    const org = isObject(event.Orgc) ? text(event.Orgc.name) : undefined;
    const eventTags = readTags(tagNames(event));
    const attributes: Array<{ a: unknown; path: string }> = [];
    (Array.isArray(event.Attribute) ? event.Attribute : []).forEach((a, k) =>
      attributes.push({ a, path: `${path}.Attribute.${k}` }),
    );
    (Array.isArray(event.Object) ? event.Object : []).forEach((o, j) => {
      if (isObject(o) && Array.isArray(o.Attribute))
        o.Attribute.forEach((a, k) => attributes.push({ a, path: `${path}.Object.${j}.Attribute.${k}` }));
    });
    const link = attributes
      .map(({ a }) => a)
      .find((a) => isObject(a) && a.type === 'link' && a.deleted !== true) as Obj | undefined;
    const entries = attributes.map(({ a, path: p }) => ({
      line: lines.get(p) ?? 1,
      entry: isObject(a) ? a : 'attribute is not an object',
    }));
    const r = collectEntries(entries, file, (a): Indicator[] | undefined => {
      if (a.deleted === true) return undefined;
      const type = text(a.type);
      const value = text(a.value);
      if (!type || value === undefined) throw new Error('attribute without type or value');
      const found = observablesOf(type, value);
      if (!found) return undefined;
      const own = readTags(tagNames(a));
      const extra = { ...eventTags.extra, ...own.extra };
      const tags = [...new Set([...eventTags.tags, ...own.tags])];
      return found.map((obs) => ({
        ...obs,
        threatType: extra['threat-type'],
        malware: own.malware ?? eventTags.malware,
        malwareId: extra['malware-id'],
        confidence: confidence(extra.confidence, 'telltale:confidence'),
        firstSeen: timestamp(a.first_seen, 'first_seen') ?? timestamp(event.date, 'date'),
        lastSeen: timestamp(a.last_seen, 'last_seen'),
        expires: timestamp(extra.expires, 'telltale:expires'),
        source: extra.source ?? org ?? basename(file),
        reporter: org,
        reference: extra.reference ?? text(link?.value),
        tags: tags.length ? tags : undefined,
        context: text(a.comment) ?? text(event.info),
        externalId: text(a.uuid),
        active: a.to_ids === false || a.to_ids === '0' ? false : undefined,
      }));
    });
    append(out.indicators, r.indicators);
    append(out.rejects, r.rejects);
    out.skipped! += r.skipped ?? 0;
  }
  return out;
}
