/** What every exporter returns: one or more named files (blocklists often come as a list plus a rule). */
import type { Indicator } from '../model.js';

export interface ExportFile {
  name: string;
  /** The text, or its parts in order where one string would be too long (a million-object bundle). */
  content: string | readonly string[];
}

/** An export file's text as parts, in order (one part when it is one string). */
export const fileParts = (f: ExportFile): readonly string[] =>
  typeof f.content === 'string' ? [f.content] : f.content;

/** An export file's whole text (tests, small files). */
export const fileText = (f: ExportFile): string => fileParts(f).join('');

const ITEMS = '\u0000telltale-items\u0000';
const ITEMS_JSON = JSON.stringify(ITEMS);
const PER_PART = 10_000;

/**
 * `JSON.stringify(doc, null, 2) + '\n'` in parts, `items` (an array inside `doc`) written a batch at a
 * time: V8 caps a string near 512 MiB, which a STIX bundle of a million indicators passes.
 */
export function prettyJsonParts(doc: unknown, items: readonly unknown[]): string[] {
  const text = JSON.stringify(doc, (_key, value: unknown) => (value === items ? ITEMS : value), 2) + '\n';
  const at = text.indexOf(ITEMS_JSON);
  const before = text.slice(0, at);
  const after = text.slice(at + ITEMS_JSON.length);
  if (items.length === 0) return [`${before}[]${after}`];
  const indent = /^ */.exec(text.slice(text.lastIndexOf('\n', at) + 1))![0];
  const inner = `${indent}  `;
  const parts = [`${before}[\n`];
  for (let k = 0; k < items.length; k += PER_PART)
    parts.push(
      items
        .slice(k, k + PER_PART)
        .map((item) => inner + JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`))
        .join(',\n') + (k + PER_PART < items.length ? ',\n' : ''),
    );
  parts.push(`\n${indent}]${after}`);
  return parts;
}

export interface ExportOptions {
  /** Written into headers, rule messages and event info. */
  title?: string;
  /** Clock for generated timestamps (deterministic output in tests). */
  now?: Date;
}

export type Exporter = (indicators: readonly Indicator[], options: ExportOptions) => ExportFile[];

/** `1.2.3.4:80`, `[2001:db8::1]:80`, or the value. */
export const display = (i: Indicator) =>
  i.type === 'ip:port'
    ? i.value.includes(':')
      ? `[${i.value}]:${i.port}`
      : `${i.value}:${i.port}`
    : i.value;
export const lines = (values: Iterable<string>) => {
  const text = [...values].join('\n');
  return text ? `${text}\n` : '';
};
/** Single-line, comment-safe text for headers and rule messages. */
export const oneLine = (s: string) => s.replace(/[\r\n"\\;]+/g, ' ').trim();
