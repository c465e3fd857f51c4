/**
 * RFC 4180 CSV, as Sentinel and Defender export it: comma separated, `"` quoting with `""` inside,
 * quoted fields may span lines. Records are assembled from lines (a record is complete when its quotes
 * balance), so the line splitter's size cap and line numbers carry over. Unquoted empty fields and the
 * bare word `null` are null; a quoted "" is the empty string.
 */

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

/** Splits one record into fields; throws an Error with the reason when the quoting is broken. */
export function parseCsvRecord(text: string): (string | null)[] {
  const fields: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
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
      if (i < n && text.charCodeAt(i) !== 44)
        throw new Error(`text after a closing quote at column ${i + 1}`);
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const raw = comma === -1 ? text.slice(i) : text.slice(i, comma);
      fields.push(raw === '' || raw === 'null' ? null : raw);
      i = comma === -1 ? n : comma;
    }
    if (i >= n) return fields;
    i++; // the comma
    if (i === n) {
      fields.push(null);
      return fields;
    }
  }
}
