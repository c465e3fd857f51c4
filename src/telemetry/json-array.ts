/**
 * Streams the elements of a top-level JSON array (`[{…},{…}]`, pretty-printed or on one line) without
 * holding the file: a small state machine tracks strings, escapes and nesting depth over text chunks and
 * hands back each element's text with the line it starts on. Elements larger than the cap are skipped
 * and reported (text null), like over-long lines.
 */
import type { SourceRecord } from './types.js';

export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private line = 1;
  private state: 'before' | 'inside' | 'after' = 'before';
  private parts: string[] = [];
  private partsSize = 0;
  private elementStart = -1; // index in the current chunk, or 0 when continuing from earlier chunks
  private inElement = false;
  private elementLine = 0;
  private overflow = false;
  /** Set when the text is not a JSON array (or has text after it); the caller stops and reports it. */
  error: string | undefined;
  /** The line the error is about (0: the file). */
  errorLine = 0;

  constructor(private readonly maxChars = MAX_ELEMENT_CHARS) {}

  push(chunk: string, out: SourceRecord[]): void {
    if (this.error) return;
    if (this.inElement) this.elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.depth === 1) this.end(chunk, i + 1, out); // a string element
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (this.state !== 'inside') {
        if (this.state === 'before' && c === 91 /* [ */) {
          this.state = 'inside';
          this.depth = 1;
        } else if (this.state === 'before' && c === 0xfeff) continue;
        else {
          this.error = this.state === 'before' ? 'not a JSON array' : 'text after the end of the JSON array';
          this.errorLine = this.line;
          return;
        }
        continue;
      }
      if (this.depth === 1 && !this.inElement) {
        if (c === 44 /* , */) continue;
        if (c === 93 /* ] */) {
          this.state = 'after';
          this.depth = 0;
          continue;
        }
        this.inElement = true;
        this.elementStart = i;
        this.elementLine = this.line;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 1) this.end(chunk, i + 1, out);
        else if (this.depth === 0) {
          // a scalar element directly before the closing bracket
          this.end(chunk, i, out);
          this.state = 'after';
        }
      } else if (c === 44 && this.depth === 1) this.end(chunk, i, out); // end of a scalar element
    }
    if (this.inElement && !this.overflow) {
      const tail = chunk.slice(this.elementStart);
      this.partsSize += tail.length;
      if (this.partsSize > this.maxChars) {
        this.overflow = true;
        this.parts = [];
      } else this.parts.push(tail);
    }
  }

  /** Call at end of input: an unfinished array is an error. */
  finish(): void {
    if (this.error) return;
    if (this.state === 'before') this.error = 'empty input: no JSON array';
    else if (this.state === 'inside') {
      this.error = this.inElement
        ? 'the JSON array is not closed: its last element is cut off'
        : 'the JSON array is not closed';
      if (this.inElement) this.errorLine = this.elementLine;
    }
  }

  private end(chunk: string, endIndex: number, out: SourceRecord[]): void {
    if (!this.inElement) return;
    let text: string | null = null;
    if (!this.overflow) {
      const piece = chunk.slice(this.elementStart, endIndex);
      text = this.parts.length > 0 ? this.parts.join('') + piece : piece;
      if (text.length > this.maxChars) text = null;
    }
    out.push({ text, line: this.elementLine });
    this.parts = [];
    this.partsSize = 0;
    this.inElement = false;
    this.overflow = false;
  }
}
