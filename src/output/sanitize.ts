/**
 * Log-derived strings are attacker-controlled: a CEF `msg` can carry terminal escape sequences that
 * rewrite the analyst's screen. Everything that reaches a terminal goes through here.
 */

// C0 controls except tab, DEL, and C1 controls (0x80-0x9f, which some terminals treat as ESC sequences).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
// Complete ANSI/VT sequences first, so their printable tails ("[31m") go too.
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

export function stripControl(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, (c) => (c === '\n' || c === '\r' ? ' ' : ''));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
