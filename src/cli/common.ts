/** Option parsing and stderr summaries shared by the commands. */
import { type Command, InvalidArgumentError } from 'commander';
import {
  LOG_FORMATS,
  OUTPUT_FORMATS,
  stripControl,
  type Finding,
  type IngestLedger,
  type LogFormat,
  type InputAccount,
  type OutputFormat,
  type ScanReport,
  type WalkOptions,
} from '../index.js';

/**
 * Exit status of hunt, ingest and scan (docs/cli.md "Exit status"): 0 everything named was read, no
 * findings; 1 findings (even if part of the input was not read: the summary warns); 2 error: nothing
 * that was named could be read, bad usage, a hunt or rule that failed; 3 no findings, but part of the
 * input was not read (missing path, unreadable file, YARA timeout…): "0 findings" would be a lie.
 */
export const EXIT_NONE = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;
export const EXIT_INCOMPLETE = 3;

export function exitStatus(run: { findings: number; errors: number; inputs: InputAccount }): number {
  if (run.inputs.named > 0 && run.inputs.read === 0) return EXIT_ERROR;
  if (run.findings > 0) return EXIT_FOUND;
  if (run.errors > 0) return EXIT_ERROR;
  return run.inputs.skipped.some((s) => s.incomplete) ? EXIT_INCOMPLETE : EXIT_NONE;
}

/** Every skipped path, then one warning when part (or all) of the named input was not read. */
export function reportInputs(inputs: InputAccount): void {
  for (const s of inputs.skipped) err(`  skipped ${s.path}: ${s.reason}`);
  const unread = inputs.skipped.filter((s) => s.incomplete);
  if (inputs.named > 0 && inputs.read === 0)
    err(`error: nothing was read of the ${inputs.named} input${inputs.named === 1 ? '' : 's'} named`);
  else if (unread.length > 0)
    err(
      `warning: incomplete: ${unread.length} input${unread.length === 1 ? '' : 's'} not read (${unread
        .slice(0, 3)
        .map((s) => s.path)
        .join(', ')}${unread.length > 3 ? ', …' : ''})`,
    );
}

/** The walker's two options, the same on hunt, ingest and scan. */
export function withWalkOptions(command: Command): Command {
  return command
    .option(
      '--follow-links',
      'follow symlinks that lead out of the given folders (default: reported, not followed)',
    )
    .option('--pseudo-fs', 'also read procfs, sysfs and other kernel pseudo file systems (default: skipped)');
}

export function walkOptions(opts: Record<string, unknown>): WalkOptions {
  return { followLinks: Boolean(opts.followLinks), pseudoFs: Boolean(opts.pseudoFs) };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseFormat(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return value as OutputFormat;
}

/** `--log-format`: a reader's name; anything else is a usage error, not a silent fallback to detection. */
export function parseLogFormat(value: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${LOG_FORMATS.join(', ')}`);
  return value as LogFormat;
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

export function reportLedgers(ledgers: IngestLedger[], options: { quiet?: boolean } = {}): void {
  if (ledgers.length === 0) return;
  const total = { read: 0, ingested: 0, rejected: 0 };
  for (const l of ledgers) {
    total.read += l.read;
    total.ingested += l.ingested;
    total.rejected += l.rejected.length;
    const tables =
      Object.entries(l.tables)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ') || (l.nativeTable && l.ingested > 0 ? `${l.nativeTable} ${l.ingested}` : '');
    if (options.quiet) continue;
    if (l.alreadyLoaded !== undefined) {
      err(
        `ingest ${l.file} [${l.format}]: already loaded (same content as ${l.alreadyLoaded}): nothing added`,
      );
      continue;
    }
    const resumed = l.resumedAt !== undefined ? `, grown: from line ${l.resumedAt}` : '';
    err(
      `ingest ${l.file} [${l.format}]: read ${l.read} = ingested ${l.ingested} + rejected ${l.rejected.length}${tables ? ` (${tables})` : ''}${resumed}`,
    );
  }
  if (!options.quiet)
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
  for (const e of report.ruleErrors) err(`  rule error ${e.file}: ${e.message}`);
}

export function summarise(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Writes to stdout, waiting for the pipe to drain (a large export must not pile up in memory). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
