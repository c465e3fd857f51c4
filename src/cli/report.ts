import { Command, InvalidArgumentError } from 'commander';
import { hunt, REPORT_FORMATS, reportRun, type ReportFormat } from '../index.js';
import { err, exitStatus, reportInputs, reportLedgers, summarise } from './common.js';
import { withStdinSpooled } from './stdin.js';
import { runOptions, withRunOptions } from './hunt.js';

function parseReportFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${REPORT_FORMATS.join(', ')}`);
  return value as ReportFormat;
}

export function reportCommand(): Command {
  return withRunOptions(
    new Command('report')
      .description(
        'hunt, then write the incident as one offline HTML file (or a Markdown brief): summary, per-device timelines, charts, IOCs and blocklists, the KQL run',
      )
      .argument('<paths...>', 'log files, binaries and folders (recursive)'),
  )
    .requiredOption('-o, --out <file>', 'the report file (report.html, or brief.md with --format md)')
    .option('-f, --format <format>', 'html | md (default: from the file name, else html)', parseReportFormat)
    .option('--title <text>', 'the report title', 'Telltale incident report')
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale report examples/incident --out incident.html\n  $ telltale report examples/incident --out brief.md   (charts as SVG files in brief-charts/)\n\nExit status: 0 no findings, 1 findings, 2 error (as for hunt).',
    )
    .action(async (paths: string[], opts) => {
      const report = reportRun(runOptions(opts), { title: opts.title, format: opts.format });
      const result = await withStdinSpooled(paths, (named) => hunt(named, report.options));
      reportLedgers(result.ledgers);
      reportInputs(result.inputs);
      for (const e of result.errors) err(`error: ${e}`);
      for (const file of report.write(opts.out as string)) err(`report: ${file}`);
      err(`${summarise(result.findings)} on ${result.devices.length} devices`);
      process.exitCode = exitStatus({
        findings: result.findings.length,
        errors: result.errors.length,
        inputs: result.inputs,
      });
    });
}
