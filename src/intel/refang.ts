/**
 * Refanging: undo the "defanging" reports apply so indicators are not clickable
 * (`176[.]65[.]139[.]7`, `hxxp://`, `evil[dot]com`, `user[at]host`). Newlines are never consumed, so
 * line numbers of the refanged text equal those of the input. The marked variant also says which
 * output ranges came from a defang token: a defanged name is deliberate evidence that it is an
 * indicator (the extractor uses this to accept `x[.]sh` while rejecting the file name `x.sh`).
 */

export interface RefangResult {
  text: string;
  /** [start, end) ranges in `text` produced by a defang substitution. */
  marks: Array<[number, number]>;
}

// One pass, alternatives in priority order. Bracket styles: [] () {}; spaces inside/around are eaten
// only when the bracket is there (never newlines).
const DEFANG =
  /\b(h(?:xx|XX|Xx|xX)p)(s?)(?=\s*(?::|\[:\]|\[:\/\/\]))|\b(fxp)(?=\s*(?::|\[:\]|\[:\/\/\]))|[ \t]?[[({][ \t]?(?:\.|dot)[ \t]?[\])}][ \t]?|\[:\/\/\]|[[({]:[\])}]|[[({](?:at|@)[\])}]|\[\/\]/gi;

function replacement(match: string, hxxp?: string, s?: string, fxp?: string): string {
  if (hxxp) return `http${s ?? ''}`;
  if (fxp) return 'ftp';
  const inner = match.replace(/[\s[\](){}]/g, '').toLowerCase();
  if (inner === '.' || inner === 'dot') return '.';
  if (inner === '://') return '://';
  if (inner === ':') return ':';
  if (inner === 'at' || inner === '@') return '@';
  if (inner === '/') return '/';
  return match;
}

export function refangWithMarks(text: string): RefangResult {
  const marks: Array<[number, number]> = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(DEFANG)) {
    const index = m.index ?? 0;
    out += text.slice(last, index);
    const rep = replacement(m[0], m[1], m[2], m[3]);
    marks.push([out.length, out.length + rep.length]);
    out += rep;
    last = index + m[0].length;
  }
  out += text.slice(last);
  return { text: out, marks };
}

export function refang(text: string): string {
  return refangWithMarks(text).text;
}

/** The common defanging (`[.]`, `hxxp`, `[:]//`), for tests and for safe display of indicators. */
export function defang(value: string): string {
  return value
    .replace(/^http/i, 'hxxp')
    .replace(/^ftp/i, 'fxp')
    .replace(/:\/\//, '[:]//')
    .replace(/\./g, '[.]');
}
