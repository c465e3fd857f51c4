/**
 * The report as a Markdown brief in the seeds' own layout: summary, IOC Summary table, the hunting
 * queries, the Sentinel tables needed, and false-positive scenarios with the exclusions applied.
 * Charts are SVG files beside it, linked as images. Log-derived text is escaped for Markdown and HTML.
 */
import { visible } from './escape.js';
import type { ReportData } from './model.js';

/** Text safe inside a Markdown paragraph or table cell: no HTML, no emphasis/link syntax, no cell break. */
export function md(value: unknown): string {
  const text = visible(value === null || value === undefined ? '' : String(value));
  return text
    .replace(/[\\`*_|#~]/g, (c) => `\\${c}`)
    .replace(/\](?=[([:])/g, '\\]') // no inline, reference or definition link from log text
    .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`) // last: its `#` must stay unescaped
    .replace(/\r?\n/g, ' ');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${visible(text).replace(/\n$/, '')}\n${fence}`;
}

const row = (cells: unknown[]) => `| ${cells.map(md).join(' | ')} |`;
const tableMd = (head: string[], rows: unknown[][]) =>
  [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC') : '-');

/** `chartPath(id)` is where the chart's SVG file is written, relative to the brief. */
export function renderMarkdown(data: ReportData, chartPath: (id: string) => string): string {
  const s = data.summary;
  const out: string[] = [];
  const image = (c: { id: string; title: string; caption: string }) =>
    `![${md(c.title)}](${chartPath(c.id)})\n\n${md(c.caption)}`;
  out.push(`# ${md(data.title)}`, '');
  const worst = s.devices[0];
  out.push(
    worst
      ? `${s.devices.length} device(s) show Mirai-family activity; the worst is ${md(worst.names.join(' / '))} (${md(worst.severity)}). ${s.findings} findings from ${s.huntsRun} hunts and ${s.yaraRules} YARA rules over ${s.sources.length} log files (${md(time(s.timeCovered.from))} to ${md(time(s.timeCovered.to))}); ${s.indicatorsMatched} of ${s.indicatorsLoaded} indicators matched; ${s.suppressed} findings suppressed by exclusions.`
      : `No findings from ${s.huntsRun} hunts over ${s.sources.length} log files.`,
    '',
  );
  out.push('## Devices by combined severity', '');
  out.push(
    tableMd(
      ['#', 'Severity', 'Device', 'Score', 'Findings'],
      s.devices.map((d, i) => [i + 1, d.severity, d.names.join(' · '), d.score, d.findings]),
    ),
    '',
  );
  out.push('## Sources read', '');
  out.push(
    tableMd(
      ['Source', 'Format', 'Read', 'Ingested', 'Rejected'],
      s.sources.map((l) => [l.file, l.format, l.read, l.ingested, l.rejected]),
    ),
    '',
  );
  for (const c of data.charts) out.push(`## ${md(c.title)}`, '', image(c), '');
  for (const d of data.devices) {
    out.push(`## ${md(d.severity.toUpperCase())}: ${md(d.names.join(' · '))}`, '');
    out.push(
      `Active ${md(time(d.firstSeen))} to ${md(time(d.lastSeen))}; hunts: ${md(d.hunts.join(', '))}.`,
      '',
    );
    for (const c of d.charts) out.push(`### ${md(c.title)}`, '', image(c), '');
    out.push('### Timeline', '');
    out.push(
      tableMd(
        ['Time', 'Severity', 'Hunt', 'Evidence', 'Source'],
        d.timeline.map((r) => [time(r.time), r.severity, r.hunt, r.what, r.sources.join(', ')]),
      ),
      '',
    );
    if (d.omitted) out.push(`${d.omitted} further evidence rows not shown (sampled).`, '');
  }
  out.push('## IOC Summary', '');
  out.push(
    `Malware Family: ${md(data.iocs.family)} Total IOCs: ${data.iocs.total} IOC Types: ${md(data.iocs.types.join(', '))}`,
    '',
  );
  out.push(
    tableMd(
      ['Type', 'Value', 'Threat Type', 'First Seen', 'Confidence'],
      data.iocs.rows.map((r) => [r.type, r.value, r.threatType, r.firstSeen, r.confidence]),
    ),
    '',
  );
  out.push('## Mitigation', '');
  if (!data.mitigations.length) out.push('No network indicator was hit: nothing to block.', '');
  for (const m of data.mitigations)
    for (const f of m.files) out.push(`### ${md(m.format)}: ${md(f.name)}`, '', fenced(f.content), '');
  out.push('## Hunting queries', '');
  for (const x of data.hunts) {
    out.push(`### ${md(x.name)}`, '');
    out.push(
      `${x.findings} findings, ${x.rows} rows${x.suppressed ? `, ${x.suppressed} suppressed` : ''}${x.error ? `; error: ${md(x.error)}` : ''}. Parameters: ${x.parameters.map((p) => `${md(p.name)} = ${md(p.value)}`).join('; ')}.`,
      '',
      fenced(x.kql, 'kql'),
      '',
    );
  }
  out.push('## Tables needed', '');
  out.push(
    tableMd(
      ['Sentinel Table', 'Notes'],
      data.tables.map((t) => [t, 'Ensure this data connector is enabled']),
    ),
    '',
  );
  out.push('## False-positive scenarios and the exclusions applied', '');
  if (!s.exclusions.length) out.push('No exclusions loaded.', '');
  for (const e of s.exclusions)
    out.push(
      `Scenario: ${md(e.id)} (${md(e.state)})`,
      '',
      `Description: ${md(e.reason)}`,
      '',
      'Filter/Exclusion:',
      '',
      fenced(e.predicate, 'kql'),
      '',
      `Suppressed in this run: ${e.findings} findings (${e.rows} rows)${e.examples.length ? `, e.g. ${e.examples.map(md).join('; ')}` : ''}.`,
      '',
    );
  return out.join('\n');
}
