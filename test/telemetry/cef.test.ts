import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/store/schema.js';
import {
  escapeCefHeader,
  escapeCefValue,
  parseCefLine,
  setCefSchema,
  type CefResult,
} from '../../src/telemetry/cef.js';
import { CEF_KEY_COLUMNS } from '../../src/telemetry/cef-fields.js';
import { hasShared, sharedData } from './shared.js';

beforeAll(() => setCefSchema(loadSchemas().get('CommonSecurityLog')!));

function row(line: string, referenceYear = 2022): Record<string, unknown> {
  const result = parseCefLine(line, { referenceYear });
  if (!('row' in result)) throw new Error(`rejected: ${result.reason}`);
  return result.row;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

describe('CEF header', () => {
  it('maps the seven header fields and keeps text severities', () => {
    const r = row('CEF:0|Acme|Gate|1.2|100|Port scan|Very-High|src=10.0.0.1');
    expect(r).toMatchObject({
      DeviceVendor: 'Acme',
      DeviceProduct: 'Gate',
      DeviceVersion: '1.2',
      DeviceEventClassID: '100',
      Activity: 'Port scan',
      LogSeverity: 'Very-High',
      SourceIP: '10.0.0.1',
    });
    for (const s of ['Low', 'Medium', 'High', 'Unknown', 'Substantial', 'Critical', '7'])
      expect(row(`CEF:0|a|b|c|d|e|${s}|`).LogSeverity).toBe(s);
  });

  it('unescapes \\| and \\\\ in header fields and accepts "CEF: 0|" and empty fields', () => {
    const r = row('CEF: 0|Ac\\|me|C:\\\\bin||sig|a \\| b|5|act=x');
    expect(r.DeviceVendor).toBe('Ac|me');
    expect(r.DeviceProduct).toBe('C:\\bin');
    expect(r.DeviceVersion).toBeUndefined();
    expect(r.Activity).toBe('a | b');
    const empty = row('CEF:0|||||Name||');
    expect(empty.DeviceVendor).toBeUndefined();
    expect(empty.Activity).toBe('Name');
    expect(empty.LogSeverity).toBeUndefined();
  });

  it('rejects lines that are not CEF, with a reason', () => {
    const bad: [string, RegExp][] = [
      ['hello world', /no "CEF:" marker/],
      ['CEF:x|a|b', /no version/],
      ['CEF:0 a|b', /no "\|" after the version/],
      ['CEF:0|a|b|c', /header has 4 of 7 fields/],
      ['', /no "CEF:" marker/],
    ];
    for (const [line, reason] of bad) {
      const result = parseCefLine(line);
      expect('reason' in result && result.reason).toMatch(reason);
    }
  });
});

describe('CEF extension', () => {
  it('maps Microsoft connector keys to CommonSecurityLog columns, typed', () => {
    const r = row(
      'CEF:0|V|P|1|1|n|3|src=1.2.3.4 dst=5.6.7.8 spt=1234 dpt=7547 proto=TCP act=blocked app=HTTP suser=root duser=admin ' +
        'shost=a dhost=b dvc=9.9.9.9 dvchost=fw1 request=http://x/y requestMethod=POST requestClientApplication=curl/8 ' +
        'msg=hi there cat=/Attack cnt=3 in=100 out=200 fname=mirai.arm fileHash=abc filePath=/tmp/m fsize=42 ' +
        'cs1=one cs1Label=L1 cn2=12 cn2Label=N2 deviceExternalId=dev-1 externalId=77 outcome=failure reason=bad ' +
        'smac=00:11 dmac=22:33 sproc=sh dproc=telnetd spid=1 dpid=2 sntdom=S dntdom=D start=1700000000000 end=1700000001000',
    );
    expect({ ...r, StartTime: iso(r.StartTime), EndTime: iso(r.EndTime) }).toMatchObject({
      SourceIP: '1.2.3.4',
      DestinationIP: '5.6.7.8',
      SourcePort: 1234,
      DestinationPort: 7547,
      Protocol: 'TCP',
      DeviceAction: 'blocked',
      ApplicationProtocol: 'HTTP',
      SourceUserName: 'root',
      DestinationUserName: 'admin',
      SourceHostName: 'a',
      DestinationHostName: 'b',
      DeviceAddress: '9.9.9.9',
      DeviceName: 'fw1',
      RequestURL: 'http://x/y',
      RequestMethod: 'POST',
      RequestClientApplication: 'curl/8',
      Message: 'hi there',
      DeviceEventCategory: '/Attack',
      EventCount: 3,
      ReceivedBytes: 100,
      SentBytes: 200,
      FileName: 'mirai.arm',
      FileHash: 'abc',
      FilePath: '/tmp/m',
      FileSize: 42,
      DeviceCustomString1: 'one',
      DeviceCustomString1Label: 'L1',
      DeviceCustomNumber2: 12,
      DeviceCustomNumber2Label: 'N2',
      DeviceExternalID: 'dev-1',
      ExternalID: 77,
      EventOutcome: 'failure',
      Reason: 'bad',
      SourceMACAddress: '00:11',
      DestinationMACAddress: '22:33',
      SourceProcessName: 'sh',
      DestinationProcessName: 'telnetd',
      SourceProcessId: 1,
      DestinationProcessId: 2,
      SourceNTDomain: 'S',
      DestinationNTDomain: 'D',
      StartTime: '2023-11-14T22:13:20.000Z',
      EndTime: '2023-11-14T22:13:21.000Z',
    });
    expect(r.AdditionalExtensions).toBeUndefined();
  });

  it('every mapped column exists in the CommonSecurityLog schema', () => {
    const columns = new Set(
      loadSchemas()
        .get('CommonSecurityLog')!
        .columns.map((c) => c.name),
    );
    for (const [key, column] of CEF_KEY_COLUMNS) expect(columns.has(column), `${key} → ${column}`).toBe(true);
  });

  it('keeps unmapped keys and values that do not fit their column in AdditionalExtensions', () => {
    const r = row('CEF:0|V|P|1|1|n|3|foo=bar cn3=N/A baz= dpt=99999999999 cs2=ok');
    expect(r.AdditionalExtensions).toBe('foo=bar;cn3=N/A;baz=;dpt=99999999999');
    expect(r.DeviceCustomNumber3).toBeUndefined();
    expect(r.DestinationPort).toBeUndefined();
    expect(r.DeviceCustomString2).toBe('ok');
  });

  it('handles escapes, #012, quotes, and unescaped = inside values', () => {
    const r = row(
      'CEF:0|V|P|1|1|n|3|msg=lang=en request=http://h/p?usr\\=admin cs1=a\\\\b\\nc\\rd cs2="quoted value" cs3=\'single\' ' +
        'cs4=line#012 cs5=C:\\\\Program Files\\\\x.exe duser="-"',
    );
    expect(r.Message).toBe('lang=en');
    expect(r.RequestURL).toBe('http://h/p?usr=admin');
    expect(r.DeviceCustomString1).toBe('a\\b\nc\rd');
    expect(r.DeviceCustomString2).toBe('quoted value');
    expect(r.DeviceCustomString3).toBe('single');
    expect(r.DeviceCustomString4).toBe('line');
    expect(r.DeviceCustomString5).toBe('C:\\Program Files\\x.exe');
    expect(r.DestinationUserName).toBe('-');
  });

  it('takes the key grammar [A-Za-z0-9_.[]-]+ after a space, and a leading space before the first key', () => {
    const r = row('CEF:0|V|P|1|1|n|3| a.b[0]-c_d=1 msg=x y=z');
    expect(r.AdditionalExtensions).toBe('a.b[0]-c_d=1;y=z');
    expect(r.Message).toBe('x');
  });

  it('a second value for a filled column goes to AdditionalExtensions (fname and fileName)', () => {
    const r = row('CEF:0|V|P|1|1|n|3|fname=a fileName=b');
    expect(r.FileName).toBe('a');
    expect(r.AdditionalExtensions).toBe('fileName=b');
  });
});

describe('CEF times', () => {
  it('rt as epoch ms, MMM dd yyyy HH:mm:ss, without year, and RFC 3339 → ReceiptTime (raw) + TimeGenerated', () => {
    const cases: [string, string][] = [
      ['1659523775038', '2022-08-03T10:49:35.038Z'],
      ['Mar 09 2015 17:05:21', '2015-03-09T17:05:21.000Z'],
      ['Mar 09 2015 17:05:21 GMT+01:00', '2015-03-09T16:05:21.000Z'],
      ['Mar 09 2015 17:05:21.250 UTC', '2015-03-09T17:05:21.250Z'],
      ['Mar 9 17:05:21', '2022-03-09T17:05:21.000Z'],
      ['2022-07-25T04:56:13-05:00', '2022-07-25T09:56:13.000Z'],
      ['2022-07-25T04:56:13', '2022-07-25T04:56:13.000Z'],
    ];
    for (const [rt, expected] of cases) {
      const r = row(`CEF:0|V|P|1|1|n|3|rt=${rt} act=a`);
      expect(r.ReceiptTime).toBe(rt);
      expect(iso(r.TimeGenerated)).toBe(expected);
    }
  });

  it('falls back to the syslog time (RFC 3164 with referenceYear, RFC 5424) and takes Computer from the host', () => {
    const a = row('<134>Aug  3 10:49:35 fw01 CEF: 0|V|P|1|1|n|3|act=x', 2021);
    expect(iso(a.TimeGenerated)).toBe('2021-08-03T10:49:35.000Z');
    expect(a.Computer).toBe('fw01');
    const b = row(
      '<134>1 2022-07-25T04:56:13.120+02:00 host7 app 12 ID1 [ex@1 a="b"] CEF:0|V|P|1|1|n|3|act=x',
    );
    expect(iso(b.TimeGenerated)).toBe('2022-07-25T02:56:13.120Z');
    expect(b.Computer).toBe('host7');
    const c = row('Jun 09 19:23:44 CEF:0|V|P|1|1|n|3|act=x', 2022);
    expect(iso(c.TimeGenerated)).toBe('2022-06-09T19:23:44.000Z');
    expect(c.Computer).toBeUndefined();
    const d = row('May 18 16:02:00 isid isid[1] CEF:0|V|P|1|1|n|3|rt=Jan 01 2020 00:00:00', 2022);
    expect(iso(d.TimeGenerated)).toBe('2020-01-01T00:00:00.000Z');
    expect(row('CEF:0|V|P|1|1|n|3|act=x').TimeGenerated).toBeUndefined();
    expect(row('CEF:0|V|P|1|1|n|3|rt=someday').TimeGenerated).toBeUndefined();
  });
});

describe.skipIf(!hasShared)('real CEF samples (../shared/data/sentinel/cef)', () => {
  const dir = join(sharedData, 'sentinel/cef');
  it('parses every line of every file', () => {
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThanOrEqual(7);
    let total = 0;
    for (const file of files) {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        total++;
        const result: CefResult = parseCefLine(line, { referenceYear: 2022 });
        expect('row' in result, `${file}:${i + 1} ${'reason' in result ? result.reason : ''}`).toBe(true);
        if ('row' in result) expect(result.row.DeviceEventClassID ?? result.row.Activity).toBeDefined();
      });
    }
    expect(total).toBe(160);
  });

  it('reads the quirks the README lists', () => {
    const first = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n')[0];
    const barracuda = row(first('barracudaWAFCEF.txt'));
    expect(barracuda).toMatchObject({
      Message: 'lang=en',
      DestinationUserName: '-',
      SourcePort: 48293,
      Computer: 'Barracuda',
    });
    expect(iso(barracuda.TimeGenerated)).toBe('2022-08-03T10:49:35.038Z');
    const radiflow = row(first('RadiflowIsid_RawLogs.txt'));
    expect(radiflow).toMatchObject({
      LogSeverity: 'Medium',
      DeviceEventCategory: 'Link',
      Computer: 'radiflow-labs-isid',
    });
    expect(radiflow.AdditionalExtensions).toContain('SrcMac=00:30:DE:40:D0:8D;');
    const forti = row(first('fortiwebwafsamplelog.txt'));
    expect(forti).toMatchObject({
      LogSeverity: 'Substantial',
      DeviceCustomString1Label: 'appName',
      DeviceCustomNumber1: 50,
    });
    expect(forti.DeviceVendor).toBeUndefined();
    expect(forti.AdditionalExtensions).toBe('cn3=N/A');
    const citrix = readFileSync(join(dir, 'CitrixADC.txt'), 'utf8').split('\n');
    expect(row(citrix[2]).RequestURL).toBe('http://test.example.com/css/login_post.html?usr=admin');
    expect(row(citrix[3]).Message).toBe(
      'Transformed (xout) potential credit card numbers seen in server response',
    );
  });
});

describe('CEF properties', () => {
  it('never throws on arbitrary input: a row or a reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (s) => {
          for (const line of [
            s,
            `CEF:0|${s}`,
            `CEF:0|a|b|c|d|e|5|${s}`,
            `<13>Jan  1 00:00:00 h CEF:0|${s}|||||`,
          ]) {
            const result = parseCefLine(line);
            expect('row' in result || ('reason' in result && result.reason.length > 0)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  // Values the format can carry: no surrounding whitespace, no wrapping quotes, no rsyslog `#0nn`.
  const value = fc
    .string({
      minLength: 1,
      maxLength: 40,
      unit: fc.constantFrom('a', 'Z', '0', ' ', '=', '\\', '\n', '\r', '|', '"', ':', '/', 'é', 'k='),
    })
    .filter((v) => v.trim() === v && !/^["'].*["']$/s.test(v));

  it('round-trips escaped extension values and header fields', () => {
    fc.assert(
      fc.property(value, value, value, (a, b, vendor) => {
        const line = `CEF:0|${escapeCefHeader(vendor)}|P|1|1|n|5|cs1=${escapeCefValue(a)} msg=${escapeCefValue(b)} act=end`;
        const r = row(line);
        expect(r.DeviceVendor).toBe(vendor);
        expect(r.DeviceCustomString1).toBe(a);
        expect(r.Message).toBe(b);
        expect(r.DeviceAction).toBe('end');
      }),
      { numRuns: 500 },
    );
  });
});
