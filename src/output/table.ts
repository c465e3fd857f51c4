/** Plain-text tables for a terminal; every cell is stripped of control characters first. */
import { stripControl } from './sanitize.js';

export function cellText(value: unknown, max = 80): string {
  if (value === null || value === undefined) return '';
  const text = stripControl(typeof value === 'object' ? JSON.stringify(value) : String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function renderTable(columns: string[], rows: Record<string, unknown>[], maxCell = 60): string {
  const cells = rows.map((row) => columns.map((c) => cellText(row[c], maxCell)));
  // a loop, not Math.max(...cells): spreading a million cells overflows the call stack
  const widths = columns.map((c, i) => cells.reduce((w, r) => Math.max(w, r[i].length), c.length));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
