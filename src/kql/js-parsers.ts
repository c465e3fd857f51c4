/**
 * JavaScript parsers of text (see js-library.ts for the calling convention): `parse_csv` (the first
 * record, RFC 4180 quoting), `parse_version` (up to four numeric parts, each counted as 8 digits, so
 * versions compare as numbers) and `parse_command_line` (Windows' CommandLineToArgvW rules).
 */
import type { JsFn, JsValue } from './js-value.js';

/** The fields of the first CSV record: `"` quotes a field, `""` inside quotes is one `"`. */
function parseCsv(text: JsValue): JsValue {
  if (typeof text !== 'string') return null;
  const fields: string[] = [];
  let [field, quoted, i] = ['', false, 0];
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  fields.push(field);
  return fields;
}

/** `1.2.3.4` → 1 00000002 00000003 00000004 (a number that orders like the version); null when invalid. */
function parseVersion(text: JsValue): JsValue {
  if (typeof text !== 'string') return null;
  const parts = text.trim().split('.');
  if (parts.length > 4 || !parts.every((p) => /^\d{1,8}$/.test(p))) return null;
  const padded = [...parts, ...Array(4 - parts.length).fill('0')].map((p) => p.padStart(8, '0'));
  return Number(padded.join(''));
}

/** Windows' rules: whitespace separates; quotes group; 2n backslashes before a quote are n, 2n+1 escape it. */
function windowsArgs(line: string): string[] {
  const args: string[] = [];
  let [arg, inQuotes, started] = ['', false, false];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        arg += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) arg += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        arg += '\\'.repeat(n);
        i += n - 1;
      }
      started = true;
    } else if (ch === '"') {
      // `""` inside quotes is a literal quote
      if (inQuotes && line[i + 1] === '"') {
        arg += '"';
        i++;
      } else inQuotes = !inQuotes;
      started = true;
    } else if (/\s/.test(ch) && !inQuotes) {
      if (started) args.push(arg);
      [arg, started] = ['', false];
    } else {
      arg += ch;
      started = true;
    }
  }
  if (started) args.push(arg);
  return args;
}

export const PARSER_LIBRARY: Record<string, JsFn> = {
  parse_csv: parseCsv,
  parse_version: parseVersion,
  parse_command_line: (line, kind) =>
    typeof line === 'string' && typeof kind === 'string' && kind.toLowerCase() === 'windows'
      ? windowsArgs(line)
      : null,
};
