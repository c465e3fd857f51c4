/**
 * MISP event JSON: one event, an attribute per indicator (`ip-dst`, `ip-dst|port`, `domain`, `url`,
 * `md5`/`sha1`/`sha256`), `to_ids` true. Threat type, confidence, expiry and source travel as
 * `telltale:*` tags and the family as a `misp-galaxy:malpedia` tag, which the MISP importer reads back.
 */
import { indicatorKey, type Indicator } from '../model.js';
import { stableUuid } from './stix.js';
import { prettyJsonParts, type Exporter } from './types.js';

const MISP_TYPES = {
  ipv4: 'ip-dst',
  ipv6: 'ip-dst',
  'ip:port': 'ip-dst|port',
  domain: 'domain',
  url: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
} as const;

const category = (i: Indicator) =>
  i.type === 'md5' || i.type === 'sha1' || i.type === 'sha256' ? 'Payload delivery' : 'Network activity';

function tags(i: Indicator): Array<{ name: string }> {
  const own = (k: string, v: string | number | undefined) =>
    v === undefined ? [] : [`telltale:${k}="${v}"`];
  return [
    ...(i.tags ?? []),
    ...(i.malware ? [`misp-galaxy:malpedia="${i.malware}"`] : []),
    ...own('threat-type', i.threatType),
    ...own('malware-id', i.malwareId),
    ...own('confidence', i.confidence),
    ...own('expires', i.expires),
    ...own('source', i.source),
    ...own('reference', i.reference),
  ].map((name) => ({ name }));
}

export const misp: Exporter = (indicators, options) => {
  const now = options.now ?? new Date();
  const attributes = indicators.map((i) => ({
    uuid: stableUuid(indicatorKey(i)),
    type: MISP_TYPES[i.type],
    category: category(i),
    value: i.type === 'ip:port' ? `${i.value}|${i.port}` : i.value,
    to_ids: i.active !== false,
    comment: i.context ?? '',
    ...(i.firstSeen ? { first_seen: i.firstSeen } : {}),
    ...(i.lastSeen ? { last_seen: i.lastSeen } : {}),
    Tag: tags(i),
  }));
  const event = {
    Event: {
      uuid: stableUuid(eventNames(indicators)),
      info: options.title ?? 'Telltale indicators',
      date: now.toISOString().slice(0, 10),
      timestamp: String(Math.floor(now.getTime() / 1000)),
      threat_level_id: '2',
      analysis: '2',
      distribution: '0',
      published: false,
      Attribute: attributes,
    },
  };
  return [{ name: 'indicators.misp.json', content: prettyJsonParts(event, attributes) }];
};

/** `event|key1,key2,…` as parts, for the event's stable uuid (the same as joining them). */
function* eventNames(indicators: readonly Indicator[]): Generator<string> {
  let first = true;
  for (const i of indicators) {
    yield first ? `event|${indicatorKey(i)}` : indicatorKey(i);
    first = false;
  }
  if (first) yield 'event|';
}
