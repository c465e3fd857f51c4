/**
 * Log-derived text in a report: HTML-escaped, and control characters (a terminal escape in a hostname)
 * made visible as `\xNN` rather than passed on or silently dropped, so the analyst sees the attempt.
 */
import { escapeHtml } from '../output/sanitize.js';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Any value as safe HTML text. */
export function h(value: unknown): string {
  return escapeHtml(visible(value === null || value === undefined ? '' : String(value)));
}
