/**
 * `telltale report` / `telltale hunt --report`: collect the report while the hunt's store is open,
 * then write it as one HTML file, or as a Markdown brief with its charts as SVG files beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { collectIndicators } from '../intel/collect.js';
import type { Indicator } from '../intel/model.js';
import type { Store } from '../store/db.js';
import type { HuntOptions, HuntResult } from '../types.js';
import { buildReport, type BuildOptions } from './build.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportData } from './model.js';

export type { ReportData } from './model.js';
export { buildReport } from './build.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';

export type ReportFormat = 'html' | 'md';
export const REPORT_FORMATS: ReportFormat[] = ['html', 'md'];

/** The format a file name implies (`.md` → md), else html. */
export function formatFor(file: string, format?: ReportFormat): ReportFormat {
  return format ?? (/\.(md|markdown)$/i.test(file) ? 'md' : 'html');
}

/** A HuntOptions.inspect hook that builds the report; `data()` returns it after the hunt. */
export function reportCollector(
  options: Omit<BuildOptions, 'indicators'> & { indicators: () => Indicator[] },
) {
  let data: ReportData | undefined;
  return {
    inspect: async (store: Store, result: HuntResult) => {
      data = await buildReport(store, result, { ...options, indicators: options.indicators() });
    },
    data(): ReportData {
      if (!data) throw new Error('the report was not built: the hunt ended before its store was read');
      return data;
    },
  };
}

/** Evidence rows kept per finding for a report (the timeline samples further per device). */
export const REPORT_EVIDENCE = 20;

/**
 * A report for a hunt run with these options: pass `inspect` to hunt(), then `write(file)`. The
 * evidence per finding is raised to REPORT_EVIDENCE unless the options say otherwise.
 */
export function reportRun(options: HuntOptions, settings: { title?: string; format?: ReportFormat } = {}) {
  const collector = reportCollector({
    title: settings.title,
    now: options.now ?? new Date(),
    minConfidence: options.minConfidence,
    indicators: () => collectIndicators(options).indicators,
  });
  return {
    options: { ...options, evidence: options.evidence ?? REPORT_EVIDENCE, inspect: collector.inspect },
    write: (out: string) => writeReport(collector.data(), out, formatFor(out, settings.format)),
  };
}

/** Writes the report; returns the files written. */
export function writeReport(data: ReportData, out: string, format: ReportFormat): string[] {
  mkdirSync(dirname(out) || '.', { recursive: true });
  if (format === 'html') {
    writeFileSync(out, renderHtml(data));
    return [out];
  }
  const charts = [...data.charts, ...data.devices.flatMap((d) => d.charts)];
  const folder = `${basename(out, extname(out))}-charts`;
  const written: string[] = [];
  if (charts.length) mkdirSync(join(dirname(out), folder), { recursive: true });
  for (const c of charts) {
    const file = join(dirname(out), folder, `${c.id}.svg`);
    writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${c.svg}\n`);
    written.push(file);
  }
  writeFileSync(
    out,
    renderMarkdown(data, (id) => `${folder}/${id}.svg`),
  );
  return [out, ...written];
}
