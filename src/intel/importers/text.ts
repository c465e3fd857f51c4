/**
 * Free text: plain text and Markdown go to the extractor as they are; HTML is reduced to its visible
 * text first (scripts, styles and tags removed, entities decoded) with every newline kept, so the
 * `file:line` of each indicator is the line in the HTML file. Link targets (`href`) vanish with the
 * tags: they are references, not indicators.
 */
import { basename } from 'node:path';
import type { ParseResult } from '../model.js';
import { extractIndicators } from '../extract.js';

export function looksLikeHtml(raw: string): boolean {
  return /^\s*(?:<!doctype html|<html|<head|<body)|<\/(?:p|div|body|html|table|li)>/i.test(raw.slice(0, 4096));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const keepNewlines = (s: string) => s.replace(/[^\n]/g, '');

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, keepNewlines)
    .replace(/<!--[\s\S]*?-->/g, keepNewlines)
    .replace(/<\/?(?:p|div|br|li|tr|td|th|h\d|pre|code|blockquote)\b[^>]*>/gi, (t) => (t.includes('\n') ? keepNewlines(t) : ' '))
    .replace(/<[^>]*>/g, keepNewlines)
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#'
        ? String.fromCodePoint(parseInt(e.slice(e[1] === 'x' || e[1] === 'X' ? 2 : 1), e[1] === 'x' || e[1] === 'X' ? 16 : 10))
        : (ENTITIES[e.toLowerCase()] ?? m),
    );
}

export function parseText(raw: string, file: string, html = false): ParseResult {
  return { indicators: extractIndicators(html ? htmlToText(raw) : raw, basename(file), file), rejects: [] };
}
