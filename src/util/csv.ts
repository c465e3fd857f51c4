/**
 * The one CSV writer (findings, `kql`, `intel list`, indicator exports): RFC 4180 cells, made safe for
 * the two places a CSV ends up.
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
