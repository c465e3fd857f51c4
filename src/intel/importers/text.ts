/**
 * Free text: plain text and Markdown go to the extractor as they are; HTML is reduced to its visible
 * text first (scripts, styles and tags removed, entities decoded) with every newline kept, so the
 * `file:line` of each indicator is the line in the HTML file. Link targets (`href`) vanish with the
 * tags: they are references, not indicators.
 */
import { basename } from 'node:path';
import { decodeHTML } from 'entities';
import { dedupe, type ParseResult } from '../model.js';
import { extractIndicators } from '../extract.js';
import { looksLikeIndicatorCsv, parseCsv } from './csv.js';
import { append } from '../../util/append.js';

export function looksLikeHtml(raw: string): boolean {
  return /^\s*(?:<!doctype html|<html|<head|<body)|<\/(?:p|div|body|html|table|li)>/i.test(
    raw.slice(0, 4096),
  );
}

const keepNewlines = (s: string) => s.replace(/[^\n]/g, '');

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, keepNewlines)
    .replace(/<!--[\s\S]*?-->/g, keepNewlines)
    .replace(/<\/?(?:p|div|br|li|tr|td|th|h\d|pre|code|blockquote)\b[^>]*>/gi, (t) =>
      t.includes('\n') ? keepNewlines(t) : ' ',
    )
    .replace(/<[^>]*>/g, keepNewlines)
    .replace(/&[#\w]+;?/g, (entity) => decodeHTML(entity).replace(/\u00a0/g, ' '));
}

const TABLE_ROW = /^\s*\|(.*)\|\s*$/;
const SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * Markdown tables whose header names a value column (seed 002's `| Type | Value | Threat Type | First
 * Seen | Confidence |`) are read as CSV, so their typed columns come along; other lines are blanked to
 * keep line numbers.
 */
function markdownTables(text: string, file: string): ParseResult {
  const lines = text.split('\n');
  const out: ParseResult = { indicators: [], rejects: [] };
  for (let k = 0; k < lines.length; k++) {
    if (!TABLE_ROW.test(lines[k]!) || !SEPARATOR.test(lines[k + 1] ?? '')) continue;
    let end = k + 2;
    while (end < lines.length && TABLE_ROW.test(lines[end]!)) end++;
    const block = lines.map((l, n) =>
      n === k || (n >= k + 2 && n < end)
        ? TABLE_ROW.exec(l)![1]!
            .split('|')
            .map((c) => c.trim())
            .join('\t')
        : '',
    );
    const tsv = block.join('\n');
    if (looksLikeIndicatorCsv(lines[k]!.replace(/\|/g, '\t'))) {
      const r = parseCsv(tsv, file);
      append(out.indicators, r.indicators);
      append(out.rejects, r.rejects);
    }
    k = end - 1;
  }
  return out;
}

export function parseText(raw: string, file: string, html = false): ParseResult {
  const text = html ? htmlToText(raw) : raw;
  const tables = markdownTables(text, file);
  // Table rows first: their typed columns win; the extractor adds each value's sentence as context.
  const source = basename(file);
  const indicators = dedupe([
    ...tables.indicators.map((i) => ({ ...i, source })),
    ...extractIndicators(text, source, file),
  ]);
  return { indicators, rejects: tables.rejects };
}
