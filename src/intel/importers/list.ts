/**
 * Plain lists: one value a line (blocklists, `ioc.txt` files), comments after `#`, `;` or `//` at the
 * start of a line or after whitespace. Each value's type is inferred; anything else is a reject. Unlike
 * prose, a list says every line is an indicator, so undefanged URLs and domains are taken as they are.
 */
import { basename } from 'node:path';
import type { ParseResult } from '../model.js';
import { collectEntries, inferType, observable, type Entry } from './fields.js';
import { parseLines, type LineImporter } from './lines.js';

const COMMENT = /(?:^|\s)(?:#|;|\/\/).*$/;

function values(lines: readonly string[], first = 1): Array<Entry<{ value: string }>> {
  return lines.flatMap((l, n) => {
    const value = l.replace(COMMENT, '').trim();
    return value ? [{ line: first + n, entry: { value } }] : [];
  });
}

/** Every non-comment line is a single token (prose has spaces). */
export function looksLikeList(raw: string): boolean {
  const lines = values(raw.slice(0, 65536).split('\n'));
  return lines.length > 0 && lines.every(({ entry }) => typeof entry !== 'string' && !/\s/.test(entry.value));
}

/** Plain lists, chunk by chunk (no state: every line stands alone). */
export function listImporter(file: string): LineImporter {
  const source = basename(file);
  return {
    chunk: (lines, first) =>
      collectEntries(values(lines, first), file, ({ value }) => {
        if (/\s/.test(value))
          throw new Error(`more than one value on the line: ${JSON.stringify(value.slice(0, 80))}`);
        const type = inferType(value);
        if (!type)
          throw new Error(`not an IP, ip:port, domain, URL or hash: ${JSON.stringify(value.slice(0, 80))}`);
        return { ...observable(type, value), source };
      }),
  };
}

export function parseList(raw: string, file: string): ParseResult {
  return parseLines(listImporter(file), raw);
}
