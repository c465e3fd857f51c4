/** Option parsing and stderr summaries shared by the commands. */
import { InvalidArgumentError } from 'commander';
import type { IngestLedger } from '../telemetry/types.js';
import type { Finding } from '../hunts/findings.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/findings.js';
import { stripControl } from '../output/sanitize.js';
import type { ScanReport } from '../scan/index.js';

export const EXIT_NONE = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseFormat(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return value as OutputFormat;
}

export function parseNow(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`not an ISO 8601 date/time: ${value}`);
  return date;
}

export function chooseFormat(format: OutputFormat | undefined): OutputFormat {
  return format ?? 'table';
}

export function err(text: string): void {
  process.stderr.write(stripControl(text) + '\n');
}

const MAX_REJECTS_SHOWN = 10;

export function reportLedgers(ledgers: IngestLedger[]): void {
  if (ledgers.length === 0) return;
  const total = { read: 0, ingested: 0, rejected: 0 };
  for (const l of ledgers) {
    total.read += l.read;
    total.ingested += l.ingested;
    total.rejected += l.rejected.length;
    const tables = Object.entries(l.tables)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    err(
      `ingest ${l.file} [${l.format}]: read ${l.read} = ingested ${l.ingested} + rejected ${l.rejected.length}${tables ? ` (${tables})` : ''}`,
    );
  }
  err(
    `ingest total: ${ledgers.length} files, read ${total.read} = ingested ${total.ingested} + rejected ${total.rejected}`,
  );
  const rejects = ledgers.flatMap((l) => l.rejected);
  for (const r of rejects.slice(0, MAX_REJECTS_SHOWN)) err(`  rejected ${r.file}:${r.line}: ${r.reason}`);
  if (rejects.length > MAX_REJECTS_SHOWN) err(`  … ${rejects.length - MAX_REJECTS_SHOWN} more rejects`);
}

export function reportScan(report: ScanReport): void {
  err(
    `scan: ${report.files.length} files, ${(report.bytes / 1048576).toFixed(1)} MiB, ${report.ruleCount} rules`,
  );
  for (const s of report.skipped) err(`  skipped ${s.path}: ${s.reason}`);
  for (const e of report.ruleErrors) err(`  rule error ${e.file}: ${e.message}`);
}

export function summarise(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
