/**
 * JavaScript string functions (see js-library.ts for the calling convention): character translation,
 * regex positions and quoting, punycode (punycode.js: Kusto keeps the case and spaces of a label, as
 * RFC 3492's encoder does, without IDNA's nameprep), byte sizes and path parts.
 */
import punycode from 'punycode/punycode.js';
import type { JsFn, JsValue } from './js-value.js';

/** `translate(searchList, replacementList, source)`: each search character becomes the replacement at its
 * index (the last replacement character past the end); an empty replacement list deletes them. */
function translate(search: JsValue, replacement: JsValue, source: JsValue): JsValue {
  if (typeof search !== 'string' || typeof replacement !== 'string' || typeof source !== 'string')
    return null;
  const [from, to] = [[...search], [...replacement]];
  return [...source]
    .map((ch) => {
      const i = from.indexOf(ch);
      if (i < 0) return ch;
      return to.length ? to[Math.min(i, to.length - 1)] : '';
    })
    .join('');
}

/** RE2's inline flags at the start of a pattern as JavaScript flags ((?i) is the one Kusto hunts use). */
function jsRegex(pattern: string): RegExp {
  const m = /^\(\?([imsU]+)\)/.exec(pattern);
  const flags = m ? [...m[1]].filter((f) => f !== 'U').join('') : '';
  return new RegExp(m ? pattern.slice(m[0].length) : pattern, `gu${flags}`);
}

/**
 * `indexof_regex(s, regex[, start[, length[, occurrence]]])`: where the n-th non-overlapping match starts
 * in s[start, start + length), -1 when there are fewer; null for a negative start or occurrence or a
 * length below -1 (the page's rules).
 */
function indexOfRegex(
  s: JsValue,
  regex: JsValue,
  start: JsValue = 0,
  length: JsValue = -1,
  occurrence: JsValue = 1,
): JsValue {
  if (typeof s !== 'string' || typeof regex !== 'string') return null;
  if (typeof start !== 'number' || typeof length !== 'number' || typeof occurrence !== 'number') return null;
  if (start < 0 || occurrence < 0 || length < -1) return null;
  if (start > s.length) return -1;
  const range = length === -1 ? s.slice(start) : s.slice(start, start + length);
  let re: RegExp;
  try {
    re = jsRegex(regex);
  } catch {
    return null;
  }
  let n = 0;
  for (let m = re.exec(range); m; m = re.exec(range)) {
    if (++n >= Math.max(1, occurrence)) return start + m.index;
    if (m[0] === '') re.lastIndex++;
  }
  return -1;
}

/** RE2's QuoteMeta: every ASCII character but letters, digits and `_` escaped. */
const regexQuote = (s: JsValue): JsValue =>
  typeof s === 'string' ? s.replace(/[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]/g, '\\$&') : null;

/** IDNA's label separators: the full stop and its ideographic and full-width forms. */
const LABEL_SEPARATORS = /[.\u3002\uff0e\uff61]/;

/** The encoded or decoded text, or Kusto's empty result when the coder fails. */
function coded(fn: (s: string) => string): JsFn {
  return (s) => {
    if (typeof s !== 'string') return null;
    try {
      return fn(s);
    } catch {
      return '';
    }
  };
}

const encodeDomain = (domain: string) =>
  domain
    .split(LABEL_SEPARATORS)
    .map((label) => (/[^\x00-\x7f]/.test(label) ? `xn--${punycode.encode(label)}` : label))
    .join('.');

const decodeDomain = (domain: string) =>
  domain
    .split(LABEL_SEPARATORS)
    .map((label) => (/^xn--/i.test(label) ? punycode.decode(label.slice(4)) : label))
    .join('.');

const BYTE_UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/**
 * `format_bytes(size[, precision[, units]])`: the size in the largest 1024-based unit it reaches (or the
 * named one), rounded to precision digits after the point.
 */
function formatBytes(size: JsValue, precision: JsValue = 0, unit: JsValue = ''): JsValue {
  if (typeof size !== 'number' || typeof precision !== 'number') return null;
  const wanted = typeof unit === 'string' ? unit.toLowerCase() : '';
  let power = BYTE_UNITS.findIndex((u) => u.toLowerCase() === wanted);
  if (power < 0) {
    power = 0;
    while (power < BYTE_UNITS.length - 1 && Math.abs(size) >= 1024 ** (power + 1)) power++;
  }
  const digits = Math.max(0, Math.min(15, Math.trunc(precision)));
  return `${Number((size / 1024 ** power).toFixed(digits))} ${BYTE_UNITS[power]}`;
}

/**
 * `parse_path(path)`: scheme, root (a drive), directory path and name, file name, extension and an NTFS
 * alternate data stream (`file.txt:stream`) of a Windows, UNC, URL or Unix path.
 */
function parsePath(path: JsValue): JsValue {
  if (typeof path !== 'string') return null;
  let rest = path;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const root = /^[a-zA-Z]:/.exec(rest)?.[0] ?? '';
  const cut = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf('\\'));
  const directory = cut >= 0 ? rest.slice(0, cut) : '';
  let file = cut >= 0 ? rest.slice(cut + 1) : rest;
  let stream = '';
  const colon = file.indexOf(':');
  if (colon >= 0 && !(cut < 0 && root && colon === 1)) {
    stream = file.slice(colon + 1);
    file = file.slice(0, colon);
  }
  const dirName = directory.split(/[\\/]/).pop() ?? '';
  const dot = file.lastIndexOf('.');
  return {
    Scheme: scheme?.[1] ?? '',
    RootPath: root,
    DirectoryPath: directory,
    DirectoryName: dirName === root ? '' : dirName,
    Filename: file,
    Extension: dot >= 0 ? file.slice(dot + 1) : '',
    AlternateDataStreamName: stream,
  };
}

export const TEXT_LIBRARY: Record<string, JsFn> = {
  translate,
  indexof_regex: indexOfRegex,
  regex_quote: regexQuote,
  punycode_from_string: coded((s) => punycode.encode(s)),
  punycode_to_string: coded((s) => (/^[\x00-\x7f]*$/.test(s) ? punycode.decode(s) : '')),
  // the page names them this way round: domain_to_string encodes, domain_from_string decodes
  punycode_domain_to_string: coded(encodeDomain),
  punycode_domain_from_string: coded(decodeDomain),
  // Kusto's strings come from UTF-8 text here (DuckDB validates it), so only a lone surrogate fails
  isutf8: (s) => (typeof s === 'string' ? !/\p{Cs}/u.test(s) : null),
  format_bytes: formatBytes,
  parse_path: parsePath,
};
