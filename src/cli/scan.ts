import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  allPids,
  DEFAULT_MAX_FILE_SIZE,
  renderFindings,
  scan,
  scanResultRows,
  type HashMode,
  type OutputFormat,
  type Skipped,
} from '../index.js';
import {
  chooseFormat,
  collect,
  err,
  EXIT_ERROR,
  exitStatus,
  parseFormat,
  reportInputs,
  reportScan,
  summarise,
  walkOptions,
  withWalkOptions,
} from './common.js';
import { readStdinCapped } from './stdin.js';

const MiB = 1024 * 1024;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer: ${value}`);
  return n;
}

const HASH_MODES: readonly HashMode[] = ['needed', 'sha256', 'all'];

function parseHashMode(value: string): HashMode {
  const mode = HASH_MODES.find((m) => m === value);
  if (!mode) throw new InvalidArgumentError(`expected one of ${HASH_MODES.join(', ')}: ${value}`);
  return mode;
}

const collectInt = (value: string, previous: number[] = []): number[] => [...previous, positiveInt(value)];

/** `--from FILE`: one path per line (blank lines and `#` comments skipped); `-` reads the list from stdin. */
function pathList(file: string): string[] {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function scanCommand(): Command {
  return withWalkOptions(new Command('scan'))
    .description(
      'scan files, folders, archives, firmware images, stdin and process memory with YARA rules and hash indicators (exit 1 on a match)',
    )
    .argument('[paths...]', 'files and folders (recursive); - reads one object from stdin')
    .option('--from <file>', 'also scan the paths listed in FILE, one per line (- for stdin)')
    .option('--pid <pid>', 'scan the memory of process PID (Linux; repeatable)', collectInt, [])
    .option('--processes', 'scan the memory of every process but this one (Linux)')
    .option('--rules <path>', 'extra YARA rule file or folder (repeatable)', collect, [])
    .option('--tag <tag>', 'report only matches of rules with this tag (repeatable)', collect, [])
    .option(
      '--rule <name>',
      'report only matches of this rule, NAME or NAMESPACE.NAME (repeatable)',
      collect,
      [],
    )
    .option('--intel <file>', 'add hash indicators from a feed (repeatable)', collect, [])
    .option('--device <name>', 'whose files these are: DeviceName of the TelltaleFileScan rows', '')
    .option('--rows <file>', 'write the TelltaleFileScan rows (NDJSON) to FILE')
    .option('--no-expand', 'do not open archives nor carve ELF binaries and gzip streams out of images')
    .option('--max-size <MiB>', 'skip objects larger than this (default 256)', positiveInt)
    .option('--timeout <ms>', 'per-object scan timeout (default 30000)', positiveInt)
    .option(
      '--hash <which>',
      'objects hashed: needed (default: the digest types of loaded hash indicators for every object, SHA-256 too for matches), sha256 (SHA-256 of every object too; the default with --rows), all (MD5, SHA-1, SHA-256 of every object)',
      parseHashMode,
    )
    .option('--all-hashes', 'same as --hash all')
    .option('-f, --format <format>', 'table | json | ndjson | csv', parseFormat)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale scan ./firmware --rules ./my-rules/\n  $ telltale scan fw.tar.gz image.bin --tag MALW\n  $ cat sample.bin | telltale scan -\n  $ telltale scan --pid 1234 --device cpe-gw-17 --rows scan.ndjson',
    )
    .action(async (args: string[], opts) => {
      const paths = [...args.filter((p) => p !== '-'), ...(opts.from ? pathList(opts.from as string) : [])];
      const maxFileSize = opts.maxSize ? (opts.maxSize as number) * MiB : DEFAULT_MAX_FILE_SIZE;
      const stdin = args.includes('-') ? await readStdinCapped(maxFileSize) : undefined;
      const buffers = stdin && 'data' in stdin ? [{ name: '-', data: stdin.data }] : [];
      const stdinSkipped: Skipped[] =
        stdin && 'size' in stdin
          ? [{ path: '-', reason: `larger than the ${maxFileSize} bytes cap: not scanned`, incomplete: true }]
          : [];
      const pids: number[] = opts.processes ? allPids() : (opts.pid as number[]);
      if (paths.length + buffers.length + stdinSkipped.length + pids.length === 0) {
        err('scan: nothing to scan (give paths, -, --from, --pid or --processes)');
        process.exitCode = EXIT_ERROR;
        return;
      }
      const { report, findings, inputs } = await scan(paths, {
        buffers,
        pids,
        rules: opts.rules,
        intel: opts.intel,
        tags: opts.tag,
        ruleNames: opts.rule,
        expand: opts.expand as boolean,
        maxFileSize,
        walk: walkOptions(opts),
        timeoutMs: opts.timeout as number | undefined,
        allHashes: Boolean(opts.allHashes),
        // the rows are an inventory: their SHA256 column names every object
        hash: (opts.hash as HashMode | undefined) ?? (opts.rows ? 'sha256' : 'needed'),
      });
      inputs.named += stdinSkipped.length;
      inputs.skipped.push(...stdinSkipped);
      reportScan(report);
      reportInputs(inputs);
      if (opts.rows) {
        const { rows } = scanResultRows(report, opts.device as string);
        writeFileSync(
          opts.rows as string,
          rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''),
        );
      }
      process.stdout.write(renderFindings(findings, chooseFormat(opts.format as OutputFormat | undefined)));
      err(summarise(findings));
      process.exitCode = exitStatus({
        findings: findings.length,
        errors: report.ruleErrors.length,
        inputs,
      });
    });
}
