import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stripControl, escapeHtml } from '../../src/output/sanitize.js';
import { renderFindings } from '../../src/output/findings.js';
import { csvCell } from '../../src/util/csv.js';
import type { Finding } from '../../src/hunts/findings.js';

const hostile: Finding = {
  huntId: 'h',
  title: 'evil \u001b[2J\u001b]0;pwned\u0007title',
  severity: 'high',
  time: null,
  entities: [{ type: 'Host', identifier: 'HostName', value: 'a\u001b[31mred\u001b[0m' }],
  evidence: [{ Message: '<script>alert(1)</script>\r\nline2\u009b31m', _Source: 'x.cef:1' }],
};

describe('terminal safety', () => {
  it('strips escape sequences, C0 and C1 controls from log-derived strings', () => {
    expect(stripControl('a\u001b[31mred\u001b[0m')).toBe('ared');
    expect(stripControl('x\u001b]0;title\u0007y')).toBe('xy');
    expect(stripControl('tab\tkept, nul\u0000 gone, c1\u009b gone')).toBe('tab\tkept, nul gone, c1 gone');
  });

  it('renders hostile findings as a table without any control character', () => {
    const text = renderFindings([hostile], 'table');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('x.cef:1');
  });

  it('never lets a control character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(stripControl(s)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
      }),
    );
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('machine formats', () => {
  it('json and ndjson keep values exact (escapes are the consumer’s business, JSON-encoded)', () => {
    const [parsed] = JSON.parse(renderFindings([hostile], 'json')) as Finding[];
    expect(parsed.evidence[0].Message).toBe(hostile.evidence[0].Message);
    expect(renderFindings([hostile, hostile], 'ndjson').trim().split('\n')).toHaveLength(2);
  });

  it('csv quotes separators and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-5)).toBe('-5');
    const csv = renderFindings([hostile], 'csv').split('\n');
    expect(csv[0]).toBe('severity,hunt_id,title,time,entities,source,evidence');
    expect(csv[1]).toContain('x.cef:1');
  });
});
