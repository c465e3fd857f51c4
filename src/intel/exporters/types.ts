/** What every exporter returns: one or more named files (blocklists often come as a list plus a rule). */
import type { Indicator } from '../model.js';

export interface ExportFile {
  name: string;
  content: string;
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
