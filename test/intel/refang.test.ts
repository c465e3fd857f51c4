import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defang, refang, refangWithMarks } from '../../src/intel/refang.js';

describe('refang', () => {
  it.each([
    ['176[.]65[.]139[.]7', '176.65.139.7'],
    ['176(.)65(.)139(.)7:3778', '176.65.139.7:3778'],
    ['tvt{.}miraibotnet{.}su', 'tvt.miraibotnet.su'],
    ['tvt[dot]miraibotnet[dot]su', 'tvt.miraibotnet.su'],
    ['tvt [dot] miraibotnet [dot] su', 'tvt.miraibotnet.su'],
    ['hxxp://evil[.]com/x.sh', 'http://evil.com/x.sh'],
    ['hXXps[:]//evil[.]com/a', 'https://evil.com/a'],
    ['HXXP[://]evil[.]com', 'http://evil.com'],
    ['fxp://files[.]evil[.]com/bins', 'ftp://files.evil.com/bins'],
    ['abuse[at]evil[.]com and x[@]y[.]com', 'abuse@evil.com and x@y.com'],
    ['http://evil.com[/]bins[/]mirai.arm7', 'http://evil.com/bins/mirai.arm7'],
  ])('%s → %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it('leaves ordinary prose alone and never joins lines', () => {
    const text = 'The hxxp word alone, a list (a) [b] {c}\nand a new line.';
    expect(refang(text)).toBe(text);
    expect(refang('evil[.]\ncom')).toBe('evil.\ncom');
  });

  it('marks the ranges that were defanged', () => {
    const { text, marks } = refangWithMarks('run x[.]sh now');
    expect(text).toBe('run x.sh now');
    expect(marks).toEqual([[5, 6]]);
  });

  it('round-trips defanged IPv4 addresses, domains and URLs', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const domain = fc.tuple(
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('com', 'su', 'sh', 'net'),
    );
    fc.assert(
      fc.property(fc.ipV4(), (ip) => refang(defang(ip)) === ip),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(domain, ([labels, tld]) => {
        const name = [...labels, tld].join('.');
        return refang(defang(name)) === name && refang(defang(`http://${name}/a`)) === `http://${name}/a`;
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and never changes the number of lines', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '[',
            ']',
            '(',
            ')',
            '.',
            'dot',
            'at',
            '@',
            ':',
            '/',
            'hxxp',
            's',
            '\n',
            ' ',
            'a',
          ),
        }),
        (s) => {
          const out = refang(s);
          return out.split('\n').length === s.split('\n').length;
        },
      ),
      { numRuns: 500 },
    );
  });
});
