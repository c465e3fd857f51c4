// Issue 11 "Evidence": the fast-check properties cover the KQL literal parsers too. On any text (random,
// hostile, a valid literal cut or padded), each parser returns a value or null, or throws its own
// LiteralError (a query error with a position), never anything else; valid literals round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LiteralError,
  parseBool,
  parseDatetime,
  parseGuid,
  parseNumber,
  parseTimespan,
} from '../../src/kql/literals.js';

const PARSERS = { parseDatetime, parseTimespan, parseNumber, parseBool, parseGuid };

/** Valid literal forms, then cut, padded, doubled or with hostile characters spliced in. */
const literalish = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .tuple(
      fc.constantFrom(
        'datetime(2026-05-20T10:00:01.5Z)',
        '2026-05-20 10:00',
        'time(1.02:03:04)',
        'timespan(2d)',
        '1.5h',
        '100ms',
        '0x7fffffffffffffff',
        '-12.5e300',
        'true',
        'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)',
        'datetime(null)',
      ),
      fc.nat(40),
      fc.constantFrom('', '\u0000', '\u001b[2J', '(', ')', '9'.repeat(400), '\ud800', ' ', ':'),
    )
    .map(([text, at, insert]) => text.slice(0, at) + insert + text.slice(at)),
);

describe('KQL literal parsers on hostile text', () => {
  it('return a value or null, or throw a LiteralError: nothing else', () => {
    fc.assert(
      fc.property(literalish, (text) => {
        for (const parse of Object.values(PARSERS)) {
          try {
            parse(text);
          } catch (e) {
            expect(e).toBeInstanceOf(LiteralError);
          }
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('round-trip: any instant as ISO text, any safe integer', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.maxSafeInteger(),
        (date, n) => {
          const parsed = parseDatetime(`datetime(${date.toISOString()})`);
          expect(new Date(`${parsed!.replace(' ', 'T')}Z`).getTime()).toBe(date.getTime());
          expect(Number(parseNumber(String(n)))).toBe(n);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
