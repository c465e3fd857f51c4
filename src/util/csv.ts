/**
 * The one CSV reader and the one CSV writer.
 *
 * Reading: RFC 4180 records (`"` quoting with `""` inside; quoted fields may span lines, joined by
 * CsvRecordJoiner so the line reader's cap and line numbers carry over), as Sentinel and Defender export
 * them, and the loose CSV of feeds (ThreatFox writes `"a", "b"`; other delimiters) with `trim`.
 *
 * Writing (findings, `kql`, `intel list`, indicator exports): RFC 4180 cells, made safe for the two
 * places a CSV ends up.
 * - A spreadsheet: OWASP's CSV-injection rule. A text cell starting with `=`, `+`, `-`, `@`, tab or CR
 *   gets a leading `'` so it is not run as a formula (`-2+3+cmd|' /C calc'!A0`). Numbers stay numbers:
 *   a number value, or text that is exactly a decimal number, is written as it is.
 * - A terminal: log-derived text can carry escape sequences; ANSI sequences and C0/C1 control
 *   characters are removed (tab and line feed stay, quoted), so `--format csv` cannot rewrite the screen.
 */
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  text = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
  if (FORMULA.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}

export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Joins physical lines into CSV records. */
export class CsvRecordJoiner {
  private parts: string[] = [];
  private size = 0;
  private quotes = 0;
  private startLine = 0;

  /** Adds a line; returns the finished record (with its first line) or undefined while a quote is open. */
  push(text: string, line: number): { text: string; line: number } | undefined {
    let q = 0;
    for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) q++;
    if (this.parts.length === 0) {
      if (q % 2 === 0) return { text, line };
      this.startLine = line;
    }
    this.parts.push(text);
    this.size += text.length + 1;
    this.quotes += q;
    if (this.quotes % 2 === 1 && this.size <= MAX_RECORD_CHARS) return undefined;
    return this.take();
  }

  /** Whatever is left at the end of the file (an unterminated quote). */
  flush(): { text: string; line: number } | undefined {
    return this.parts.length > 0 ? this.take() : undefined;
  }

  private take(): { text: string; line: number } {
    const record = { text: this.parts.join('\n'), line: this.startLine };
    this.parts = [];
    this.size = 0;
    this.quotes = 0;
    return record;
  }
}

export interface CsvReadOptions {
  /** The field separator, one character (default `,`). */
  delimiter?: string;
  /** Feeds' loose CSV: blanks around fields are dropped (default: kept, as RFC 4180 says). */
  trim?: boolean;
  /** Sentinel's exports: an unquoted empty field or the bare word `null` is null; a quoted "" stays ''. */
  nulls?: boolean;
}

/** Past spaces (and tabs, unless tab is the delimiter). */
function skipBlanks(text: string, i: number, delimiter: string): number {
  while (text[i] === ' ' || (text[i] === '\t' && delimiter !== '\t')) i++;
  return i;
}

/** One record split into fields; throws an Error with the reason when the quoting is broken. */
export function parseCsvRecord(text: string, options: CsvReadOptions & { nulls: true }): (string | null)[];
export function parseCsvRecord(text: string, options?: CsvReadOptions): string[];
export function parseCsvRecord(text: string, options: CsvReadOptions = {}): (string | null)[] {
  const delimiter = options.delimiter ?? ',';
  const fields: (string | null)[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (options.trim) i = skipBlanks(text, i, delimiter);
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) throw new Error('unterminated quoted field');
        if (text.charCodeAt(close + 1) === 34) {
          value += text.slice(from, close + 1);
          from = close + 2;
          continue;
        }
        value += text.slice(from, close);
        i = close + 1;
        break;
      }
      if (options.trim) i = skipBlanks(text, i, delimiter);
      if (i < n && text[i] !== delimiter)
        throw new Error(
          `unexpected ${JSON.stringify(text[i])} after the closing quote of field ${fields.length + 1}`,
        );
      fields.push(value);
    } else {
      const end = text.indexOf(delimiter, i);
      const raw = end === -1 ? text.slice(i) : text.slice(i, end);
      fields.push(options.nulls && (raw === '' || raw === 'null') ? null : options.trim ? raw.trim() : raw);
      i = end === -1 ? n : end;
    }
    if (i >= n) return fields;
    i++; // the delimiter
    if (i === n) {
      fields.push(options.nulls ? null : '');
      return fields;
    }
  }
}
