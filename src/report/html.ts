/**
 * The report as one self-contained HTML file: inline CSS, charts as inline SVG, no script, no font,
 * nothing fetched (a Content-Security-Policy forbids it too), so it opens from a USB stick. Every value
 * goes through `h()`; the SVG comes from the chart library's serializer, which escapes its text.
 */
import { h } from './escape.js';
import type { Chart, DeviceSection, HuntSection, ReportData } from './model.js';

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#fff;--band:#f5f7fa;--crit:#8e1b1b;--high:#c0392b;--med:#d68910;--low:#2874a6;--info:#6c7a89}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 32px;background:#1d2330;color:#fff}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#c9d1de}
nav{padding:8px 32px;background:var(--band);border-bottom:1px solid var(--line)}nav a{margin-right:16px}
main{padding:8px 32px 48px;max-width:1280px}h2{margin-top:32px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{margin:24px 0 8px}a{color:#1f5fa8}table{border-collapse:collapse;margin:8px 0 16px;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:var(--band)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
td.src,td.what{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
pre{background:var(--band);border:1px solid var(--line);padding:8px;overflow:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;text-transform:uppercase}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-informational{background:var(--info)}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}.kv dt{color:var(--muted)}.kv dd{margin:0}
figure{margin:12px 0 24px}figcaption{color:var(--muted);margin-top:4px}.muted{color:var(--muted)}
details{margin:4px 0 12px}summary{cursor:pointer;color:#1f5fa8}section.device{border-top:1px solid var(--line)}
`;

/** Findings listed per device; the timeline still samples all of them. */
const MAX_FINDINGS_SHOWN = 300;

const sev = (s: string) => `<span class="sev sev-${h(s)}">${h(s)}</span>`;
const table = (head: string[], rows: string[][], cls = '') =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table>`;
const td = (v: unknown, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${h(v)}</td>`;
const tdHtml = (html: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${html}</td>`;
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC') : '—');

function chart(c: Chart): string {
  return `<figure class="chart" data-chart="${h(c.kind)}" id="${h(c.id)}"><h4>${h(c.title)}</h4>${c.svg}
<figcaption>${h(c.caption)}</figcaption><details><summary>KQL behind this chart</summary><pre>${h(c.kql)}</pre></details></figure>`;
}

function summary(data: ReportData): string {
  const s = data.summary;
  const counts = Object.entries(s.bySeverity)
    .map(([k, n]) => `${n} ${h(k)}`)
    .join(', ');
  const devices = table(
    ['#', 'Severity', 'Device', 'Score', 'Findings'],
    s.devices.map((d, i) => [
      td(i + 1, 'num'),
      tdHtml(sev(d.severity)),
      tdHtml(d.id ? `<a href="#${h(d.id)}">${h(d.names.join(' · '))}</a>` : h(d.names.join(' · '))),
      td(d.score, 'num'),
      td(d.findings, 'num'),
    ]),
    'devices',
  );
  const sources = table(
    ['Source', 'Format', 'Read', 'Ingested', 'Rejected'],
    s.sources.map((l) => [
      td(l.file, 'src'),
      td(l.format),
      td(l.read, 'num'),
      td(l.ingested, 'num'),
      td(l.rejected, 'num'),
    ]),
  );
  const exclusionTable = (list: ReportData['summary']['exclusions']) =>
    table(
      ['Exclusion', 'State', 'Suppressed', 'Reason', 'What it suppressed'],
      list.map((e) => [
        tdHtml(`${h(e.id)}<br><span class="muted">${h(e.file)}</span>`),
        td(e.state),
        td(`${e.findings} findings (${e.rows} rows)`),
        td(e.reason),
        tdHtml(e.examples.map(h).join('<br>') || '—'),
      ]),
    );
  const active = s.exclusions.filter((e) => e.state !== 'disabled');
  const disabled = s.exclusions.filter((e) => e.state === 'disabled');
  const exclusions = `${active.length ? exclusionTable(active) : '<p>No exclusion enabled.</p>'}${
    disabled.length
      ? `<details><summary>${disabled.length} disabled exclusion templates (enable them in a copy to use them)</summary>${exclusionTable(disabled)}</details>`
      : ''
  }`;
  const errors = s.errors.length
    ? `<h3>Errors</h3><ul>${s.errors.map((e) => `<li>${h(e)}</li>`).join('')}</ul>`
    : '';
  return `<section id="summary"><h2>Summary</h2>
<dl class="kv">
<dt>Devices affected</dt><dd>${s.devices.length}</dd>
<dt>Findings</dt><dd>${s.findings}${counts ? ` (${counts})` : ''}; ${s.suppressed} suppressed by exclusions</dd>
<dt>Hunts run</dt><dd>${s.huntsRun} KQL hunts, ${s.yaraRules} YARA rules over ${s.filesScanned} files</dd>
<dt>Sources read</dt><dd>${s.sources.length} log files, ${s.sources.reduce((n, l) => n + l.read, 0)} lines/events</dd>
<dt>Time covered</dt><dd>${h(time(s.timeCovered.from))} – ${h(time(s.timeCovered.to))}</dd>
<dt>Indicators</dt><dd>${s.indicatorsLoaded} loaded, ${s.indicatorsMatched} matched (see <a href="#indicators">Indicators</a>)</dd>
</dl>
<h3>Devices by combined severity</h3>${devices}
<h3>Sources</h3>${sources}
<h3>Exclusions</h3>${exclusions}${errors}</section>`;
}

function device(d: DeviceSection): string {
  const findings = table(
    ['Severity', 'Hunt', 'First seen', 'Last seen', 'Rows', 'Entities'],
    d.findings
      .slice(0, MAX_FINDINGS_SHOWN)
      .map((f) => [
        tdHtml(sev(f.severity)),
        tdHtml(`${h(f.title)}<br><span class="muted">${h(f.hunt)}</span>`),
        td(time(f.firstSeen), 't'),
        td(time(f.lastSeen), 't'),
        td(f.shown < f.rows ? `${f.rows} (${f.shown} shown)` : f.rows, 'num'),
        td(f.entities.join(', '), 'what'),
      ]),
  );
  const timeline = table(
    ['Time', 'Severity', 'Hunt', 'Evidence', 'Source'],
    d.timeline.map((r) => [
      td(time(r.time), 't'),
      tdHtml(sev(r.severity)),
      td(r.hunt),
      td(r.what, 'what'),
      tdHtml(r.sources.map(h).join('<br>'), 'src'),
    ]),
    'timeline',
  );
  const moreFindings =
    d.findings.length > MAX_FINDINGS_SHOWN
      ? `<p class="muted">${d.findings.length - MAX_FINDINGS_SHOWN} further findings of this device are not listed; their sampled evidence is in the timeline.</p>`
      : '';
  const omitted = d.omitted
    ? `<p class="muted">${d.omitted} further evidence rows of these findings are not shown (sampled: round-robin over the findings). Run <code>telltale hunt --evidence all</code> for all of them.</p>`
    : '';
  return `<section class="device" id="${h(d.id)}" data-device="${h(d.names.join(' '))}">
<h3>${sev(d.severity)} ${h(d.names.join(' · '))}</h3>
<dl class="kv"><dt>Score</dt><dd>${d.score}</dd><dt>Active</dt><dd>${h(time(d.firstSeen))} – ${h(time(d.lastSeen))}</dd><dt>Hunts</dt><dd>${h(d.hunts.join(', '))}</dd></dl>
<h4>Findings</h4>${findings}${moreFindings}${d.charts.map(chart).join('')}
<h4>Timeline</h4>${timeline}${omitted}</section>`;
}

function indicators(data: ReportData): string {
  const i = data.iocs;
  const rows = table(
    ['Type', 'Value', 'Threat Type', 'First Seen', 'Confidence', 'Source'],
    i.rows.map((r) => [
      td(r.type),
      td(r.value, 'what'),
      td(r.threatType),
      td(r.firstSeen, 't'),
      td(r.confidence, 'num'),
      td(r.source),
    ]),
    'iocs',
  );
  const blocks = data.mitigations.length
    ? data.mitigations
        .map(
          (m) =>
            `<h4>${h(m.format)}</h4>${m.files.map((f) => `<details open><summary>${h(f.name)}</summary><pre>${h(f.content)}</pre></details>`).join('')}`,
        )
        .join('')
    : '<p>No network indicator was hit: nothing to block.</p>';
  return `<section id="indicators"><h2>Indicators</h2>
<h3>IOC Summary</h3><p><strong>Malware Family:</strong> ${h(i.family)} <strong>Total IOCs:</strong> ${i.total} <strong>IOC Types:</strong> ${h(i.types.join(', ') || '—')}</p>
${i.rows.length ? rows : `<p>None of the ${data.summary.indicatorsLoaded} loaded indicators was hit.</p>`}
<h3 id="mitigation">Mitigation</h3><p>Blocklists for the C2 addresses and domains above, from Telltale's exporters (<code>telltale intel export</code>).</p>${blocks}</section>`;
}

function hunt(x: HuntSection): string {
  const params = table(
    ['Parameter', 'Value'],
    x.parameters.map((p) => [td(p.name), td(p.value, 'what')]),
  );
  return `<details class="hunt" id="hunt-${h(x.key)}"><summary>${sev(x.severity)} ${h(x.name)} — ${x.findings} findings, ${x.rows} rows${x.suppressed ? `, ${x.suppressed} suppressed` : ''}${x.error ? ' — error' : ''}</summary>
<dl class="kv"><dt>Hunt</dt><dd>${h(x.key)}</dd><dt>Tables</dt><dd>${h(x.tables.join(', '))}</dd><dt>Run time</dt><dd>${x.ms} ms</dd>${x.error ? `<dt>Error</dt><dd>${h(x.error)}</dd>` : ''}</dl>
${params}<pre class="kql">${h(x.kql)}</pre></details>`;
}

export function renderHtml(data: ReportData): string {
  const global = data.charts.length
    ? `<section id="charts"><h2>Charts</h2>${data.charts.map(chart).join('')}</section>`
    : '';
  const tables = table(
    ['Sentinel Table', 'Notes'],
    data.tables.map((t) => [td(t), td('Ensure this data connector is enabled')]),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(data.title)}</title><style>${CSS}</style></head>
<body><header><h1>${h(data.title)}</h1><p>Generated ${h(time(data.generated))} by Telltale · data ${h(time(data.summary.timeCovered.from))} – ${h(time(data.summary.timeCovered.to))}</p></header>
<nav><a href="#summary">Summary</a><a href="#charts">Charts</a><a href="#devices">Devices</a><a href="#indicators">Indicators</a><a href="#hunts">Hunts</a></nav>
<main>${summary(data)}${global}
<section id="devices"><h2>Devices</h2>${data.devices.map(device).join('') || '<p>No findings.</p>'}</section>
${indicators(data)}
<section id="hunts"><h2>Hunts</h2><p>Each hunt's KQL as Sentinel would run it: indicator lists bound, applied exclusions folded in.</p>${data.hunts.map(hunt).join('')}
<h3>Tables needed</h3>${tables}</section>
</main></body></html>
`;
}
