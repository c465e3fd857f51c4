/**
 * Fills the externaldata directory for the corpus: when a query names a URL with no local file, the
 * translator says which columns and format it declared (ExternalDataMissing); this writes a small file
 * of that shape, so every externaldata query reads real rows without special-casing any query file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DELIMITERS, type ExternalSource } from '../../src/kql/externaldata.js';

const SAMPLE_IPS = ['176.65.139.7', '45.95.147.10'];

function cell(type: string, name: string, i: number): unknown {
  switch (type) {
    case 'int':
    case 'long':
      return i + 1;
    case 'real':
    case 'decimal':
      return i + 0.5;
    case 'bool':
      return i % 2 === 0;
    case 'datetime':
      return `2026-05-2${i}T10:00:00Z`;
    case 'timespan':
      return '01:00:00';
    case 'dynamic':
      return { value: i };
    case 'guid':
      return `00000000-0000-0000-0000-00000000000${i}`;
  }
  return /ip/i.test(name) ? SAMPLE_IPS[i % SAMPLE_IPS.length] : `${name}${i}`;
}

function render(source: ExternalSource, rows: unknown[][]): string {
  const names = source.columns.map((c) => c.name);
  if (source.format === 'json' || source.format === 'multijson') {
    return (
      rows.map((r) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, r[i]])))).join('\n') + '\n'
    );
  }
  if (source.format === 'txt' || source.format === 'raw')
    return rows.map((r) => String(r[0])).join('\n') + '\n';
  const sep = DELIMITERS[source.format] ?? ',';
  const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  const lines = rows.map((r) => r.map(text).join(sep));
  if (source.ignoreFirstRecord) lines.unshift(names.join(sep));
  return lines.join('\n') + '\n';
}

export function writeFeed(source: ExternalSource, count = 2): void {
  const rows = Array.from({ length: count }, (_, i) => source.columns.map((c) => cell(c.type, c.name, i)));
  mkdirSync(dirname(source.path), { recursive: true });
  writeFileSync(source.path, render(source, rows));
}
