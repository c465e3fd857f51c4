/**
 * Count the rules in a YARA source. YARA-X's JS API doesn't expose the rule list, so we lex just enough:
 * skip comments, string literals and regexes, track brace depth, and count the `rule` keyword at depth 0.
 * Only used on sources that compiled, so the input is well-formed YARA.
 */
export function countRules(text: string): number {
  let n = 0;
  let depth = 0;
  let prev = ''; // last significant token (a punctuation char or a word), to tell a regex from a division
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < len && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? len : end + 2;
    } else if (c === '"') {
      i = skipDelimited(text, i, '"');
      prev = '"';
    } else if (c === '/' && (prev === '=' || prev === 'matches')) {
      i = skipDelimited(text, i, '/');
      prev = '/';
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < len && /\w/.test(text[i])) i++;
      prev = text.slice(start, i);
      if (depth === 0 && prev === 'rule') n++;
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return n;
}

/** Index just past a "…" or /…/ literal starting at `i` (escapes and regex classes honoured; stops at EOL). */
function skipDelimited(text: string, i: number, quote: string): number {
  let inClass = false;
  for (i++; i < text.length && text[i] !== '\n'; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (quote === '/' && c === '[') inClass = true;
    else if (quote === '/' && c === ']') inClass = false;
    else if (c === quote && !inClass) return i + 1;
  }
  return i;
}
