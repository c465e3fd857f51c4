/**
 * Free-text IOC extraction (reports, blog posts, pasted tables). Conservative by design: a false
 * indicator becomes a false finding in every hunt, while a missed one is visible to the analyst who
 * reads the report. Order of passes matters: URLs, e-mail addresses, hashes and IPs claim their
 * characters first, so a domain is never pulled out of a URL, an address or an `ip:port`.
 */
import { dedupe, type Indicator } from './model.js';
import { refangWithMarks } from './refang.js';
import { hashType, isDomain, isIPv4, isIPv6, isPort, isPublicIP, normaliseIPv6, normaliseUrl } from './validate.js';

/**
 * Real TLDs that are also common file extensions or code identifiers (`x.sh`, `libc.so`, `README.md`,
 * `process.name`). A name under one of them counts only with extra evidence: it was defanged, or it
 * sits in a URL (URLs are matched separately, so here only defanging counts).
 */
export const FILE_EXTENSION_TLDS = new Set([
  'sh', 'py', 'pl', 'pm', 'rs', 'so', 'md', 'mk', 'ps', 'tf', 'la', 'zip', 'mov', 'pub', 'run',
  'cab', 'java', 'pid', 'name', 'data', 'new',
]); // prettier-ignore

const URL_RE = /\b(?:https?|ftp):\/\/[^\s"'<>`[\]{}|\\^]+/gi;
const EMAIL_RE = /[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]+/gi;
const HASH_RE = /(?<![\w])(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})(?!\w)/gi;
// Not preceded by a word char or dot (`v1.2.3.4`, `1.2.3.4.5`), not followed by more dotted parts or a
// CIDR suffix (a prefix is not an address).
const IPV4_RE = /(?<![\w.])((?:\d{1,3}\.){3}\d{1,3})(?::(\d{1,5}))?(?!\w|\.\w|\/\d)/g;
const IPV6_RE = /(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi;
const DOMAIN_RE = /(?<![\w.@/\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-]|\.\w|@|\()/gi;

const CONTEXT_MAX = 300;

interface Hit {
  index: number;
  indicator: Omit<Indicator, 'source'>;
}

export function extractIndicators(text: string, source: string, file: string = source): Indicator[] {
  const { text: t, marks } = refangWithMarks(text);
  const taken = new Uint8Array(t.length);
  const lineStarts = lineStartsOf(t);
  const hits: Hit[] = [];

  const free = (start: number, end: number) => {
    for (let k = start; k < end; k++) if (taken[k]) return false;
    return true;
  };
  const take = (start: number, end: number) => taken.fill(1, start, end);
  const defanged = (start: number, end: number) => marks.some(([s, e]) => s < end && e > start);
  const add = (index: number, length: number, indicator: Omit<Indicator, 'source'>) => {
    hits.push({ index, indicator: { ...indicator, context: contextAt(t, index, length, lineStarts) } });
    take(index, index + length);
  };

  for (const m of t.matchAll(URL_RE)) {
    const raw = trimUrl(m[0]);
    const url = normaliseUrl(raw);
    if (url) add(m.index!, raw.length, { type: 'url', value: url });
    else take(m.index!, m.index! + raw.length);
  }
  // E-mail addresses are not indicators in this model; their domains are mostly report contacts.
  for (const m of t.matchAll(EMAIL_RE)) take(m.index!, m.index! + m[0].length);

  for (const m of t.matchAll(HASH_RE)) {
    const type = hashType(m[0]);
    if (type && free(m.index!, m.index! + m[0].length)) add(m.index!, m[0].length, { type, value: m[0].toLowerCase() });
  }

  for (const m of t.matchAll(IPV4_RE)) {
    const [whole, ip, portText] = m;
    if (!free(m.index!, m.index! + whole.length) || !isIPv4(ip!) || !isPublicIP(ip!)) continue;
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && isPort(port)) add(m.index!, whole.length, { type: 'ip:port', value: ip!, port });
    else add(m.index!, ip!.length, { type: 'ipv4', value: ip! });
  }

  for (const m of t.matchAll(IPV6_RE)) {
    const text6 = m[0];
    const colons = text6.split(':').length - 1;
    if (!text6.includes('::') && colons !== 7) continue; // times and MACs look like short IPv6
    if (!free(m.index!, m.index! + text6.length) || !isIPv6(text6) || !isPublicIP(text6)) continue;
    add(m.index!, text6.length, { type: 'ipv6', value: normaliseIPv6(text6) });
  }

  for (const m of t.matchAll(DOMAIN_RE)) {
    const name = m[0];
    const start = m.index!;
    if (!free(start, start + name.length) || !isDomain(name)) continue;
    const tld = name.slice(name.lastIndexOf('.') + 1);
    const evidence = defanged(start, start + name.length);
    if (!evidence && FILE_EXTENSION_TLDS.has(tld.toLowerCase())) continue;
    // `attacks.It` is a missing space after a full stop, not an Italian domain.
    if (!evidence && /^[A-Z][a-z]/.test(tld)) continue;
    add(start, name.length, { type: 'domain', value: name.toLowerCase() });
  }

  hits.sort((a, b) => a.index - b.index);
  const found = dedupe(
    hits.map(({ index, indicator }) => ({ ...indicator, source, origin: `${file}:${lineOf(lineStarts, index)}` })),
  );
  // A bare IP that the same text also gives with its port is the same indicator restated (reports
  // drop the port in their example queries); the ip:port row fills NetworkIP too, so nothing is lost.
  const withPort = new Set(found.filter((i) => i.type === 'ip:port').map((i) => i.value));
  return found.filter((i) => !(i.type === 'ipv4' && withPort.has(i.value)));
}

/** Trailing sentence punctuation is not part of a URL; a `)` is, only if the URL opened one. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last && '.,;:!?\'"'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else return url;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return starts;
}

/** 1-based line number of a character offset. */
function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

// A line is "just indicators" (a list item) when little is left once dotted/colon tokens, long hex
// and list punctuation are removed.
const IOC_TOKENS = /\S*[.:]\S*|[0-9a-f]{32,}/gi;
const isListLine = (line: string) => line.replace(IOC_TOKENS, '').replace(/[\s|*•#>()[\],;-]/g, '').length < 3;

/**
 * The sentence holding the indicator; for a bare list item (seed 003's hash lines), the last sentence
 * of the prose line introducing the list.
 */
function contextAt(text: string, index: number, length: number, starts: number[]): string {
  const lineNo = lineOf(starts, index) - 1;
  const lineText = (n: number) => text.slice(starts[n], n + 1 < starts.length ? starts[n + 1]! - 1 : text.length);
  const line = lineText(lineNo);
  if (isListLine(line)) {
    for (let n = lineNo - 1; n >= 0 && lineNo - n <= 50; n--) {
      const prev = lineText(n).trim();
      if (prev && !isListLine(prev)) return clip(lastSentence(prev));
    }
    return clip(line.trim());
  }
  const at = index - starts[lineNo]!;
  const before = line.slice(0, at);
  const boundary = Math.max(before.lastIndexOf('. '), before.lastIndexOf('! '), before.lastIndexOf('? '));
  const startCol = boundary === -1 ? 0 : boundary + 2;
  const rest = line.slice(at + length);
  const endMatch = /[.!?](?=\s|$)/.exec(rest);
  const endCol = endMatch ? at + length + endMatch.index + 1 : line.length;
  return clip(line.slice(startCol, endCol).trim(), at - startCol);
}

function lastSentence(line: string): string {
  const parts = line.split(/(?<=[.!?])\s+/).filter((s) => s.trim());
  return parts.at(-1) ?? line;
}

function clip(sentence: string, focus = 0): string {
  if (sentence.length <= CONTEXT_MAX) return sentence;
  const start = Math.max(0, Math.min(focus - CONTEXT_MAX / 2, sentence.length - CONTEXT_MAX));
  return `${start > 0 ? '…' : ''}${sentence.slice(start, start + CONTEXT_MAX).trim()}…`;
}
