/**
 * Free-text IOC extraction (reports, blog posts, pasted tables). Conservative by design: a false
 * indicator becomes a false finding in every hunt, while a missed one is visible to the analyst who
 * reads the report. Order of passes matters: URLs, e-mail addresses, hashes and IPs claim their
 * characters first, so a domain is never pulled out of a URL, an address or an `ip:port`.
 */
import { dedupe, type Indicator } from './model.js';
import { refangWithMarks } from './refang.js';
import {
  hashType,
  isDomain,
  isIPv4,
  isIPv6,
  isPort,
  isPublicIP,
  normaliseIPv6,
  normaliseUrl,
} from './validate.js';

/**
 * Real TLDs that are also common file extensions or code identifiers (`x.sh`, `libc.so`, `README.md`,
 * `process.name`). A name under one of them counts only with extra evidence: it was defanged, or it
 * sits in a URL (URLs are matched separately, so here only defanging counts).
 */
// prettier-ignore
export const FILE_EXTENSION_TLDS = new Set([
  'sh', 'py', 'pl', 'pm', 'rs', 'so', 'md', 'mk', 'ps', 'tf', 'la', 'zip', 'mov', 'pub', 'run',
  'cab', 'java', 'pid', 'name', 'data', 'new',
]);

const URL_RE = /\b(?:https?|ftp):\/\/[^\s"'<>`[\]{}|\\^]+/gi;
// Anchored at the start of a run so a long word without '@' is scanned once, not once per character.
const EMAIL_RE = /(?<![\w.+-])[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]+/gi;
const HASH_RE = /(?<![\w])(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})(?!\w)/gi;
// Not preceded by a word char or dot (`v1.2.3.4`, `1.2.3.4.5`), not followed by more dotted parts or a
// CIDR suffix (a prefix is not an address).
const IPV4_RE = /(?<![\w.])((?:\d{1,3}\.){3}\d{1,3})(?::(\d{1,5}))?(?!\w|\.\w|\/\d)/g;
const IPV6_RE = /(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi;
const DOMAIN_RE =
  /(?<![\w.@/\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-]|\.\w|@|\()/gi;

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
  const listLines = new Map<number, boolean>(); // line → blank or list item, memoised for contextAt

  const free = (start: number, end: number) => {
    for (let k = start; k < end; k++) if (taken[k]) return false;
    return true;
  };
  const take = (start: number, end: number) => taken.fill(1, start, end);
  const defanged = (start: number, end: number) => overlapsMark(marks, start, end);
  const add = (index: number, length: number, indicator: Omit<Indicator, 'source'>) => {
    hits.push({
      index,
      indicator: { ...indicator, context: contextAt(t, index, length, lineStarts, listLines) },
    });
    take(index, index + length);
  };

  for (const m of t.matchAll(URL_RE)) {
    const raw = trimUrl(m[0]);
    const url = normaliseUrl(raw);
    // A live link to a named host is how prose cites its sources (seed 000's news links); indicators
    // are defanged or sit on a bare address. The URL still claims its characters: its host is no domain.
    if (url && (defanged(m.index!, m.index! + raw.length) || hostIsAddress(url)))
      add(m.index!, raw.length, { type: 'url', value: url });
    else take(m.index!, m.index! + raw.length);
  }
  // E-mail addresses are not indicators in this model; their domains are mostly report contacts.
  for (const m of t.matchAll(EMAIL_RE)) take(m.index!, m.index! + m[0].length);

  for (const m of t.matchAll(HASH_RE)) {
    const type = hashType(m[0]);
    if (type && free(m.index!, m.index! + m[0].length))
      add(m.index!, m[0].length, { type, value: m[0].toLowerCase() });
  }

  for (const m of t.matchAll(IPV4_RE)) {
    const [whole, ip, portText] = m;
    if (!free(m.index!, m.index! + whole.length) || !isIPv4(ip!) || !isPublicIP(ip!)) continue;
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && isPort(port))
      add(m.index!, whole.length, { type: 'ip:port', value: ip!, port });
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
    hits.map(({ index, indicator }) => ({
      ...indicator,
      source,
      origin: `${file}:${lineOf(lineStarts, index)}`,
    })),
  );
  // A bare IP that the same text also gives with its port is the same indicator restated (reports
  // drop the port in their example queries); the ip:port row fills NetworkIP too, so nothing is lost.
  const withPort = new Set(found.filter((i) => i.type === 'ip:port').map((i) => i.value));
  return found.filter((i) => !(i.type === 'ipv4' && withPort.has(i.value)));
}

function hostIsAddress(url: string): boolean {
  const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url)?.[1] ?? '';
  return isIPv4(host) || host.startsWith('[');
}

/** Marks are sorted and disjoint: binary search for the first ending after `start`. */
function overlapsMark(marks: Array<[number, number]>, start: number, end: number): boolean {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < marks.length && marks[lo]![0] < end;
}

/** Trailing sentence punctuation is not part of a URL; a `)` is, only if the URL opened one. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last && '.,;:!?\'"'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0))
      url = url.slice(0, -1);
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
// and list punctuation are removed. Long lines are prose by definition (and stay O(1) to classify).
const IOC_TOKENS = /\S*[.:]\S*|[0-9a-f]{32,}/gi;
const LIST_LINE_MAX = 512;
const isListLine = (line: string) =>
  line.length <= LIST_LINE_MAX && line.replace(IOC_TOKENS, '').replace(/[\s|*•#>()[\],;-]/g, '').length < 3;
// Sentence search looks this far either side of the match, so one huge line costs O(hits), not O(hits × line).
const WINDOW = 2 * CONTEXT_MAX;

/**
 * The sentence holding the indicator; for a bare list item (seed 003's hash lines), the last sentence
 * of the prose line introducing the list.
 */
function contextAt(
  text: string,
  index: number,
  length: number,
  starts: number[],
  listLines: Map<number, boolean>,
): string {
  const lineNo = lineOf(starts, index) - 1;
  const lineStart = (n: number) => starts[n]!;
  const lineEnd = (n: number) => (n + 1 < starts.length ? starts[n + 1]! - 1 : text.length);
  const shortLine = (n: number) =>
    lineEnd(n) - lineStart(n) <= LIST_LINE_MAX ? text.slice(lineStart(n), lineEnd(n)) : undefined;
  const line = shortLine(lineNo);
  if (line !== undefined && isListLine(line)) {
    for (let n = lineNo - 1; n >= 0 && lineNo - n <= 50; n--) {
      const prev = text.slice(Math.max(lineStart(n), lineEnd(n) - WINDOW), lineEnd(n)).trim();
      if (!listLines.has(n)) listLines.set(n, !prev || isListLine(prev));
      if (!listLines.get(n)) return clip(lastSentence(prev));
    }
    return clip(line.trim());
  }
  const from = Math.max(lineStart(lineNo), index - WINDOW);
  const to = Math.min(lineEnd(lineNo), index + length + WINDOW);
  const before = text.slice(from, index);
  const boundary = Math.max(before.lastIndexOf('. '), before.lastIndexOf('! '), before.lastIndexOf('? '));
  const sentenceStart = boundary === -1 ? from : from + boundary + 2;
  const endMatch = /[.!?](?=\s|$)/.exec(text.slice(index + length, to));
  const sentenceEnd = endMatch ? index + length + endMatch.index + 1 : to;
  return clip(text.slice(sentenceStart, sentenceEnd).trim(), index - sentenceStart);
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
